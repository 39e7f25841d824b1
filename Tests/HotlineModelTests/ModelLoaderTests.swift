import Foundation
import HotlineCore
import HotlineTesting
import Testing

@testable import HotlineModel

/// The model format, version 1 (docs/model.md).
struct ModelLoaderTests {
    /// The six-line single-queue form of docs/model.md.
    static let erlangA = Fixtures.sixLineModel

    @Test func sixLineErlangModel() throws {
        let m = try ModelLoader.load(text: Self.erlangA).model
        #expect(m.name == "erlang-a-example")
        #expect(m.service.thresholdSeconds == 20)
        #expect(m.arrivals.baseRatePerHour == Array(repeating: 1000, count: 48))
        #expect(m.staffing == .flat(72))
        #expect(m.handling == [.directAnswer: Handling(share: 1, talk: .exponential(mean: 240))])
        #expect(m.patience == .exponential(mean: 120))
    }

    @Test func patienceMayBeOmittedForErlangC() throws {
        let text = Self.erlangA.split(separator: "\n").dropLast().joined(separator: "\n")
        #expect(try ModelLoader.load(text: text).model.patience == nil)
    }

    @Test(arguments: [
        ("{ exponential: { mean_s: 240 } }", Distribution.exponential(mean: 240)),
        ("{ lognormal: { mean_s: 150, cv: 0.8 } }", .lognormal(mean: 150, cv: 0.8)),
        ("{ gamma: { mean_s: 300, cv: 0.5 } }", .gamma(mean: 300, cv: 0.5)),
        ("{ gamma: { mean_s: 300, shape: 4 } }", .gamma(mean: 300, cv: 0.5)),
        ("{ erlang: { k: 3, mean_s: 90 } }", .erlang(k: 3, mean: 90)),
        ("{ deterministic: { value_s: 60 } }", .deterministic(60)),
        ("{ uniform: { min_s: 10, max_s: 30 } }", .uniform(min: 10, max: 30)),
        (
            "{ empirical: { values_s: [30, 60, 120], probabilities: [0.2, 0.5, 0.3] } }",
            .empirical(values: [30, 60, 120], probabilities: [0.2, 0.5, 0.3])
        ),
    ])
    func everyDistributionFamily(yaml: String, expected: Distribution) throws {
        let text = Self.erlangA.replacingOccurrences(
            of: "patience: { exponential: { mean_s: 120 } }",
            with: "patience: \(yaml)"
        )
        #expect(try ModelLoader.load(text: text).model.patience == expected)
    }

    @Test func dailyVolumeWithAnHourlyProfile() throws {
        let text = """
            name: profile
            service: { threshold_s: 15 }
            arrivals:
              per_day: 1000
              profile: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 3.5, 6.5, 9.5, 10, 7.5, 4.5, 5.5, 8.5, 8, 7, 4.5, 3.5, 3, 2.5, 2, 1, 1]
              day_of_week: { mon: 1.1, sat: 0.7, sun: 0.7 }
              holiday_factor: 0.7
              seasons: [{ name: heating, from: "10-15", to: "04-15", factor: 1.2 }]
              surges: [{ date: 2026-12-21, days: 2, factor: 3 }]
            operators: { count: 10 }
            handling: { direct: { share: 1, talk: { exponential: { mean_s: 150 } } } }
            """
        let a = try ModelLoader.load(text: text).model.arrivals
        // The published profile adds up to 92.5 %: it is relative, so the day still has 1,000 calls.
        #expect(abs(a.baseCallsPerDay - 1000) < 1e-9)
        #expect(abs(a.baseRatePerHour[20] - 10 / 92.5 * 1000) < 1e-9)  // 10:00–10:30
        let cal = WorkingCalendar()
        #expect(a.dayFactor(CivilDate(parsing: "2026-07-06")!, calendar: cal) == 1.1)  // a Monday in summer
        // A Sunday in the heating season.
        #expect(abs(a.dayFactor(CivilDate(parsing: "2026-01-04")!, calendar: cal) - 0.7 * 1.2) < 1e-12)
        #expect(abs(a.dayFactor(CivilDate(parsing: "2026-12-22")!, calendar: cal) - 1.2 * 3) < 1e-12)  // surge day 2
        #expect(a.dayFactor(CivilDate(parsing: "2026-04-16")!, calendar: cal) == 1)  // the day after the season
    }

    @Test func twentyFourHourlyRatesBecomeFortyEightHalfHours() throws {
        let text = Self.erlangA.replacingOccurrences(
            of: "arrivals: { rate_per_hour: 1000 }",
            with: "arrivals: { per_hour: [\((0..<24).map(String.init).joined(separator: ", "))] }"
        )
        let a = try ModelLoader.load(text: text).model.arrivals
        #expect(a.baseRatePerHour[46] == 23)
        #expect(a.baseRatePerHour[47] == 23)
        #expect(a.baseCallsPerDay == Double((0..<24).reduce(0, +)))
    }

    @Test func shiftTableStaffsTheDay() throws {
        let text = Self.erlangA.replacingOccurrences(
            of: "operators: { count: 72 }",
            with: """
                operators:
                  shifts:
                    - { name: night, start: "22:00", hours: 10, count: 2 }
                    - { name: day, start: "08:00", hours: 14, count: 5, days: [mon, tue, wed, thu, fri], breaks: [{ start: "12:00", minutes: 30 }] }
                    - { name: weekend, start: "08:00", hours: 14, count: 3, days: [sat, sun] }
                    - { name: cover, start: "11:30", hours: 2, count: 1 }
                """
        )
        let staffing = try ModelLoader.load(text: text).model.staffing
        #expect(staffing.onDuty(secondsIntoDay: 3 * 3600, on: .monday) == 2)  // the night shift from Sunday
        #expect(staffing.onDuty(secondsIntoDay: 10 * 3600, on: .monday) == 5)
        #expect(staffing.onDuty(secondsIntoDay: 12 * 3600 + 600, on: .monday) == 1)  // the day shift's break
        #expect(staffing.onDuty(secondsIntoDay: 10 * 3600, on: .saturday) == 3)
        #expect(staffing.onDuty(secondsIntoDay: 23 * 3600, on: .saturday) == 2)
    }

    @Test func allErrorsAreReportedAtOnce() {
        let text = """
            name: many
            service: { threshold_s: -5 }
            arrivals: { rate_per_hour: 0 }
            operators: { count: 0 }
            handling: { direct: { share: 2, talk: { exponential: { mean_s: 0 } } } }
            """
        do {
            _ = try ModelLoader.load(text: text)
            Issue.record("must fail")
        } catch {
            #expect(
                error.errors.map(\.field) == [
                    "service.threshold_s", "arrivals.rate_per_hour", "operators.count", "handling.direct.share",
                    "handling.direct.talk.exponential.mean_s",
                ]
            )
            #expect(error.errors.map(\.line) == [2, 3, 4, 5, 5])
        }
    }

    @Test func misspeltSectionGetsASuggestion() {
        do {
            _ = try ModelLoader.load(text: Self.erlangA.replacingOccurrences(of: "patience:", with: "patiense:"))
            Issue.record("must fail")
        } catch {
            #expect(
                error.errors.first?.description
                    == "model.yaml:7:1: patiense: unknown key 'patiense' (did you mean 'patience'?)"
            )
        }
    }

    @Test func extensionKeysHoldAnchors() throws {
        let text =
            "x-talk: &talk { exponential: { mean_s: 240 } }\n"
            + Self.erlangA.replacingOccurrences(of: "talk: { exponential: { mean_s: 240 } }", with: "talk: *talk")
        #expect(try ModelLoader.load(text: text).model.handling[.directAnswer]?.talk == .exponential(mean: 240))
    }

    @Test func hostileInputsFailCleanly() {
        let inputs = [
            "", "~", "[]", "name: [", "\t- x", "a: &a [*a]", String(repeating: "[", count: 5000),
            "name: x\nservice: !!binary AAAA",
            "name: x\nservice: { threshold_s: .nan }", "name: x\nservice: { threshold_s: 1e999 }", "? [a]\n: b",
            "name: x\n  y: z",
        ]
        for text in inputs {
            #expect(throws: ModelLoadFailure.self, "\(text.prefix(20))") { try ModelLoader.load(text: text) }
        }
    }

    @Test func includedFilesMayNotRedefineASection() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-include-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try (Self.erlangA + "\ninclude: [more.yaml, missing.yaml]\n").write(
            to: dir.appendingPathComponent("model.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try "service: { threshold_s: 30 }\n".write(
            to: dir.appendingPathComponent("more.yaml"),
            atomically: true,
            encoding: .utf8
        )
        do {
            _ = try ModelLoader.load(path: dir.path)
            Issue.record("must fail")
        } catch {
            let messages = error.errors.map(\.description)
            #expect(
                messages.contains {
                    $0.hasSuffix(
                        "more.yaml:1:10: service: section 'service' is defined twice (also at \(dir.path)/model.yaml:2)"
                    )
                }
            )
            #expect(messages.contains { $0.hasSuffix("missing.yaml: no such file") })
        }
    }
}
