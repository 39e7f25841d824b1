/// A single queue with Poisson arrivals, exponential service and, for Erlang A, exponential patience.
package struct SingleQueue: Hashable, Sendable {
    /// Arrivals per second.
    package var arrivalRate: Double
    /// Mean service (talk + wrap-up) time in seconds.
    package var meanServiceTime: Double
    /// Servers (operators).
    package var servers: Int
    /// Mean patience in seconds; `nil` for callers who never hang up (Erlang C).
    package var meanPatience: Double?

    package init(arrivalsPerHour: Double, meanServiceTime: Double, servers: Int, meanPatience: Double? = nil) {
        self.arrivalRate = arrivalsPerHour / 3600
        self.meanServiceTime = meanServiceTime
        self.servers = servers
        self.meanPatience = meanPatience
    }

    /// Offered load in erlangs.
    package var load: Double { arrivalRate * meanServiceTime }
}

/// The exact steady-state figures of a single queue, with the definitions of the simulator's summary.
package struct QueueFigures: Hashable, Sendable, Codable {
    /// Answered within the threshold, over offered.
    package var serviceLevel: Double
    /// Mean queue wait of all offered callers (an abandoner counts its wait until it hung up).
    package var meanWait: Double
    /// Mean queue wait of answered callers.
    package var asa: Double
    /// Abandoned over offered.
    package var abandonRate: Double
    /// Busy time over staffed time.
    package var occupancy: Double
    /// Probability that an arriving caller waits at all.
    package var probabilityOfWaiting: Double
}
