package import HotlineCore

/// Small networks and calendars shared by the test targets.
package enum Fixtures {
    /// The 2026 calendar of the State Council notice of 4 November 2025 (NUMBERS.md).
    package static let calendar2026: WorkingCalendar = {
        func range(_ a: String, _ b: String) -> [CivilDate] {
            let x = CivilDate(parsing: a)!.dayNumber
            let y = CivilDate(parsing: b)!.dayNumber
            return (x...y).map(CivilDate.init(dayNumber:))
        }
        let holidays =
            range("2026-01-01", "2026-01-03") + range("2026-02-15", "2026-02-23") + range("2026-04-04", "2026-04-06")
            + range("2026-05-01", "2026-05-05") + range("2026-06-19", "2026-06-21") + range("2026-09-25", "2026-09-27")
            + range("2026-10-01", "2026-10-07")
        let makeUp = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"].map {
            CivilDate(parsing: $0)!
        }
        return WorkingCalendar(years: [HolidayYear(year: 2026, holidays: Set(holidays), makeUpWorkingDays: Set(makeUp))]
        )
    }()

    /// The six-line single-queue model of DESIGN.md (Erlang A).
    package static let sixLineModel = """
        name: erlang-a-example
        service: { threshold_s: 20 }
        arrivals: { rate_per_hour: 1000 }
        operators: { count: 72 }
        handling:
          direct: { share: 1.0, talk: { exponential: { mean_s: 240 } } }
        patience: { exponential: { mean_s: 120 } }
        """

    /// An instant from `YYYY-MM-DDTHH:MM`.
    package static func at(_ text: String) -> Instant { Instant(parsing: text)! }

    /// A small city: two districts with a street each, a housing bureau with a heating enterprise,
    /// a police bureau with a district branch, and categories for each.
    package static let territories = TerritoryTree([
        Territory(id: "city", nameZh: "市", nameEn: "City"),
        Territory(id: "east", nameZh: "东区", nameEn: "East", parent: "city"),
        Territory(id: "west", nameZh: "西区", nameEn: "West", parent: "city"),
        Territory(id: "east-1", nameZh: "东一街道", nameEn: "East Street 1", parent: "east"),
    ])

    package static let categories = CategoryTree([
        Category(
            code: "01",
            nameZh: "城建",
            nameEn: "Construction",
            requestType: .assistance,
            urgency: "general",
            dispositions: DispositionShares([.directAnswer: 1])
        ),
        Category(
            code: "0101",
            nameZh: "供热",
            nameEn: "Heating",
            requestType: .assistance,
            urgency: "outage",
            dispositions: DispositionShares([.directAnswer: 1]),
            callShare: 0.3
        ),
        Category(
            code: "0102",
            nameZh: "物业",
            nameEn: "Property",
            requestType: .assistance,
            urgency: "general",
            dispositions: DispositionShares([.directAnswer: 1]),
            callShare: 0.2
        ),
        Category(
            code: "09",
            nameZh: "治安",
            nameEn: "Public order",
            requestType: .complaint,
            urgency: "urgent",
            dispositions: DispositionShares([.directAnswer: 1]),
            callShare: 0.2
        ),
        Category(
            code: "10",
            nameZh: "社区",
            nameEn: "Community",
            requestType: .assistance,
            urgency: "general",
            dispositions: DispositionShares([.directAnswer: 1]),
            callShare: 0.1
        ),
        Category(
            code: "11",
            nameZh: "燃气泄漏",
            nameEn: "Gas leak",
            requestType: .emergency,
            urgency: "emergency",
            dispositions: DispositionShares([.escalation: 1]),
            callShare: 0.1,
            jointHandling: JointHandling(assisting: ["fire", "police"])
        ),
        Category(
            code: "12",
            nameZh: "建议",
            nameEn: "Suggestions",
            requestType: .complaint,
            urgency: "general",
            dispositions: DispositionShares([.directAnswer: 1]),
            callShare: 0.1,
            commonMatter: true,
            referralBody: "discipline"
        ),
    ])

    package static let units: [Unit] = [
        Unit(id: "centre", nameZh: "受理中心", nameEn: "Centre", tier: .centre, kind: .centre),
        Unit(
            id: "east",
            nameZh: "东区政府",
            nameEn: "East District",
            tier: .two,
            kind: .district,
            dutyLines: DutyLines(count: 1),
            competence: Competence(categories: ["0102", "10"], territories: ["east"])
        ),
        Unit(
            id: "west",
            nameZh: "西区政府",
            nameEn: "West District",
            tier: .two,
            kind: .district,
            dutyLines: DutyLines(count: 1),
            competence: Competence(categories: ["0102", "10"], territories: ["west"])
        ),
        Unit(
            id: "street-1",
            nameZh: "东一街道办",
            nameEn: "East Street 1 Office",
            tier: .three,
            kind: .subUnit,
            parent: "east",
            dutyLines: DutyLines(count: 1),
            competence: Competence(categories: ["10"], territories: ["east-1"])
        ),
        Unit(
            id: "housing",
            nameZh: "住建局",
            nameEn: "Housing",
            tier: .two,
            kind: .cityDepartment,
            dutyLines: DutyLines(count: 2),
            competence: Competence(categories: ["01"])
        ),
        Unit(
            id: "heat",
            nameZh: "供热公司",
            nameEn: "Heating Co",
            tier: .three,
            kind: .enterprise,
            industryAuthority: "housing",
            dutyLines: DutyLines(count: 2),
            competence: Competence(categories: ["0101"], territories: ["east", "west"])
        ),
        Unit(
            id: "police",
            nameZh: "公安局",
            nameEn: "Police",
            tier: .two,
            kind: .cityDepartment,
            dutyLines: DutyLines(count: 3),
            competence: Competence(categories: ["09", "11"])
        ),
        Unit(
            id: "police-east",
            nameZh: "东区分局",
            nameEn: "East Police Branch",
            tier: .three,
            kind: .subUnit,
            parent: "police",
            dutyLines: DutyLines(count: 1, cover: DailyCover(start: TimeOfDay(hour: 8), end: TimeOfDay(hour: 18))),
            competence: Competence(categories: ["09"], territories: ["east"])
        ),
        Unit(
            id: "fire",
            nameZh: "消防",
            nameEn: "Fire",
            tier: .two,
            kind: .provincialUnit,
            dutyLines: DutyLines(count: 2)
        ),
    ]

    /// A router over the small city with the standard deadline classes and the 2026 calendar.
    package static func router(changes: [DirectoryChange] = []) -> Router {
        var policy = CasePolicy.standard
        policy.escalationChain = [
            EscalationStep(to: "city duty office", within: .wall(seconds: 1800)),
            EscalationStep(to: "province", within: .wall(seconds: 7200)),
        ]
        return Router(
            directory: Directory(units: units, changes: changes),
            territories: territories,
            categories: categories,
            calendar: calendar2026,
            policy: policy,
            referralBodies: ["discipline"]
        )
    }
}
