import HotlineTesting
import Testing

@testable import HotlineCore

/// Finding the responsible unit: by territory, then by function (Art. 10), through the tiers (Art. 5, 7),
/// with the directory in force (Art. 9); no clear owner → Art. 8.
struct ResponsibilityTests {
    let snapshot = DirectorySnapshot(Fixtures.units)

    func find(_ category: CategoryCode, _ territory: TerritoryID?, direct: Bool = false) -> ResponsibilityResult {
        snapshot.responsibility(
            for: category,
            in: territory,
            territories: Fixtures.territories,
            directToTierThree: direct
        )
    }

    // Art. 10 (属地): a property matter in the east goes to the east district, not the city housing bureau.
    @Test func territoryComesBeforeFunction() {
        #expect(find("0102", "east") == .unit(Responsibility(dispatchTo: "east", handler: "east")))
        #expect(find("0102", "west") == .unit(Responsibility(dispatchTo: "west", handler: "west")))
    }

    // Art. 10: without a territorial unit, the functional department handles it.
    @Test func functionWhenNoTerritorialUnit() {
        #expect(find("01", "east") == .unit(Responsibility(dispatchTo: "housing", handler: "housing")))
    }

    // Art. 5: an enterprise is reached through its industry authority.
    @Test func enterpriseThroughIndustryAuthority() {
        #expect(find("0101", "west") == .unit(Responsibility(dispatchTo: "housing", handler: "heat")))
    }

    // Art. 7: the tier-2 unit hands on to its tier-3 unit.
    @Test func tierTwoHandsOnToTierThree() {
        let r = find("10", "east-1")
        #expect(r == .unit(Responsibility(dispatchTo: "east", handler: "street-1")))
        if case .unit(let resp) = r { #expect(resp.isHandedOn) }
        // A street the district has no sub-unit for stays with the district.
        #expect(find("10", "east") == .unit(Responsibility(dispatchTo: "east", handler: "east")))
    }

    // Art. 5: the centre may dispatch to tier 3 directly when needed.
    @Test func centreMayDispatchToTierThreeDirectly() {
        #expect(
            find("09", "east", direct: true) == .unit(Responsibility(dispatchTo: "police-east", handler: "police-east"))
        )
        #expect(find("09", "east") == .unit(Responsibility(dispatchTo: "police", handler: "police-east")))
    }

    // Art. 8: no competent unit → the government decides.
    @Test func noOwnerIsUnclear() {
        #expect(find("10", "west-nowhere") == .unclear(candidates: []))
        #expect(find("10", nil) == .unclear(candidates: []))
    }

    // Art. 8: overlapping functions at the same rank → the government decides.
    @Test func overlappingFunctionsAreUnclear() {
        var units = Fixtures.units
        units.append(
            Unit(
                id: "urban",
                nameZh: "城管",
                nameEn: "Urban",
                tier: .two,
                kind: .cityDepartment,
                dutyLines: DutyLines(count: 1),
                competence: Competence(categories: ["01"])
            )
        )
        let r = DirectorySnapshot(units).responsibility(for: "01", in: "east", territories: Fixtures.territories)
        #expect(r == .unclear(candidates: ["housing", "urban"]))
    }

    // Art. 7: a tie between a department and its own sub-unit is no overlap: the department hands on.
    @Test func tieWithinOneDepartmentIsHandedOn() {
        var units = Fixtures.units
        units.append(
            Unit(
                id: "traffic",
                nameZh: "交警支队",
                nameEn: "Traffic police",
                tier: .three,
                kind: .subUnit,
                parent: "police",
                dutyLines: DutyLines(count: 1),
                competence: Competence(categories: ["09"])
            )
        )
        let snapshot = DirectorySnapshot(units)
        #expect(
            snapshot.responsibility(for: "09", in: "west", territories: Fixtures.territories)
                == .unit(Responsibility(dispatchTo: "police", handler: "traffic"))
        )
        #expect(
            snapshot.responsibility(for: "09", in: "west", territories: Fixtures.territories, directToTierThree: true)
                == .unit(Responsibility(dispatchTo: "traffic", handler: "traffic"))
        )
        // Two sub-units tie: the department decides which.
        units.append(
            Unit(
                id: "patrol",
                nameZh: "巡警",
                nameEn: "Patrol",
                tier: .three,
                kind: .subUnit,
                parent: "police",
                dutyLines: DutyLines(count: 1),
                competence: Competence(categories: ["09"])
            )
        )
        #expect(
            DirectorySnapshot(units).responsibility(for: "09", in: "west", territories: Fixtures.territories)
                == .unit(Responsibility(dispatchTo: "police", handler: "police"))
        )
    }

    // Art. 9: after a unit leaves the directory, its matters go elsewhere.
    @Test func directoryVersionDecides() {
        let directory = Directory(
            units: Fixtures.units,
            changes: [DirectoryChange(effective: Fixtures.at("2026-10-15T00:00"), remove: ["heat"])]
        )
        let before = directory.snapshot(at: Fixtures.at("2026-10-14T12:00")).responsibility(
            for: "0101",
            in: "east",
            territories: Fixtures.territories
        )
        let after = directory.snapshot(at: Fixtures.at("2026-10-15T12:00")).responsibility(
            for: "0101",
            in: "east",
            territories: Fixtures.territories
        )
        #expect(before == .unit(Responsibility(dispatchTo: "housing", handler: "heat")))
        #expect(after == .unit(Responsibility(dispatchTo: "housing", handler: "housing")))
    }

    @Test func theCentreIsNeverResponsible() {
        var units = Fixtures.units
        units[0].competence = Competence(categories: ["12"])
        #expect(
            DirectorySnapshot(units).responsibility(for: "12", in: "east", territories: Fixtures.territories)
                == .unclear(candidates: [])
        )
    }
}
