internal import HotlineCore

/// An operator, as the ACD sees them. Status is the operator's choice (ready or not); state is the
/// engine's (reserved for a call, talking, wrapping up).
struct Agent {
    enum State: String { case notReady = "not_ready", ready, reserved, talking, wrapUp = "wrap_up" }

    let id: String
    var state: State = .notReady
    /// Since when the operator has been ready without a call: the longest idle is offered the next call.
    var idleSince = Instant(seconds: 0)
    var call: String?
    /// The call the operator is wrapping up: its disposition, or the outcome of its three-party call,
    /// may still be given (the caller hung up first).
    var wrappingUp: Call?
    /// Bumped when a wrap-up timer is superseded.
    var generation = 0
    /// The desktop connection the operator works from.
    weak var desk: Peer?
    /// What the operator asked for that waits until the call at hand and its wrap-up are over.
    var afterWork = AfterWork.none

    enum AfterWork {
        /// Ready for the next call.
        case none
        /// Not ready (a break).
        case notReady
        /// Logged out (the shift is over).
        case logout
    }

    /// On duty: logged in and not on a break (ready, on a call or wrapping up).
    var onDuty: Bool { state != .notReady }
}
