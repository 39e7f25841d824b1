internal import Foundation
package import HotlineCore

/// How the staff each interval needs is found.
package enum StaffingMethod: String, CaseIterable, Sendable, Codable {
    /// Each interval as its own stationary M/M/c queue (callers never hang up).
    case erlangC = "erlang-c"
    /// Each interval as its own stationary M/M/c+M queue, with the model's mean patience.
    case erlangA = "erlang-a"
    /// The iterative staffing algorithm: the whole time-varying model simulated and each interval's
    /// staff raised or lowered until every interval meets the target.
    case simulation
}

/// A service-level target: `serviceLevel` of offered calls answered within `thresholdS` seconds.
package struct ServiceTarget: Sendable, Hashable, Codable {
    package var serviceLevel: Double
    package var thresholdS: Double

    package init(serviceLevel: Double, thresholdS: Double) {
        self.serviceLevel = serviceLevel
        self.thresholdS = thresholdS
    }

    /// `0.85/15`: a share below 1, or a percentage from 1 to below 100 (`85/15`), and seconds.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        // Plain decimals only (no hex, exponents, nan or inf).
        func decimal(_ s: Substring) -> Double? {
            let digits = s.filter { $0 != "." }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                s.filter({ $0 == "." }).count <= 1
            else { return nil }
            return Double(s)
        }
        guard parts.count == 2, var share = decimal(parts[0]), let seconds = decimal(parts[1]) else { return nil }
        if share > 1 && share < 100 { share /= 100 }
        guard share > 0, share < 1, seconds > 0, seconds <= 3600, seconds.isFinite else { return nil }
        self.init(serviceLevel: share, thresholdS: seconds)
    }
}

/// The offered load of one interval, as the Erlang formulas see it.
package struct IntervalLoad: Sendable, Hashable {
    package var callsPerHour: Double
    /// Mean handling time (talk and after-call work), seconds.
    package var meanHandle: Double
    /// Mean patience, seconds; `nil` when callers never hang up.
    package var meanPatience: Double?

    package init(callsPerHour: Double, meanHandle: Double, meanPatience: Double?) {
        self.callsPerHour = callsPerHour
        self.meanHandle = meanHandle
        self.meanPatience = meanPatience
    }

    /// Offered load, erlangs.
    package var erlangs: Double { callsPerHour / 3600 * meanHandle }

    /// The queue with `servers` operators (`patience` for Erlang A).
    package func queue(_ servers: Int, patience: Bool) -> SingleQueue {
        SingleQueue(
            arrivalsPerHour: callsPerHour, meanServiceTime: meanHandle, servers: servers,
            meanPatience: patience ? meanPatience : nil)
    }

    /// The least operators that answer `target` of the calls in time: Erlang C, or Erlang A when
    /// `patience` and the model has a patience. 0 when no call arrives.
    ///
    /// Erlang C walks up from the least stable staff with Erlang B's recursion carried along (O(1)
    /// per step); Erlang A starts from the Erlang C staff and walks down (callers who hang up shorten
    /// the queue, so it rarely needs more), or up when it must.
    package func required(_ target: ServiceTarget, patience: Bool) -> Int {
        guard callsPerHour > 0, meanHandle > 0 else { return 0 }
        let a = erlangs
        let rate = callsPerHour / 3600
        var c = max(1, Int(a.rounded(.down)) + 1)
        var b = 1.0
        for k in 1...c { b = a * b / (Double(k) + a * b) }
        while c < 10_000_000 {
            let cd = Double(c)
            let wait = cd * b / (cd - a * (1 - b))
            if 1 - wait * exp(-(cd / meanHandle - rate) * target.thresholdS) >= target.serviceLevel { break }
            c += 1
            b = a * b / (Double(c) + a * b)
        }
        guard patience, meanPatience != nil else { return c }
        func meets(_ n: Int) -> Bool {
            (queue(n, patience: true).figures(threshold: target.thresholdS)?.serviceLevel ?? 0) >= target.serviceLevel
        }
        if meets(c) {
            while c > 1 && meets(c - 1) { c -= 1 }
        } else {
            repeat { c += 1 } while !meets(c) && c < 10_000_000
        }
        return c
    }
}

extension DesignDay {
    /// The Erlang view of each interval of the day: its calls per hour, the model's mean handling
    /// time and mean patience.
    package func loads(_ model: CityModel, intervalMinutes: Int) -> [IntervalLoad] {
        let handle = model.handling.values.reduce(0) { $0 + $1.share * ($1.talk.mean + ($1.afterCall?.mean ?? 0)) }
        return ratesPerHour(model, intervalMinutes: intervalMinutes).map {
            IntervalLoad(callsPerHour: $0, meanHandle: handle, meanPatience: model.patience?.mean)
        }
    }
}
