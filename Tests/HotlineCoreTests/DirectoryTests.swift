import HotlineTesting
import Testing

@testable import HotlineCore

/// The network directory: the tree of Art. 5, duty lines of Art. 6, dated versions of Art. 9.
struct DirectoryTests {
    // Art. 9: routing uses the directory version in force at the time.
    @Test func snapshotTakesTheVersionInForce() {
        let merged = Unit(
            id: "housing",
            nameZh: "住建局",
            nameEn: "Housing",
            tier: .two,
            kind: .cityDepartment,
            dutyLines: DutyLines(count: 5)
        )
        let directory = Directory(
            units: Fixtures.units,
            changes: [
                DirectoryChange(effective: Fixtures.at("2026-07-01T00:00"), upsert: [merged], remove: ["fire"])
            ]
        )
        #expect(directory.snapshot(at: Fixtures.at("2026-06-30T23:59"))["housing"]?.dutyLines?.count == 2)
        #expect(directory.snapshot(at: Fixtures.at("2026-06-30T23:59"))["fire"] != nil)
        #expect(directory.snapshot(at: Fixtures.at("2026-07-01T00:00"))["housing"]?.dutyLines?.count == 5)
        #expect(directory.snapshot(at: Fixtures.at("2026-07-01T00:00"))["fire"] == nil)
    }

    @Test func changesApplyInTimeOrderWhateverTheFileOrder() {
        let a = Unit(
            id: "x",
            nameZh: "甲",
            nameEn: "",
            tier: .two,
            kind: .cityDepartment,
            dutyLines: DutyLines(count: 1)
        )
        var b = a
        b.dutyLines = DutyLines(count: 9)
        let directory = Directory(
            units: [],
            changes: [
                DirectoryChange(effective: Fixtures.at("2026-09-01T00:00"), upsert: [b]),
                DirectoryChange(effective: Fixtures.at("2026-03-01T00:00"), upsert: [a]),
            ]
        )
        #expect(directory.snapshot(at: Fixtures.at("2026-02-01T00:00"))["x"] == nil)
        #expect(directory.snapshot(at: Fixtures.at("2026-05-01T00:00"))["x"]?.dutyLines?.count == 1)
        #expect(directory.snapshot(at: Fixtures.at("2026-12-01T00:00"))["x"]?.dutyLines?.count == 9)
    }

    @Test func theFixtureNetworkIsSound() {
        #expect(
            DirectorySnapshot(Fixtures.units).issues(territories: Fixtures.territories, categories: Fixtures.categories)
                .isEmpty
        )
    }

    // Art. 5: a tier-3 unit hangs under a tier-2 unit.
    @Test func tierThreeWithoutParentIsAnIssue() {
        var units = Fixtures.units
        units[3].parent = nil
        let issues = DirectorySnapshot(units).issues(territories: Fixtures.territories, categories: Fixtures.categories)
        #expect(issues == [.tierThreeWithoutUpperTier("street-1")])
    }

    // Art. 5: an enterprise's industry authority is its upper tier.
    @Test func enterpriseNeedsIndustryAuthority() {
        var units = Fixtures.units
        units[5].industryAuthority = nil
        let issues = DirectorySnapshot(units).issues(territories: Fixtures.territories, categories: Fixtures.categories)
        #expect(issues.contains(.tierThreeWithoutUpperTier("heat")))
        #expect(units[5].upperTier == nil)
        #expect(Fixtures.units[5].upperTier == "housing")
    }

    @Test func parentCycleIsFoundOnce() {
        let a = Unit(id: "a", nameZh: "甲", nameEn: "", tier: .three, kind: .subUnit, parent: "b")
        let b = Unit(id: "b", nameZh: "乙", nameEn: "", tier: .three, kind: .subUnit, parent: "c")
        let c = Unit(id: "c", nameZh: "丙", nameEn: "", tier: .three, kind: .subUnit, parent: "a")
        let issues = DirectorySnapshot([Fixtures.units[0], b, c, a]).issues(
            territories: Fixtures.territories,
            categories: Fixtures.categories
        )
        #expect(issues.filter { if case .parentCycle = $0 { true } else { false } } == [.parentCycle(["a", "b", "c"])])
    }

    // Art. 6: a unit that can be dispatched to keeps a duty line.
    @Test func dispatchTargetWithoutDutyLine() {
        var units = Fixtures.units
        units[4].dutyLines = DutyLines(count: 0)
        let issues = DirectorySnapshot(units).issues(territories: Fixtures.territories, categories: Fixtures.categories)
        #expect(issues == [.dispatchTargetWithoutDutyLine("housing")])
    }

    @Test func unknownReferencesAreIssues() {
        var units = Fixtures.units
        units[3].parent = "nowhere"
        units[4].competence.territories = ["atlantis"]
        units[4].competence.categories = ["99"]
        let issues = DirectorySnapshot(units).issues(territories: Fixtures.territories, categories: Fixtures.categories)
        #expect(issues.contains(.unknownParent("street-1", parent: "nowhere")))
        #expect(issues.contains(.unknownTerritory("housing", "atlantis")))
        #expect(issues.contains(.unknownCategory("housing", "99")))
    }

    // Art. 5: the centre is the single first tier.
    @Test func exactlyOneCentre() {
        let issues = DirectorySnapshot(Array(Fixtures.units.dropFirst())).issues(
            territories: Fixtures.territories,
            categories: Fixtures.categories
        )
        #expect(issues == [.noCentre])
    }

    @Test func dutyCoverWrapsPastMidnight() {
        let night = DailyCover(start: TimeOfDay(hour: 20), end: TimeOfDay(hour: 8))
        #expect(night.covers(secondsIntoDay: 23 * 3600))
        #expect(night.covers(secondsIntoDay: 3600))
        #expect(!night.covers(secondsIntoDay: 12 * 3600))
        #expect(DailyCover.allDay.covers(secondsIntoDay: 0))
    }
}
