internal import Foundation
internal import HotlineBackend
internal import HotlineCore

/// What a drive found: the work it put through the server, the server's outcomes beside the
/// simulator's, and every step where the two parted.
package struct DriveReport: Sendable, Encodable {
    /// Cases of one unit (by the unit the case was dispatched to): opened, closed, supervised.
    package struct UnitFigures: Sendable, Encodable, Equatable {
        package var cases = 0
        package var closed = 0
        package var supervisions = 0
    }

    package var callsOffered = 0
    package var steps = 0
    package var caseEvents = 0
    package var commands = 0
    package var linesIn = 0
    package var linesOut = 0
    package var advances = 0
    package var barriers = 0
    /// Dispositions by decision, as the simulator and the server made them.
    package var simDecisions: [String: Int] = [:]
    package var serverDecisions: [String: Int] = [:]
    /// Cases the simulator opened, and those compared whole with the server's.
    package var simCases = 0
    package var casesCompared = 0
    package var casesEqual = 0
    /// By unit and in all: the server's figures, then the simulator's.
    package var serverUnits: [String: UnitFigures] = [:]
    package var simUnits: [String: UnitFigures] = [:]
    package var serverStates: [String: Int] = [:]
    package var simStates: [String: Int] = [:]
    /// Steps where the server did not do what the simulator did (the first 100), and how many in all.
    package var mismatches: [String] = []
    package var mismatchCount = 0
    /// Error lines the server sent (the first 100), and how many in all.
    package var protocolErrors: [String] = []
    package var protocolErrorCount = 0
    package var notes: [String] = []
    /// Why the drive stopped early, if it did.
    package var aborted: String?
    package var wallSeconds = 0.0

    /// Whether the server did everything the simulator did, without an error.
    package var passed: Bool { aborted == nil && mismatchCount == 0 && protocolErrorCount == 0 }

    mutating func mismatch(_ text: String, at time: Instant, offset: Double) {
        mismatchCount += 1
        if mismatches.count < 100 {
            mismatches.append("\(time.iso(offsetHours: Int(offset / 3600))): \(text)")
        }
    }

    mutating func protocolError(_ o: JSONObject, peer: String, at time: Instant) {
        protocolErrorCount += 1
        if protocolErrors.count < 100 {
            let code = o["code"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?"
            let text = o["error"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?"
            protocolErrors.append("\(peer): \(code): \(text)")
        }
    }

    mutating func abort(_ error: any Error) {
        if aborted == nil { aborted = "\(error)" }
    }

    mutating func tally(served: Case, simulated: Case) {
        casesCompared += 1
        for (c, into) in [(served, \DriveReport.serverUnits), (simulated, \DriveReport.simUnits)] {
            let unit = c.order.responsibility.dispatchTo.rawValue
            self[keyPath: into][unit, default: UnitFigures()].cases += 1
            if c.state == .closed { self[keyPath: into][unit, default: UnitFigures()].closed += 1 }
            self[keyPath: into][unit, default: UnitFigures()].supervisions += c.supervisions.count
        }
        serverStates[served.state.rawValue, default: 0] += 1
        simStates[simulated.state.rawValue, default: 0] += 1
    }

    enum CodingKeys: String, CodingKey {
        case passed, callsOffered = "calls_offered", steps, caseEvents = "case_events", commands
        case linesIn = "lines_in", linesOut = "lines_out", advances, barriers
        case simDecisions = "sim_decisions", serverDecisions = "server_decisions", simCases = "sim_cases"
        case casesCompared = "cases_compared", casesEqual = "cases_equal", serverUnits = "server_units"
        case simUnits = "sim_units", serverStates = "server_states", simStates = "sim_states", mismatches
        case mismatchCount = "mismatch_count", protocolErrors = "protocol_errors"
        case protocolErrorCount = "protocol_error_count", notes, aborted, wallSeconds = "wall_s"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(passed, forKey: .passed)
        try c.encode(callsOffered, forKey: .callsOffered)
        try c.encode(steps, forKey: .steps)
        try c.encode(caseEvents, forKey: .caseEvents)
        try c.encode(commands, forKey: .commands)
        try c.encode(linesIn, forKey: .linesIn)
        try c.encode(linesOut, forKey: .linesOut)
        try c.encode(advances, forKey: .advances)
        try c.encode(barriers, forKey: .barriers)
        try c.encode(simDecisions, forKey: .simDecisions)
        try c.encode(serverDecisions, forKey: .serverDecisions)
        try c.encode(simCases, forKey: .simCases)
        try c.encode(casesCompared, forKey: .casesCompared)
        try c.encode(casesEqual, forKey: .casesEqual)
        try c.encode(serverUnits, forKey: .serverUnits)
        try c.encode(simUnits, forKey: .simUnits)
        try c.encode(serverStates, forKey: .serverStates)
        try c.encode(simStates, forKey: .simStates)
        try c.encode(mismatches, forKey: .mismatches)
        try c.encode(mismatchCount, forKey: .mismatchCount)
        try c.encode(protocolErrors, forKey: .protocolErrors)
        try c.encode(protocolErrorCount, forKey: .protocolErrorCount)
        try c.encode(notes, forKey: .notes)
        try c.encodeIfPresent(aborted, forKey: .aborted)
        try c.encode(wallSeconds, forKey: .wallSeconds)
    }
}
