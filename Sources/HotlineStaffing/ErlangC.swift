internal import Foundation

extension SingleQueue {
    /// Erlang C (M/M/c): callers never hang up. Requires load < servers.
    ///
    /// P(wait) = c B / (c − a (1 − B)); P(wait ≤ t) = 1 − P(wait) e^{−(cμ − λ) t}; mean wait P(wait) / (cμ − λ).
    /// - Returns: `nil` when the queue is unstable (load ≥ servers).
    package func erlangC(threshold t: Double) -> QueueFigures? {
        let a = load
        let c = Double(servers)
        guard servers > 0, a < c else { return nil }
        let b = erlangB(servers: servers, load: a)
        let pw = c * b / (c - a * (1 - b))
        let r = c / meanServiceTime - arrivalRate
        let wait = pw / r
        return QueueFigures(
            serviceLevel: 1 - pw * exp(-r * t), meanWait: wait, asa: wait, abandonRate: 0, occupancy: a / c,
            probabilityOfWaiting: pw)
    }
}
