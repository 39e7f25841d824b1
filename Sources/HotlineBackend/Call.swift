internal import HotlineCore

/// A call in progress: inbound from a caller, or outbound (a duty line, a satisfaction callback, a
/// call-back of a missed call).
final class Call {
    enum Purpose {
        case inbound
        /// Reading a registered case to the unit's duty line (Art. 10(3)).
        case dispatch(CaseID, attempt: Int)
        /// The satisfaction callback of a replied case (Art. 10(10)).
        case satisfaction(CaseID)
        /// Calling back a caller who hung up in the queue or took the call-back offer.
        case missedCallback(MissedCall)
        /// Art. 11: telling an assisting unit's duty line to join the handling of an emergency at once.
        case notification(CaseID, UnitID, attempt: Int)
    }

    enum Stage: String {
        case answering, greeting, language, queued, callbackOffer = "callback_offer", connecting, talking
        case conference, dialing, reading, leaving, ended
    }

    let id: String
    /// The caller's number (Art. 15: never logged or shown unmasked).
    let from: String
    /// The caller's name as the PBX reports it (Asterisk's caller id name), for the operator only.
    var callerName: String?
    let purpose: Purpose
    /// The adapter connection that carries the call; `nil` while it is away (waiting for `resync`).
    weak var peer: Peer?
    /// The name of the adapter that owns the call: only it may send events about it.
    let owner: String
    /// The switchboard's key of the call: its owner and its id (two adapters may use the same ids).
    let key: String
    /// An emergency line or choice: answered before every other caller (the queue's first class).
    var emergency = false
    var stage: Stage
    /// Commands sent and not yet ended, by id, with the line to send again after a resync.
    var pending: [String: PendingCommand] = [:]
    /// The operator on the call.
    var agent: String?
    var queuedAt: Instant?
    var ticket = 0
    var language: String?
    var callbackOffered = false
    /// A unit's duty line this call holds (a three-party call or a dispatch reading).
    var heldLine: UnitID?
    /// The three-party call under way (Art. 10(2)): what the operator asked and whom the core named.
    var conference: (request: CallRequest, responsibility: Responsibility)?
    /// The three-party call is being written to the store; its duty line rings once it is on disk.
    var conferenceBeingKept = false
    /// The operator's leg has left the bridge (the operator hung up the phone).
    var operatorLeft = false
    /// A unit's duty line is in the bridge (its conference leg answered, and has not left).
    var unitInBridge = false
    var detachedAt: Instant?
    var announceGeneration = 0
    /// The call's business is done: the operator gave a disposition, or an outbound call was
    /// answered (an unanswered dispatch or notification is tried again).
    var settled = false

    init(id: String, from: String, purpose: Purpose, peer: Peer, stage: Stage) {
        self.id = id
        self.from = from
        self.purpose = purpose
        self.peer = peer
        self.owner = peer.name
        self.key = Call.key(owner: peer.name, id: id)
        self.stage = stage
    }

    /// The key of call `id` of adapter `owner`.
    static func key(owner: String, id: String) -> String { owner + "\u{1}" + id }

    /// Whether the caller waits in the queue for an operator.
    var isWaiting: Bool { stage == .queued || stage == .callbackOffer }

    var isInbound: Bool {
        if case .inbound = purpose { return true }
        return false
    }
}

/// A command sent to the adapter and not yet ended.
struct PendingCommand {
    var name: String
    var line: OutputLine
    /// What the switchboard does with its result.
    var intent: Intent

    enum Intent {
        case answer, greeting, languageMenu, hold, announcement, callbackOffer, connectAgent(String)
        case conferenceDial(UnitID), outboundDial(UnitID?), readCase, survey, farewell, hangup, transfer
    }
}

extension Call {
    /// Whether the duty line of this call's three-party call is ringing (its `dial` not yet ended).
    var dutyLineRinging: Bool {
        pending.values.contains { if case .conferenceDial = $0.intent { true } else { false } }
    }
}

extension PendingCommand.Intent {
    /// A command whose success is the channel coming up.
    var isAnswering: Bool {
        switch self {
        case .answer, .conferenceDial, .outboundDial: true
        default: false
        }
    }
}

/// How a command ended: every command ends in exactly one of these.
enum CommandStatus: String, CaseIterable {
    case ok, timeout, hungup, error
}

/// A caller to call back: their number and, when they took the offer in the queue, when.
struct MissedCall {
    var number: String
    var since: Instant
    var attempts = 0
}
