import HotlineTesting
import Testing

@testable import HotlineCore

/// Call disposition, Art. 10(1)–(6), 7, 8 and 11.
struct CallRoutingTests {
    let router = Fixtures.router()
    let monday10 = Fixtures.at("2026-03-02T10:00")

    struct UnexpectedDecision: Error, CustomStringConvertible {
        var decision: CallDecision
        var description: String { "unexpected decision \(decision)" }
    }

    /// The escalation of an `.escalate` decision, or a test failure naming what came instead.
    func escalation(_ d: CallDecision) throws -> Escalation {
        guard case .escalate(let e) = d else { throw UnexpectedDecision(decision: d) }
        return e
    }

    /// The case order of a `.register` decision, or a test failure naming what came instead.
    func registration(_ d: CallDecision) throws -> CaseOrder {
        guard case .register(let order) = d else { throw UnexpectedDecision(decision: d) }
        return order
    }

    // Art. 10(1): the operator answers directly; no case.
    @Test func directAnswer() {
        let d = router.disposition(
            for: CallRequest(category: "0102", territory: "east", intent: .directAnswer),
            at: monday10
        )
        #expect(d == .answerDirectly)
        #expect(d.article == Article(10, 1))
    }

    // Art. 10(2): a three-party call with the responsible unit's duty line.
    @Test func threePartyCallWithTheResponsibleUnit() {
        let d = router.disposition(
            for: CallRequest(category: "0102", territory: "east", intent: .threePartyCall),
            at: monday10
        )
        #expect(d == .conference(Responsibility(dispatchTo: "east", handler: "east")))
        #expect(d.article == Article(10, 2))
    }

    // Art. 10(2): the unit answered on the spot; the matter is settled by the unit.
    @Test func unitAnswersOnTheSpot() {
        let request = CallRequest(category: "0102", territory: "east", intent: .threePartyCall)
        let r = Responsibility(dispatchTo: "east", handler: "east")
        #expect(router.decision(after: .answeredOnSpot, of: request, with: r, at: monday10) == .settledByUnit("east"))
    }

    // Art. 10(3): busy, unanswered, or unable to answer on the spot → register and dispatch by phone with a deadline.
    @Test(arguments: [
        (ConferenceOutcome.lineBusy, RegistrationReason.dutyLineBusy), (.noAnswer, .dutyLineUnanswered),
        (.cannotAnswerOnSpot, .unitCannotAnswer),
    ])
    func conferenceFallsBackToPhoneDispatch(outcome: ConferenceOutcome, reason: RegistrationReason) throws {
        let request = CallRequest(category: "0102", territory: "east", intent: .threePartyCall)
        let r = Responsibility(dispatchTo: "east", handler: "east")
        let d = router.decision(after: outcome, of: request, with: r, at: monday10)
        let order = try registration(d)
        #expect(order.channel == .phone)
        #expect(order.reason == reason)
        #expect(order.article == Article(10, 3))
        #expect(order.deadlineClass == "general")
        // General class: 5 working days from Monday 2 March → end of Monday 9 March.
        #expect(order.deadlines.reply == Fixtures.at("2026-03-10T00:00"))
        #expect(order.deadlines.signFor == Fixtures.at("2026-03-04T00:00"))
    }

    // Art. 10(3): phone dispatch chosen by the operator; the heating class runs on the wall clock.
    @Test func phoneDispatchWithWallClockDeadline() throws {
        let d = router.disposition(
            for: CallRequest(category: "0101", territory: "east", intent: .phoneDispatch),
            at: Fixtures.at("2026-02-15T22:00")
        )
        let order = try registration(d)
        #expect(order.channel == .phone)
        #expect(order.responsibility == Responsibility(dispatchTo: "housing", handler: "heat"))
        // Outage class: sign for in 30 min, reply in 24 h, holidays or not.
        #expect(order.deadlines.signFor == Fixtures.at("2026-02-15T22:30"))
        #expect(order.deadlines.reply == Fixtures.at("2026-02-16T22:00"))
    }

    // Art. 6: a duty line not staffed at this hour cannot join a three-party call; the case goes in writing.
    @Test func offDutyLineFallsBackToWrittenDispatch() throws {
        let request = CallRequest(category: "09", territory: "east", intent: .threePartyCall, directToTierThree: true)
        #expect(
            router.disposition(for: request, at: Fixtures.at("2026-03-02T10:00"))
                == .conference(Responsibility(dispatchTo: "police-east", handler: "police-east"))
        )
        let night = router.disposition(for: request, at: Fixtures.at("2026-03-02T23:00"))
        let order = try registration(night)
        #expect(order.reason == .dutyLineOffDuty)
        #expect(order.channel == .workOrder)
    }

    // Art. 10(4): a complex matter becomes a written work order filed by the centre.
    @Test func workOrderForComplexMatters() throws {
        let d = router.disposition(
            for: CallRequest(category: "10", territory: "east-1", intent: .workOrder),
            at: monday10
        )
        let order = try registration(d)
        #expect(order.channel == .workOrder)
        #expect(order.article == Article(10, 4))
        // Art. 7: dispatched to the district, handed on to the street office.
        #expect(order.responsibility == Responsibility(dispatchTo: "east", handler: "street-1"))
    }

    // Art. 10(5): reports for discipline bodies are referred.
    @Test func referral() {
        let d = router.disposition(for: CallRequest(category: "12", territory: "east", intent: .referral), at: monday10)
        #expect(d == .refer(to: "discipline"))
        #expect(d.article == Article(10, 5))
    }

    // Art. 10(6), Art. 11: an emergency is reported upward and opens joint handling at once.
    @Test func emergencyEscalatesWithJointHandling() throws {
        // Whatever the operator chose, an emergency-class category escalates.
        let d = router.disposition(
            for: CallRequest(category: "11", territory: "west", intent: .directAnswer),
            at: monday10
        )
        let e = try escalation(d)
        #expect(d.article == Article(11))
        #expect(e.reports.map(\.to) == ["city duty office", "province"])
        #expect(e.reports.map(\.due) == [Fixtures.at("2026-03-02T10:30"), Fixtures.at("2026-03-02T12:00")])
        #expect(e.order?.responsibility.handler == "police")
        #expect(e.order?.deadlines.signFor == Fixtures.at("2026-03-02T10:15"))
        // The lead unit is not also an assisting unit.
        #expect(e.assisting == ["fire"])
    }

    // Art. 10(6): a major matter in an ordinary category, escalated by the operator, without joint handling.
    @Test func operatorEscalation() throws {
        let d = router.disposition(
            for: CallRequest(category: "0102", territory: "east", intent: .escalation),
            at: monday10
        )
        let e = try escalation(d)
        #expect(d.article == Article(10, 6))
        #expect(e.assisting.isEmpty)
        #expect(e.order?.responsibility.dispatchTo == "east")
    }

    // Art. 8: no clear owner → the centre proposes, the government decides within its limit.
    @Test func noClearOwnerGoesToTheGovernment() {
        // With a territory the west district owns it; without one, nobody does.
        let west = router.disposition(
            for: CallRequest(category: "10", territory: "west", intent: .phoneDispatch),
            at: monday10
        )
        if case .register(let order) = west {
            #expect(order.responsibility.handler == "west")
        } else {
            Issue.record("got \(west)")
        }
        let nowhere = router.disposition(
            for: CallRequest(category: "10", territory: nil, intent: .phoneDispatch),
            at: monday10
        )
        #expect(nowhere == .proposeToGovernment(candidates: [], decisionDue: Fixtures.at("2026-03-10T00:00")))
        #expect(nowhere.article == Article(8))
        let order = router.orderAfterGovernmentDecision(
            for: CallRequest(category: "10", territory: nil, intent: .phoneDispatch),
            unit: "street-1",
            at: monday10
        )
        #expect(order?.responsibility == Responsibility(dispatchTo: "east", handler: "street-1"))
        #expect(order?.article == Article(8))
    }

    // Art. 4(1)–(5): five kinds of request; an Art. 4(5) emergency escalates whatever its deadline class.
    @Test func fiveRequestTypes() {
        #expect(RequestType.allCases.map(\.article) == (1...5).map { Article(4, $0) })
        var categories = Array(Fixtures.categories.categories.values)
        categories.append(
            Category(
                code: "13",
                nameZh: "重大事项",
                nameEn: "Major matter",
                requestType: .emergency,
                urgency: "general",
                dispositions: DispositionShares([.directAnswer: 1]),
                callShare: 0
            )
        )
        var router = self.router
        router.categories = CategoryTree(categories)
        let d = router.disposition(
            for: CallRequest(category: "13", territory: "east", intent: .directAnswer),
            at: monday10
        )
        if case .escalate = d {} else { Issue.record("an Art. 4(5) request must escalate, got \(d)") }
    }

    // Art. 4: a call must be classified in the tree.
    @Test func unknownCategory() {
        let d = router.disposition(for: CallRequest(category: "99", intent: .directAnswer), at: monday10)
        #expect(d == .unknownCategory("99"))
        #expect(d.article == Article(4))
    }

    // Art. 9: the same call routes by the directory in force.
    @Test func routingFollowsDirectoryChanges() throws {
        var moved = try #require(Fixtures.units.first { $0.id == "heat" })
        moved.competence.territories = ["west"]
        let router = Fixtures.router(changes: [
            DirectoryChange(effective: Fixtures.at("2026-10-15T00:00"), upsert: [moved])
        ])
        let request = CallRequest(category: "0101", territory: "east", intent: .threePartyCall)
        #expect(
            router.disposition(for: request, at: Fixtures.at("2026-10-14T09:00"))
                == .conference(Responsibility(dispatchTo: "housing", handler: "heat"))
        )
        #expect(
            router.disposition(for: request, at: Fixtures.at("2026-10-15T09:00"))
                == .conference(Responsibility(dispatchTo: "housing", handler: "housing"))
        )
    }
}
