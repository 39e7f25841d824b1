package import HotlineCore

/// What happens in a simulated day, step by step, as a live centre would see it: the callers, the
/// operators at their desktops, the units' duty lines and case systems, and the centre's own steps.
///
/// `hotline drive` watches a replication through this and plays every step to a running `hotline
/// serve` at the same simulated moment: the world's steps (a caller rings, an operator gives a
/// disposition, a unit signs for a case) as line events, and it checks that the server's own steps
/// (which call it bridges, which duty line it rings, which case it opens) are the simulator's.
/// Numbers: `call` is a call's number in the run (a caller's retrial is a new call, the centre's
/// call-back too), `person` the caller (the same across retrials), `op` an operator's seat, `case` a
/// case's serial number.
package enum CentreStep: Sendable {
    // Callers and the queue.
    /// A caller rings; an emergency line or choice is answered first.
    case arrived(call: Int, person: Int, emergency: Bool)
    /// The greeting is over: the caller queues (or goes straight to an operator). `tookOffer` says
    /// whether a call-back was offered (`nil`: not) and taken.
    case queued(call: Int, tookOffer: Bool?)
    /// A waiting caller hangs up.
    case abandoned(call: Int)
    /// An operator takes the call (the centre's ACD chose them).
    case answered(call: Int, op: Int)
    /// The caller leaves the call (after the talk, or after a three-party call).
    case hungUp(call: Int)

    // Operators.
    case loggedIn(op: Int)
    /// A break (or the end of the shift) is due; it starts when the work at hand is done.
    case away(op: Int, shiftEnd: Bool)
    /// Back from a break.
    case back(op: Int)
    /// After-call work is done.
    case wrappedUp(op: Int)
    /// The operator says what the call needs (`request` `nil`: no categories, answered directly); the
    /// core decided `decision`.
    case disposition(call: Int, op: Int, request: CallRequest?, decision: CallDecision)
    /// Three-party call: the unit's duty line answered, or rang out (Art. 10(2)).
    case unitRang(call: Int, answered: Bool)
    /// Three-party call: the operator reports how it went; the core decided `decision`.
    case conferenceOutcome(call: Int, op: Int, outcome: ConferenceOutcome, decision: CallDecision)
    /// The centre calls a caller back (a missed call, or one who took the offer) and an operator talks
    /// with them; `call` is the new call's number.
    case calledBack(call: Int, person: Int, op: Int, missed: Bool)

    /// Art. 10(10): the operator joined the call to the caller's open case (no new case).
    case repeatCall(call: Int, op: Int, case: Int)

    // Cases.
    /// A call's disposition opened a case.
    case caseOpened(case: Int, call: Int)
    /// The centre rang a unit's duty line to read it a case (Art. 10(3)); it answered or rang out.
    case dispatchRang(case: Int, answered: Bool)
    /// The reading is over: the duty line pressed "1" (signed for it), or let the limit pass.
    case dispatchRead(case: Int, signed: Bool)
    /// Art. 11: an assisting unit's duty line was rung (it answers) and told of the case; `ended` once
    /// it has heard it.
    case notified(case: Int, unit: UnitID, ended: Bool)
    /// The satisfaction survey rang the caller (Art. 10(10)): answered with a verdict, or not.
    case surveyed(case: Int, verdict: Satisfaction?)
    /// A unit or the centre took a step on a case.
    case caseEvent(case: Int, event: CaseEvent, actor: CaseActor)
    /// A case as it stands when it closes, or at the end of the run.
    case caseState(case: Int, value: Case)
}

/// Watches a replication (`Simulation.drive`); called on the replication's thread at each step's moment.
package protocol CentreObserver: AnyObject {
    /// `time`: the simulated moment, as the centre's local time.
    func step(_ step: CentreStep, at time: Instant)
}
