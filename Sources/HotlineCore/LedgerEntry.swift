/// What the figures and the Art. 13 evidence need of a case, and nothing more: the simulator takes it
/// from the case as it ends, the store keeps it in columns beside the case, so that a year of cases is
/// counted without decoding a year of case records.
package struct LedgerEntry: Hashable, Sendable {
    package var id: CaseID
    package var registeredAt: Instant
    package var state: CaseState
    package var deadlineClass: DeadlineClassID
    package var disposition: CaseDisposition
    /// The unit answerable for the case (`Case.responsibleUnit`); `nil` for a referral.
    package var responsibleUnit: UnitID?
    package var directlySupervised: Bool
    package var signedAt: Instant?
    package var contactedAt: Instant?
    package var repliedAt: Instant?
    package var closedAt: Instant?
    package var extensionRequested: Bool
    package var extensionGranted: Bool
    package var reHandled: Int
    package var lastSatisfaction: Satisfaction?
    package var dissatisfiedCallbacks: Int
    package var repeatCalls: Int
    package var handedOnBy: UnitID?
    /// The lists, empty for most cases.
    package var returnedBy: [UnitID]
    package var supervisions: [Supervision]
    package var accountability: Accountability?
    package var lapses: [Lapse]

    package var isReferral: Bool { disposition == .referral }

    package init(_ c: Case) {
        id = c.id
        registeredAt = c.registeredAt
        state = c.state
        deadlineClass = c.order.deadlineClass
        disposition = c.disposition
        responsibleUnit = c.referralBody == nil ? c.responsibleUnit : nil
        directlySupervised = c.origin.isDirectlySupervised
        signedAt = c.signedAt
        contactedAt = c.contactedAt
        repliedAt = c.repliedAt
        closedAt = c.closedAt
        extensionRequested = c.extensionRequestedAt != nil
        extensionGranted = c.extensionGranted
        reHandled = c.reHandled
        lastSatisfaction = c.lastSatisfaction
        dissatisfiedCallbacks = c.dissatisfiedCallbacks
        repeatCalls = c.repeatCalls
        handedOnBy = c.handedOnBy
        returnedBy = c.returnedBy
        supervisions = c.supervisions
        accountability = c.accountability
        lapses = c.lapses
    }

    /// An entry read back from its parts (the store's columns).
    package init(
        id: CaseID, registeredAt: Instant, state: CaseState, deadlineClass: DeadlineClassID,
        disposition: CaseDisposition, responsibleUnit: UnitID?, directlySupervised: Bool, signedAt: Instant?,
        contactedAt: Instant?, repliedAt: Instant?, closedAt: Instant?, extensionRequested: Bool,
        extensionGranted: Bool, reHandled: Int, lastSatisfaction: Satisfaction?, dissatisfiedCallbacks: Int,
        repeatCalls: Int, handedOnBy: UnitID?, lists: Lists
    ) {
        self.id = id
        self.registeredAt = registeredAt
        self.state = state
        self.deadlineClass = deadlineClass
        self.disposition = disposition
        self.responsibleUnit = responsibleUnit
        self.directlySupervised = directlySupervised
        self.signedAt = signedAt
        self.contactedAt = contactedAt
        self.repliedAt = repliedAt
        self.closedAt = closedAt
        self.extensionRequested = extensionRequested
        self.extensionGranted = extensionGranted
        self.reHandled = reHandled
        self.lastSatisfaction = lastSatisfaction
        self.dissatisfiedCallbacks = dissatisfiedCallbacks
        self.repeatCalls = repeatCalls
        self.handedOnBy = handedOnBy
        returnedBy = lists.returnedBy
        supervisions = lists.supervisions
        accountability = lists.accountability
        lapses = lists.lapses
    }

    /// The lists of an entry, stored together (as JSON) when any is not empty.
    package struct Lists: Codable, Sendable, Equatable {
        package var returnedBy: [UnitID] = []
        package var supervisions: [Supervision] = []
        package var accountability: Accountability?
        package var lapses: [Lapse] = []

        package init() {}

        package var isEmpty: Bool {
            returnedBy.isEmpty && supervisions.isEmpty && accountability == nil && lapses.isEmpty
        }
    }

    package var lists: Lists {
        var l = Lists()
        l.returnedBy = returnedBy
        l.supervisions = supervisions
        l.accountability = accountability
        l.lapses = lapses
        return l
    }
}
