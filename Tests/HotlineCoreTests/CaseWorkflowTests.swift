import HotlineTesting
import Testing

@testable import HotlineCore

/// The case state machine, Art. 10(7)–(11) and 13.
struct CaseWorkflowTests {
    let router = Fixtures.router()
    var policy: CasePolicy { router.policy }
    var calendar: WorkingCalendar { router.calendar }
    let start = Fixtures.at("2026-03-02T10:00")  // Monday

    func order(_ category: CategoryCode = "0102", territory: TerritoryID = "east") throws -> CaseOrder {
        let d = router.disposition(
            for: CallRequest(category: category, territory: territory, intent: .phoneDispatch),
            at: start
        )
        guard case .register(let o) = d else { throw RoutingFailed(decision: d) }
        return o
    }

    struct RoutingFailed: Error { var decision: CallDecision }

    /// Applies an event with the fixture's policy and calendar.
    @discardableResult
    func step(_ c: inout Case, _ event: CaseEvent, at time: Instant, by actor: CaseActor) throws(CaseError)
        -> [CaseEffect]
    {
        try c.apply(event, at: time, by: actor, rules: router.caseRules)
    }

    /// A case dispatched to `east`, signed for and with the caller contacted.
    func contactedCase(commonMatter: Bool = false) throws -> Case {
        var c = Case(id: "C1", registering: try order(), at: start, commonMatter: commonMatter)
        try step(&c, .dispatch(c.order.responsibility, .phone), at: start + 60, by: .centre)
        try step(&c, .signFor, at: start + 600, by: .unit("east"))
        try step(&c, .contactCaller, at: start + 3600, by: .unit("east"))
        return c
    }

    @Test func happyPathToClosure() throws {
        var c = Case(id: "C1", registering: try order(), at: start)
        let dispatch = try step(&c, .dispatch(c.order.responsibility, .phone), at: start + 60, by: .centre)
        #expect(dispatch.contains(.armTimer(.reply, at: Fixtures.at("2026-03-10T00:00"))))
        #expect(dispatch.contains(.notify("east", Article(7))))
        try step(&c, .signFor, at: start + 600, by: .unit("east"))
        try step(&c, .contactCaller, at: start + 3600, by: .unit("east"))
        let reply = try step(&c, .reply(.phone), at: Fixtures.at("2026-03-04T15:00"), by: .unit("east"))
        // The callback is due the next working day.
        #expect(
            reply == [
                .scheduleCallback(notBefore: Fixtures.at("2026-03-05T00:00"), by: Fixtures.at("2026-03-06T00:00"))
            ]
        )
        try step(&c, .callback(.satisfied), at: Fixtures.at("2026-03-05T09:00"), by: .centre)
        try step(&c, .fileClosureReport, at: Fixtures.at("2026-03-05T11:00"), by: .unit("east"))
        try step(&c, .close, at: Fixtures.at("2026-03-05T12:00"), by: .centre)
        #expect(c.state == .closed)
        #expect(c.invariantViolations().isEmpty)
    }

    // Art. 10(8): one extension only.
    @Test func secondExtensionIsRefused() throws {
        var c = try contactedCase()
        try step(&c, .requestExtension, at: start + 7000, by: .unit("east"))
        let effects = try step(&c, .grantExtension, at: start + 7200, by: .centre)
        // 5 more working days after 10 March (end of Mon 9 Mar): end of Mon 16 March.
        #expect(effects == [.armTimer(.reply, at: Fixtures.at("2026-03-17T00:00"))])
        let before = c
        #expect(throws: CaseError.extensionAlreadyUsed) {
            try step(&c, .grantExtension, at: start + 7300, by: .centre)
        }
        #expect(throws: CaseError.extensionAlreadyUsed) {
            try step(&c, .requestExtension, at: start + 7300, by: .unit("east"))
        }
        #expect(c == before)
        #expect(CaseError.extensionAlreadyUsed.article == Article(10, 8))
    }

    // Art. 10(8): the extension is applied for within the deadline.
    @Test func extensionAfterTheDeadlineIsRefused() throws {
        var c = try contactedCase()
        #expect(throws: CaseError.extensionAfterDeadline) {
            try step(&c, .requestExtension, at: Fixtures.at("2026-03-10T00:00"), by: .unit("east"))
        }
        // Applied for in time, but the centre let the deadline pass: too late to grant it.
        try step(&c, .requestExtension, at: Fixtures.at("2026-03-09T16:00"), by: .unit("east"))
        #expect(throws: CaseError.extensionAfterDeadline) {
            try step(&c, .grantExtension, at: Fixtures.at("2026-03-10T00:00"), by: .centre)
        }
    }

    // Art. 3: only the centre grants an extension, only the holder replies.
    @Test func permissionsFollowTheRoles() throws {
        var c = try contactedCase()
        try step(&c, .requestExtension, at: start + 7000, by: .unit("east"))
        #expect(throws: CaseError.notPermitted(actor: .unit("east"), event: "grant_extension")) {
            try step(&c, .grantExtension, at: start + 7200, by: .unit("east"))
        }
        #expect(throws: CaseError.notPermitted(actor: .centre, event: "request_extension")) {
            try step(&c, .requestExtension, at: start + 7200, by: .centre)
        }
        #expect(throws: CaseError.notPermitted(actor: .unit("west"), event: "reply")) {
            try step(&c, .reply(.phone), at: start + 7200, by: .unit("west"))
        }
        #expect(CaseError.notPermitted(actor: .centre, event: "x").article == Article(3))
    }

    // Art. 10(10): an individual matter is replied to by phone; only a common one through the media.
    @Test func mediaReplyOnlyForCommonMatters() throws {
        var individual = try contactedCase()
        #expect(throws: CaseError.mediaReplyForIndividualMatter) {
            try step(&individual, .reply(.media), at: start + 7200, by: .unit("east"))
        }
        var common = try contactedCase(commonMatter: true)
        let effects = try step(&common, .reply(.media), at: start + 7200, by: .unit("east"))
        #expect(effects.first == .answerThroughMedia)
        #expect(common.repliedVia == .media)
    }

    // Art. 10(11): a case closes only on the unit's closure report.
    @Test func closingNeedsTheClosureReport() throws {
        var c = try contactedCase()
        try step(&c, .reply(.phone), at: start + 7200, by: .unit("east"))
        try step(&c, .callback(.basicallySatisfied), at: start + 90000, by: .centre)
        #expect(throws: CaseError.closureReportMissing) {
            try step(&c, .close, at: start + 90100, by: .centre)
        }
        #expect(CaseError.closureReportMissing.article == Article(10, 11))
    }

    // Art. 10(7): the unit contacts the caller before it replies.
    @Test func replyBeforeContactIsIllegal() throws {
        var c = Case(id: "C1", registering: try order(), at: start)
        try step(&c, .dispatch(c.order.responsibility, .phone), at: start, by: .centre)
        try step(&c, .signFor, at: start + 60, by: .unit("east"))
        #expect(throws: CaseError.illegalTransition(from: .signedFor, event: "reply", article: Article(10, 8))) {
            try step(&c, .reply(.phone), at: start + 120, by: .unit("east"))
        }
    }

    // Art. 10(9): an overdue case is supervised with a new limit; Art. 13: after two supervisions, accountability.
    @Test func overdueCasesAreSupervisedThenReported() throws {
        var c = try contactedCase()
        let due = c.deadlines.reply
        #expect(throws: CaseError.timerNotDue(.reply)) {
            try step(&c, .deadlinePassed(.reply, due: due), at: due + -1, by: .timer)
        }
        let first = try step(&c, .deadlinePassed(.reply, due: due), at: due, by: .timer)
        // New limit: 3 working days after Tuesday 10 March → end of Friday 13 March.
        #expect(first.contains(.supervise("east", newDeadline: Fixtures.at("2026-03-14T00:00"))))
        #expect(!first.contains(.reportForAccountability("east", told: nil)))
        let second = try step(&c, .deadlinePassed(.reply, due: c.deadlines.reply), at: c.deadlines.reply, by: .timer)
        #expect(!second.contains(.reportForAccountability("east", told: nil)))
        #expect(c.supervisions.count == 2)
        let third = try step(&c, .deadlinePassed(.reply, due: c.deadlines.reply), at: c.deadlines.reply, by: .timer)
        #expect(third.contains(.reportForAccountability("east", told: nil)))
        #expect(c.reportedForAccountability)
        // A stale timer (the deadline it was armed for has moved) changes nothing.
        let snapshot = c
        #expect(
            try step(&c, .deadlinePassed(.reply, due: due), at: c.deadlines.reply + 10, by: .timer).isEmpty
        )
        #expect(c.supervisions == snapshot.supervisions)
    }

    // Art. 10(9): leader-assigned cases are supervised directly; that supervision does not count toward Art. 13.
    @Test func leaderAssignedCasesAreSupervisedFromTheStart() throws {
        let c = Case(id: "C2", registering: try order(), at: start, origin: .cityLeader)
        #expect(c.supervisions.count == 1)
        #expect(c.supervisions[0].direct)
    }

    // Art. 10(10): dissatisfied → re-handle with a new reply limit, or promise, or explain.
    @Test(arguments: FollowUp.allCases)
    func dissatisfiedCallerGetsAFollowUp(followUp: FollowUp) throws {
        var c = try contactedCase()
        try step(&c, .reply(.phone), at: start + 7200, by: .unit("east"))
        try step(&c, .callback(.dissatisfied), at: Fixtures.at("2026-03-03T09:00"), by: .centre)
        #expect(c.state == .dissatisfied)
        let effects = try step(&c, .followUp(followUp), at: Fixtures.at("2026-03-03T10:00"), by: .unit("east"))
        switch followUp {
        case .reHandle:
            #expect(c.state == .callerContacted)
            #expect(effects == [.armTimer(.reply, at: Fixtures.at("2026-03-11T00:00"))])
        case .promise, .explain:
            // The result stands: the closure report is due within its limit (Art. 10(11)).
            #expect(c.state == .accepted)
            #expect(effects == [.armTimer(.closureReport, at: c.closureReportDue!)])
        }
    }

    // Dissatisfied a second time → the centre supervises (NUMBERS.md; Art. 10(9)).
    @Test func dissatisfiedTwiceIsSupervised() throws {
        var c = try contactedCase()
        try step(&c, .reply(.phone), at: start + 7200, by: .unit("east"))
        try step(&c, .callback(.dissatisfied), at: start + 90000, by: .centre)
        try step(&c, .followUp(.reHandle), at: start + 90100, by: .unit("east"))
        try step(&c, .reply(.phone), at: start + 90200, by: .unit("east"))
        let effects = try step(&c, .callback(.dissatisfied), at: start + 190000, by: .centre)
        #expect(effects.contains { if case .supervise("east", _) = $0 { true } else { false } })
    }

    // Art. 7: the tier-2 unit hands the case on to its tier-3 unit, which signs for it.
    @Test func handOnToTierThree() throws {
        var c = Case(id: "C3", registering: try order("10", territory: "east-1"), at: start)
        #expect(c.order.responsibility == Responsibility(dispatchTo: "east", handler: "street-1"))
        try step(&c, .dispatch(c.order.responsibility, .workOrder), at: start, by: .centre)
        #expect(throws: CaseError.notPermitted(actor: .unit("street-1"), event: "sign_for")) {
            try step(&c, .signFor, at: start + 10, by: .unit("street-1"))
        }
        // The sub-unit has its own sign-for limit from the hand-on (Art. 7: its own timestamps).
        #expect(
            try step(&c, .handOn(to: "street-1"), at: start + 60, by: .unit("east"))
                == [.notify("street-1", Article(7)), .armTimer(.signFor, at: Fixtures.at("2026-03-04T00:00"))]
        )
        try step(&c, .signFor, at: start + 120, by: .unit("street-1"))
        #expect(c.holder == "street-1")
        #expect(c.dispatchedTo == "east")
    }

    // Returns (退单) are limited; then the centre designates the unit (Art. 3).
    @Test func returnsAreLimited() throws {
        var c = Case(id: "C4", registering: try order(), at: start)
        var t = start
        for _ in 0..<policy.maxReturns {
            try step(&c, .dispatch(c.order.responsibility, .phone), at: t, by: .centre)
            try step(&c, .returnCase, at: t + 60, by: .unit("east"))
            #expect(c.state == .registered)
            t = t + 120
        }
        try step(&c, .dispatch(c.order.responsibility, .phone), at: t, by: .centre)
        #expect(c.designated)
        #expect(c.returnedBy == ["east", "east", "east"])
        #expect(throws: CaseError.designated("east")) {
            try step(&c, .returnCase, at: t + 60, by: .unit("east"))
        }
        #expect(CaseError.designated("east").article == Article(3))
    }

    // Art. 10(5): a referral is closed when the body acknowledges it.
    @Test func referralClosesOnAcknowledgement() throws {
        var c = Case(id: "R1", referring: try order(), to: "discipline", at: start)
        #expect(c.state == .referred)
        #expect(throws: CaseError.illegalTransition(from: .referred, event: "sign_for", article: Article(10, 3))) {
            try step(&c, .signFor, at: start, by: .unit("east"))
        }
        try step(&c, .referralAcknowledged, at: start + 86400, by: .centre)
        #expect(c.state == .closed)
        #expect(c.invariantViolations().isEmpty)
    }

    // Art. 8: a case waits for the government's decision, then goes to the unit named.
    @Test func governmentDecisionRegistersTheCase() throws {
        var c = Case(id: "G1", awaitingDecision: try order(), due: start + 5 * 86_400, at: start)
        #expect(throws: CaseError.illegalTransition(from: .awaitingDecision, event: "dispatch", article: Article(7))) {
            try step(&c, .dispatch(c.order.responsibility, .phone), at: start, by: .centre)
        }
        let decided = try #require(
            router.orderAfterGovernmentDecision(
                for: CallRequest(category: "10", intent: .workOrder),
                unit: "west",
                at: start + 86400
            )
        )
        try step(&c, .governmentDecided(decided), at: start + 86400, by: .centre)
        #expect(c.state == .registered)
        #expect(c.order.responsibility.handler == "west")
    }

    // Art. 10(6), 11: an escalated case is reported upward level by level, dispatched to the lead unit,
    // and the assisting units are notified at once and record their attendance.
    @Test func escalatedCaseWithJointHandling() throws {
        let d = router.disposition(for: CallRequest(category: "11", territory: "east", intent: .escalation), at: start)
        guard case .escalate(let e) = d, let o = e.order else {
            Issue.record("expected an escalation with a lead unit, got \(d)")
            return
        }
        var c = Case(id: "E1", escalating: e, order: o, at: start)
        #expect(c.state == .escalated)
        try step(&c, .reportUpward(to: "city duty office"), at: start + 600, by: .centre)
        #expect(c.reportedUpward["city duty office"] == start + 600)
        #expect(throws: CaseError.notAnEscalationStep("the press")) {
            try step(&c, .reportUpward(to: "the press"), at: start + 601, by: .centre)
        }
        let effects = try step(&c, .dispatch(o.responsibility, .phone), at: start + 700, by: .centre)
        #expect(effects.contains(.notify("police", Article(7))))
        #expect(effects.contains(.notify("fire", Article(11))))
        #expect(effects.contains(.armTimer(.signFor, at: Fixtures.at("2026-03-02T10:15"))))
        try step(&c, .attend("fire"), at: start + 900, by: .unit("fire"))
        #expect(c.attendance["fire"] == start + 900)
        #expect(throws: CaseError.notAJointUnit("housing")) {
            try step(&c, .attend("housing"), at: start + 901, by: .unit("housing"))
        }
        // The second level may be reported after dispatch too.
        try step(&c, .reportUpward(to: "province"), at: start + 3600, by: .centre)
        #expect(c.reportedUpward.count == 2)
    }

    // Sign-for and first-contact limits: missed ones are recorded for the bulletin (Art. 13(5)).
    @Test func missedSignForIsRecorded() throws {
        var c = Case(id: "C5", registering: try order(), at: start)
        try step(&c, .dispatch(c.order.responsibility, .phone), at: start, by: .centre)
        let effects = try step(
            &c, .deadlinePassed(.signFor, due: c.deadlines.signFor), at: c.deadlines.signFor, by: .timer)
        #expect(effects == [.missed(.signFor, "east")])
        #expect(c.missed == [.signFor])
        // Only the timer service fires timers.
        #expect(throws: CaseError.notPermitted(actor: .centre, event: "deadline_passed")) {
            try step(
                &c, .deadlinePassed(.firstContact, due: c.deadlines.firstContact), at: c.deadlines.firstContact,
                by: .centre)
        }
    }

    @Test func eventsMayNotGoBackInTime() throws {
        var c = try contactedCase()
        #expect(throws: CaseError.outOfOrder(at: start, last: start + 3600)) {
            try step(&c, .reply(.phone), at: start, by: .unit("east"))
        }
    }
}
