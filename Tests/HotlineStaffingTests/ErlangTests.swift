import Testing

@testable import HotlineStaffing

/// Erlang B, C and A against exact reference figures, to 1e-9. An independent Python reference computed
/// these figures: it solves the Erlang A birth-death chain, and a tagged caller's absorbing chain with a
/// matrix exponential for the share answered within the threshold.
struct ErlangTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var perHour: Double
        var aht: Double
        var servers: Int
        var threshold: Double
        var patience: Double?
        var expected: QueueFigures
        var testDescription: String {
            "λ=\(perHour)/h aht=\(aht) c=\(servers) t=\(threshold) patience=\(patience.map { "\($0)" } ?? "∞")"
        }
    }

    static func figures(_ sl: Double, _ wait: Double, _ asa: Double, _ ab: Double, _ occ: Double, _ pw: Double)
        -> QueueFigures
    {
        QueueFigures(
            serviceLevel: sl, meanWait: wait, asa: asa, abandonRate: ab, occupancy: occ, probabilityOfWaiting: pw)
    }

    static let cases: [Case] = [
        // Erlang A: the benchmark model, a tighter one, patience shorter than talk, overload beyond 100 %.
        Case(
            perHour: 1000, aht: 240, servers: 74, threshold: 20, patience: 120,
            expected: figures(
                0.9525734657538154, 2.05918886340274, 1.9142224677650823, 0.017159907195022837, 0.885441525049529,
                0.17171546365310153)),
        Case(
            perHour: 1000, aht: 240, servers: 72, threshold: 20, patience: 120,
            expected: figures(
                0.9284629588195017, 2.990738294926739, 2.786086287075299, 0.02492281912438949, 0.9028492415514913,
                0.23208194417922148)),
        Case(
            perHour: 1000, aht: 240, servers: 60, threshold: 20, patience: 60,
            expected: figures(
                0.755266096498497, 7.7840179442140265, 7.3397845790581275, 0.12973363240356708, 0.9669626306627033,
                0.5836979077487902)),
        Case(
            perHour: 500, aht: 300, servers: 30, threshold: 15, patience: 30,
            expected: figures(
                0.546831291445312, 9.037719584061378, 7.913311985858188, 0.3012573194687126, 0.9704759451823437,
                0.6674237076080993)),
        Case(
            perHour: 120, aht: 180, servers: 5, threshold: 10, patience: 300,
            expected: figures(
                0.25438998929546386, 69.96257915083983, 68.9600330048708, 0.2332085971694661, 0.9201496833966407,
                0.7803161146079828)),
        Case(
            perHour: 1000, aht: 240, servers: 80, threshold: 0, patience: 120,
            expected: figures(
                0.9453896659220284, 0.536083158947695, 0.4992050558495618, 0.004467359657897458, 0.8296105336184187,
                0.05461033407797168)),
        // Erlang C.
        Case(
            perHour: 1000, aht: 240, servers: 74, threshold: 20, patience: nil,
            expected: figures(
                0.8461363197732057, 9.277866411839778, 9.277866411839778, 0, 0.9009009009009009, 0.28349036258399324)),
        Case(
            perHour: 360, aht: 300, servers: 35, threshold: 20, patience: nil,
            expected: figures(
                0.7960877552405334, 17.07494774481045, 17.07494774481045, 0, 0.8571428571428571, 0.28458246241350743)),
        Case(
            perHour: 100, aht: 180, servers: 6, threshold: 15, patience: nil,
            expected: figures(
                0.45945877125086787, 105.75296108291025, 105.75296108291025, 0, 0.8333333333333331, 0.5875164504606126)),
    ]

    @Test(arguments: cases)
    func exactFigures(c: Case) throws {
        let q = SingleQueue(
            arrivalsPerHour: c.perHour, meanServiceTime: c.aht, servers: c.servers, meanPatience: c.patience)
        let f = try #require(q.figures(threshold: c.threshold))
        let e = c.expected
        for (name, got, want) in [
            ("service_level", f.serviceLevel, e.serviceLevel), ("mean_wait_s", f.meanWait, e.meanWait),
            ("asa_s", f.asa, e.asa),
            ("abandon_rate", f.abandonRate, e.abandonRate), ("occupancy", f.occupancy, e.occupancy),
            ("p_wait", f.probabilityOfWaiting, e.probabilityOfWaiting),
        ] {
            #expect(abs(got - want) <= 1e-9 * max(1, abs(want)), "\(name): \(got) vs \(want)")
        }
    }

    @Test(arguments: [
        (10, 5.0, 0.01838457033664814), (1, 1.0, 0.5), (30, 20.0, 0.008457498340194703),
        (100, 90.0, 0.026957380464359214),
    ])
    func erlangBPublishedValues(servers: Int, load: Double, expected: Double) {
        #expect(abs(erlangB(servers: servers, load: load) - expected) < 1e-12)
    }

    @Test func erlangCIsUndefinedWhenOverloaded() {
        #expect(
            SingleQueue(arrivalsPerHour: 1000, meanServiceTime: 240, servers: 66, meanPatience: nil).erlangC(
                threshold: 20) == nil)
        // Erlang A stays defined beyond 100 % load: impatient callers keep the queue finite.
        let overloaded = SingleQueue(arrivalsPerHour: 1000, meanServiceTime: 240, servers: 50, meanPatience: 60)
            .erlangA(threshold: 20)
        #expect((overloaded?.abandonRate ?? 0) > 0.2)
        #expect((overloaded?.occupancy ?? 0) > 0.99)
    }

    /// Erlang A tends to Erlang C as patience grows.
    @Test func erlangATendsToErlangC() throws {
        let c = try #require(
            SingleQueue(arrivalsPerHour: 1000, meanServiceTime: 240, servers: 74).erlangC(threshold: 20))
        let a = try #require(
            SingleQueue(arrivalsPerHour: 1000, meanServiceTime: 240, servers: 74, meanPatience: 1e7).erlangA(
                threshold: 20))
        #expect(abs(a.serviceLevel - c.serviceLevel) < 1e-4)
        #expect(abs(a.meanWait - c.meanWait) < 1e-2)
    }
}
