import Foundation
import HotlineCore
import Testing

@testable import HotlineModel

/// The bundled Mudanjiang model loads, is sound, and routes like the city does.
struct BundledModelTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Scenarios/mudanjiang").path

    static let loaded: LoadedModel = try! ModelLoader.load(path: path)
    var model: CityModel { Self.loaded.model }
    var router: Router { model.router }

    @Test func loadsFromItsFiveFiles() {
        #expect(
            Self.loaded.files.map { ($0 as NSString).lastPathComponent } == [
                "model.yaml", "network.yaml", "categories.yaml", "calendar.yaml", "shifts.yaml",
            ]
        )
        #expect(Self.loaded.warnings.isEmpty)
    }

    // Art. 5: the centre, the four districts and six county-level units, at least 20 departments and provincial units.
    @Test func networkHasTheCitysStructure() {
        let units = router.directory.base.sortedUnits
        #expect(units.filter { $0.tier == .centre }.count == 1)
        #expect(
            Set(units.filter { $0.kind == .district }.map(\.nameZh)) == ["东安区人民政府", "阳明区人民政府", "爱民区人民政府", "西安区人民政府"]
        )
        let counties = units.filter { $0.kind == .county || $0.kind == .countyLevelCity }.map {
            String($0.nameZh.prefix(3))
        }
        #expect(Set(counties) == ["林口县", "绥芬河", "海林市", "宁安市", "穆棱市", "东宁市"])
        #expect(units.filter { $0.kind == .cityDepartment || $0.kind == .provincialUnit }.count >= 20)
        #expect(units.filter { $0.tier == .three }.count >= 10)
        #expect(units.filter { $0.kind == .enterprise }.allSatisfy { $0.industryAuthority != nil })
        #expect(router.categories.count >= 40)
    }

    @Test func figuresComeFromNumbersMd() {
        #expect(abs(model.arrivals.baseCallsPerDay - 1000) < 1e-9)
        #expect(model.service.thresholdSeconds == 15)
        #expect(model.handling[.directAnswer]?.share == 0.70)
        #expect(model.handling[.directAnswer]?.talk == .lognormal(mean: 150, cv: 0.8))
        #expect(router.calendar.covers(year: 2026))
        #expect(router.calendar.kind(of: CivilDate(parsing: "2026-02-14")!) == .makeUpWorkingDay)
        #expect(model.arrivals.seasons.first?.contains(CivilDate(parsing: "2026-01-15")!) == true)
    }

    /// Every leaf category from every leaf territory finds one responsible unit with a duty line, so no
    /// ordinary call falls on the Art. 8 path by accident of the directory.
    @Test func everyCategoryHasAnOwnerEverywhere() {
        let leaves = router.territories.territories.values.filter { t in
            !router.territories.territories.values.contains { $0.parent == t.id }
        }
        for version in router.directory.allVersions {
            for category in router.categories.leaves {
                for territory in leaves {
                    let r = version.snapshot.responsibility(
                        for: category.code,
                        in: territory.id,
                        territories: router.territories
                    )
                    guard case .unit(let resp) = r else {
                        // Art. 8 by design: street vending in the urban districts (overlapping functions).
                        if category.code == "0205", case .unclear(let c) = r, c == ["market", "urban"] { continue }
                        Issue.record("\(category.code) \(category.nameEn) in \(territory.id): \(r)")
                        continue
                    }
                    #expect((version.snapshot[resp.dispatchTo]?.dutyLines?.count ?? 0) > 0)
                }
            }
        }
    }

    // Art. 5, 7, 9 on the real network.
    @Test(arguments: [
        ("010101", "dongan-xinan", "2026-03-02T09:00", "housing", "heat-east"),  // enterprise via industry authority
        ("010101", "xian-huoju", "2026-03-02T09:00", "housing", "heat-west"),
        ("010101", "xian-huoju", "2026-11-02T09:00", "housing", "heat-xian"),  // Art. 9: new company from 15 Oct
        ("010101", "linkou", "2026-03-02T09:00", "linkou", "linkou"),  // territory first: the county handles it
        ("0901", "aimin-huanghua", "2026-03-02T09:00", "psb", "police-aimin"),  // Art. 7: hand-on to the branch
        ("1001", "dongan-xinan", "2026-03-02T09:00", "dongan", "st-xinan"),  // street office under the district
        ("1001", "dongan-changan", "2026-03-02T09:00", "dongan", "dongan"),  // no office listed: the district
        ("030302", "ningan", "2026-03-02T09:00", "unicom", "unicom"),
        ("1204", "muling", "2026-03-02T09:00", "tax", "tax"),
    ])
    func routesLikeTheCity(category: String, territory: String, time: String, dispatchTo: String, handler: String) {
        let r = router.directory.snapshot(at: Instant(parsing: time)!).responsibility(
            for: CategoryCode(category),
            in: TerritoryID(territory),
            territories: router.territories
        )
        #expect(r == .unit(Responsibility(dispatchTo: UnitID(dispatchTo), handler: UnitID(handler))))
    }

    // Art. 11: a gas leak notifies the fire brigade and the police with the gas company.
    @Test func gasLeakOpensJointHandling() {
        let d = router.disposition(
            for: CallRequest(category: "010401", territory: "aimin-tiebei", intent: .directAnswer),
            at: Instant(parsing: "2026-03-02T09:00")!
        )
        guard case .escalate(let e) = d else {
            Issue.record("expected escalation, got \(d)")
            return
        }
        #expect(e.order?.responsibility.handler == "gas")
        #expect(e.assisting == ["fire", "psb"])
        // Art. 10(6): an ordinary emergency goes to the city's duty office; a major one on to the province.
        #expect(e.reports.map(\.to) == ["市委市政府总值班室"])
        let major = router.disposition(
            for: CallRequest(category: "010401", territory: "aimin-tiebei", intent: .directAnswer, major: true),
            at: Instant(parsing: "2026-03-02T09:00")!
        )
        guard case .escalate(let m) = major else {
            Issue.record("expected escalation, got \(major)")
            return
        }
        #expect(m.reports.map(\.to) == ["市委市政府总值班室", "省政府总值班室"])
    }

    // Art. 8: street vending is held by urban management and market regulation alike in the urban
    // districts: the bundled model reaches the government's decision.
    @Test func overlappingFunctionsReachArticleEight() {
        let d = router.disposition(
            for: CallRequest(category: "0205", territory: "aimin-tiebei", intent: .workOrder),
            at: Instant(parsing: "2026-03-02T09:00")!
        )
        guard case .proposeToGovernment(let candidates, _) = d else {
            Issue.record("expected Art. 8, got \(d)")
            return
        }
        #expect(candidates == ["market", "urban"])
    }

    // Art. 13: the power grid and the telecom operators are enterprises; the provident fund an institution.
    @Test func unitNaturesFollowTheArticle() {
        let units = router.directory.base
        for id in ["power", "mobile", "unicom", "telecom", "gas", "heat-east"] {
            #expect(units[UnitID(id)]?.nature == .enterprise, "\(id)")
        }
        #expect(units["provident"]?.nature == .institution)
        #expect(units["housing"]?.nature == .organ)
    }

    @Test func summaryFitsOneScreen() {
        let text = ModelSummary(model, year: 2026).text
        #expect(text.split(separator: "\n").count <= 24)
        #expect(text.contains("1 centre · 37 tier-2 · 18 tier-3 (56 units)"))
        #expect(text.contains("1,000 on an ordinary weekday"))
    }
}
