import HotlineTesting
import Testing

@testable import HotlineCore

/// The case life to the letter of the regulation: each test pins one rule the earlier core got wrong.
struct CaseLifeTests {
    let router = Fixtures.router()
    let start = Fixtures.at("2026-03-02T10:00")  // Monday

    func registered(
        _ category: CategoryCode = "0102", territory: TerritoryID = "east", origin: CaseOrigin = .public
    ) throws -> Case {
        let request = CallRequest(category: category, territory: territory, intent: .workOrder, origin: origin)
        let decision = router.disposition(for: request, at: start)
        guard let c = router.openCase(id: "C1", for: decision, of: request, at: start) else {
            throw Unrouted(decision: decision)
        }
        return c
    }

    struct Unrouted: Error { var decision: CallDecision }

    @discardableResult
    func step(_ c: inout Case, _ event: CaseEvent, at time: Instant, by actor: CaseActor) throws(CaseError)
        -> [CaseEffect]
    {
        try c.apply(event, at: time, by: actor, rules: router.caseRules)
    }

    func dispatched(_ category: CategoryCode = "0102", territory: TerritoryID = "east") throws -> Case {
        var c = try registered(category, territory: territory)
        try step(&c, .dispatch(c.order.responsibility, .workOrder), at: start, by: .centre)
        return c
    }

    // Art. 7: the tier-2 unit hands a case on only to its own sub-units or industry enterprises.
    @Test(arguments: ["west", "police-east", "housing", "nobody", "east"])
    func handOnOutsideTheHoldersOwnUnitsIsRefused(to: String) throws {
        var c = try dispatched("10", territory: "east-1")
        #expect(c.holder == "east")
        let before = c
        #expect(throws: CaseError.notASubUnit(UnitID(to))) {
            try step(&c, .handOn(to: UnitID(to)), at: start + 60, by: .unit("east"))
        }
        #expect(c == before)
        #expect(CaseError.notASubUnit("x").article == Article(7))
    }

    // Art. 5, 7: an enterprise is reached through its industry authority; a tier-3 unit hands on no further.
    @Test func enterpriseThroughItsIndustryAuthorityOnly() throws {
        var c = try dispatched("0101", territory: "east")
        #expect(c.order.responsibility == Responsibility(dispatchTo: "housing", handler: "heat"))
        try step(&c, .handOn(to: "heat"), at: start + 60, by: .unit("housing"))
        #expect(c.holder == "heat" && c.handedOnBy == "housing")
        #expect(throws: CaseError.notPermitted(actor: .unit("housing"), event: "hand_on")) {
            try step(&c, .handOn(to: "heat"), at: start + 120, by: .unit("housing"))
        }
        #expect(throws: CaseError.notASubUnit("street-1")) {
            try step(&c, .handOn(to: "street-1"), at: start + 120, by: .unit("heat"))
        }
    }

    // Art. 7: the hand-on is the tier-2 unit's acknowledgement; the sub-unit has its own sign-for limit,
    // so a late sub-unit is not the tier-2 unit's lapse and a hand-on is not timed twice against one limit.
    @Test func handOnGivesTheSubUnitItsOwnSignForLimit() throws {
        var c = try dispatched("10", territory: "east-1")
        let firstLimit = c.deadlines.signFor
        let handOnAt = firstLimit + 3600  // the tier-2 unit is an hour late
        _ = try step(&c, .deadlinePassed(.signFor, due: firstLimit), at: firstLimit, by: .timer)
        let effects = try step(&c, .handOn(to: "street-1"), at: handOnAt, by: .unit("east"))
        let own = try #require(
            effects.compactMap { e -> Instant? in if case .armTimer(.signFor, let at) = e { at } else { nil } }.first)
        #expect(own > handOnAt)
        #expect(c.lapses == [Lapse(step: .signFor, unit: "east", due: firstLimit, doneAt: handOnAt)])
        // The stale first timer changes nothing; the new one is the sub-unit's.
        #expect(try step(&c, .deadlinePassed(.signFor, due: firstLimit), at: handOnAt + 1, by: .timer).isEmpty)
        #expect(
            try step(&c, .deadlinePassed(.signFor, due: own), at: own, by: .timer) == [.missed(.signFor, "street-1")])
    }

    // Art. 8: the government's decision has a timer; a late decision is the centre's lapse, settled when it comes.
    @Test func governmentDecisionHasATimer() throws {
        let request = CallRequest(category: "10", territory: nil, intent: .workOrder)
        let due = start + 5 * 86_400
        let opened = try #require(
            router.openCase(
                id: "G1", for: .proposeToGovernment(candidates: [], decisionDue: due), of: request, at: start))
        var c = opened
        #expect(c.openingEffects == [.armTimer(.decision, at: due)])
        #expect(c.nextDeadline?.step == .decision)
        #expect(try step(&c, .deadlinePassed(.decision, due: due), at: due, by: .timer) == [.missed(.decision, nil)])
        let order = try #require(router.orderAfterGovernmentDecision(for: request, unit: "east", at: due + 60))
        try step(&c, .governmentDecided(order), at: due + 60, by: .centre)
        #expect(c.lapses == [Lapse(step: .decision, unit: nil, due: due, doneAt: due + 60)])
        #expect(c.state == .registered)
    }

    // Art. 10(8): the unit applies, the centre decides; never after the deadline, even once a supervision
    // has set a new limit (the earlier core granted it then).
    @Test func noExtensionAfterTheDeadlineEvenWithANewLimit() throws {
        var c = try dispatched()
        try step(&c, .signFor, at: start + 60, by: .unit("east"))
        try step(&c, .contactCaller, at: start + 120, by: .unit("east"))
        #expect(throws: CaseError.extensionNotRequested) {
            try step(&c, .grantExtension, at: start + 200, by: .centre)
        }
        let due = c.deadlines.reply
        try step(&c, .deadlinePassed(.reply, due: due), at: due, by: .timer)
        #expect(c.deadlines.reply > due + 86_400)  // the supervision's new limit
        #expect(throws: CaseError.extensionAfterDeadline) {
            try step(&c, .requestExtension, at: due + 3600, by: .unit("east"))
        }
    }

    // Art. 10(9): a passed reply limit is counted as overdue against the holder, and supervised.
    @Test func overdueRepliesAreCounted() throws {
        var c = try dispatched()
        let due = c.deadlines.reply
        let effects = try step(&c, .deadlinePassed(.reply, due: due), at: due, by: .timer)
        #expect(effects.first == .missed(.reply, "east"))
        #expect(effects.contains { if case .supervise("east", _) = $0 { true } else { false } })
        var tally = CaseTally()
        tally.count(c, for: "east", calendar: router.calendar)
        tally.countConduct(c, of: "east")
        #expect(tally.result.overdue == 1)
        #expect(tally.result.supervisions == 1)
        #expect(c.supervisions.last?.unit == "east")
    }

    /// Lets the reply limit pass `n` times in a row (each supervision sets a new one).
    func overdue(_ c: inout Case, times n: Int) throws -> [CaseEffect] {
        var effects: [CaseEffect] = []
        for _ in 0..<n {
            let due = c.deadlines.reply
            effects = try step(&c, .deadlinePassed(.reply, due: due), at: due, by: .timer)
        }
        return effects
    }

    // Art. 13: an organ supervised twice that still does not handle the case is reported for accountability.
    @Test func organsAreReportedForAccountability() throws {
        var c = try dispatched()
        #expect(try !overdue(&c, times: 2).contains { if case .reportForAccountability = $0 { true } else { false } })
        let third = try overdue(&c, times: 1)
        #expect(third.contains(.reportForAccountability("east", told: nil)))
        #expect(c.accountability?.reported == true)
        #expect(c.reportedForAccountability)
    }

    // Art. 13: an enterprise is not reported; its industry authority is told.
    @Test func enterprisesAnswerThroughTheirAuthority() throws {
        var c = try dispatched("0101", territory: "east")
        try step(&c, .handOn(to: "heat"), at: start + 60, by: .unit("housing"))
        let third = try overdue(&c, times: 3)
        #expect(third.contains(.tellAuthority("housing", about: "heat")))
        #expect(!third.contains { if case .reportForAccountability = $0 { true } else { false } })
        #expect(
            c.accountability == Accountability(unit: "heat", at: c.accountability!.at, reported: false, told: "housing")
        )
        #expect(!c.reportedForAccountability)
    }

    // Art. 10(9): cases assigned by city leaders or a provincial office are marked at intake and
    // supervised directly; a direct supervision is no step towards accountability.
    @Test(arguments: [CaseOrigin.cityLeader, .provincialPetitionBureau, .provincialHotlineOffice])
    func assignedCasesAreMarkedAtIntake(origin: CaseOrigin) throws {
        let c = try registered(origin: origin)
        #expect(c.origin == origin)
        #expect(c.supervisions.count == 1 && c.supervisions[0].direct)
        var tally = CaseTally()
        tally.count(c, for: nil, calendar: router.calendar)
        #expect(tally.result.leaderAssigned == 1)
        let ordinary = try registered()
        #expect(ordinary.supervisions.isEmpty)
    }

    // Art. 10(6): level by level, and only the levels whose threshold the matter reaches.
    @Test func escalationKeepsItsLevelsAndThresholds() throws {
        var policy = router.policy
        policy.escalationChain = [
            EscalationStep(to: "city", within: .wall(seconds: 1800)),
            EscalationStep(to: "province", within: .wall(seconds: 7200), when: .major),
        ]
        let r = Router(
            directory: router.directory, territories: router.territories, categories: router.categories,
            calendar: router.calendar, policy: policy)
        let ordinary = CallRequest(category: "11", territory: "west", intent: .escalation)
        guard case .escalate(let e) = r.disposition(for: ordinary, at: start) else {
            Issue.record("not escalated")
            return
        }
        #expect(e.reports.map(\.to) == ["city"])
        var major = ordinary
        major.major = true
        guard case .escalate(let m) = r.disposition(for: major, at: start),
            var c = r.openCase(id: "E1", for: .escalate(m), of: major, at: start)
        else {
            Issue.record("not escalated")
            return
        }
        #expect(m.reports.map(\.to) == ["city", "province"])
        #expect(
            c.openingEffects == [
                .armTimer(.upwardReport, at: start + 1800), .armTimer(.upwardReport, at: start + 7200),
            ])
        #expect(throws: CaseError.levelSkipped("province", before: "city")) {
            try c.apply(.reportUpward(to: "province"), at: start + 60, by: .centre, rules: r.caseRules)
        }
        // The city level was late: the centre's own lapse, settled when the report is made.
        #expect(
            try c.apply(
                .deadlinePassed(.upwardReport, due: start + 1800), at: start + 1800, by: .timer, rules: r.caseRules)
                == [.missed(.upwardReport, nil)])
        try c.apply(.reportUpward(to: "city"), at: start + 2000, by: .centre, rules: r.caseRules)
        try c.apply(.reportUpward(to: "province"), at: start + 2100, by: .centre, rules: r.caseRules)
        #expect(c.lapses == [Lapse(step: .upwardReport, unit: nil, due: start + 1800, doneAt: start + 2000)])
    }

    // Art. 11, 12: joint handling units must arrive in time, and the lead unit must report what it found.
    @Test func attendanceAndInformationHaveLimits() throws {
        let request = CallRequest(category: "11", territory: "west", intent: .escalation)
        guard case .escalate(let e) = router.disposition(for: request, at: start),
            var c = router.openCase(id: "E2", for: .escalate(e), of: request, at: start)
        else {
            Issue.record("not escalated")
            return
        }
        let lead = c.order.responsibility.handler
        try step(&c, .dispatch(c.order.responsibility, .phone), at: start + 60, by: .centre)
        let attend = try #require(c.attendanceDue)
        let inform = try #require(c.informationDue)
        try step(&c, .attend("fire"), at: start + 600, by: .unit("fire"))
        #expect(
            try step(&c, .deadlinePassed(.information, due: inform), at: inform, by: .timer) == [
                .missed(.information, lead)
            ])
        #expect(
            try step(&c, .deadlinePassed(.attendance, due: attend), at: attend, by: .timer) == [
                .missed(.attendance, lead)
            ])
        try step(&c, .reportInformation, at: attend + 60, by: .unit(lead))
        #expect(throws: CaseError.noInformationOwed) {
            try step(&c, .reportInformation, at: attend + 120, by: .unit(lead))
        }
        #expect(c.lapses.first { $0.step == .information }?.doneAt == attend + 60)
    }

    // Art. 10(11): the closure report has a limit once the result stands; a late one is a lapse.
    @Test func closureReportHasALimit() throws {
        var c = try dispatched()
        try step(&c, .signFor, at: start + 60, by: .unit("east"))
        try step(&c, .contactCaller, at: start + 120, by: .unit("east"))
        try step(&c, .reply(.phone), at: start + 3600, by: .unit("east"))
        let effects = try step(&c, .callback(.satisfied), at: start + 86_400, by: .centre)
        let due = try #require(c.closureReportDue)
        #expect(effects == [.armTimer(.closureReport, at: due)])
        #expect(c.nextDeadline?.step == .closureReport)
        #expect(
            try step(&c, .deadlinePassed(.closureReport, due: due), at: due, by: .timer) == [
                .missed(.closureReport, "east")
            ])
        try step(&c, .fileClosureReport, at: due + 3600, by: .unit("east"))
        try step(&c, .close, at: due + 3700, by: .centre)
        var tally = CaseTally()
        tally.count(c, for: "east", calendar: router.calendar)
        #expect(tally.result.closed == 1 && tally.result.closedOnTime == 0)
    }

    // Art. 10(10): a repeat call joins the open case, and the unit hears of it; a closed case takes none.
    @Test func repeatCallsJoinTheOpenCase() throws {
        var c = try dispatched()
        #expect(try step(&c, .repeatCall, at: start + 600, by: .centre) == [.notify("east", Article(10, 10))])
        #expect(c.repeatCalls == 1)
        #expect(throws: CaseError.notPermitted(actor: .unit("east"), event: "repeat_call")) {
            try step(&c, .repeatCall, at: start + 700, by: .unit("east"))
        }
    }

    // 退单: a wrongly dispatched case is returned within its limit of being received, or not at all.
    @Test func returnsHaveALimit() throws {
        var c = try dispatched()
        let late = Fixtures.at("2026-03-04T09:00")  // past the end of the next working day
        #expect(throws: CaseError.returnTooLate(limit: Fixtures.at("2026-03-04T00:00"))) {
            try step(&c, .returnCase, at: late, by: .unit("east"))
        }
        try step(&c, .returnCase, at: start + 3600, by: .unit("east"))
        #expect(c.returnedBy == ["east"] && c.state == .registered)
        // Sent again, the case starts afresh: its limits run from the new dispatch.
        let again = Fixtures.at("2026-03-03T10:00")
        try step(&c, .dispatch(c.order.responsibility, .workOrder), at: again, by: .centre)
        #expect(c.deadlines.signFor == Fixtures.at("2026-03-05T00:00"))
    }

    // The credit of a handed-on case: the sub-unit holds it (registered, supervised); the tier-2 unit
    // handed it on. The earlier simulator credited the tier-2 unit and supervised the tier-3 one.
    @Test func subUnitsAreCreditedWithTheirCases() throws {
        var c = try dispatched("10", territory: "east-1")
        try step(&c, .handOn(to: "street-1"), at: start + 60, by: .unit("east"))
        _ = try overdue(&c, times: 1)
        var ledger = CaseLedger(calendar: router.calendar)
        ledger.record(c)
        let figures = ledger.unitFigures
        #expect(figures["street-1"]?.registered == 1)
        #expect(figures["street-1"]?.supervisions == 1)
        #expect(figures["street-1"]?.openAtEnd == 1)
        #expect(figures["east"]?.registered == 0)
        #expect(figures["east"]?.handedOn == 1)
        #expect(ledger.figures.registered == 1)
    }
}
