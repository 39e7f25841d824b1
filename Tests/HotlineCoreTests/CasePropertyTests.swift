import HotlineTesting
import Testing

@testable import HotlineCore

/// A property of the whole state machine: whatever events arrive, in whatever order, from whoever,
/// a case never reaches an illegal state, and a refused event leaves it untouched.
struct CasePropertyTests {

    static let actors: [CaseActor] = [
        .centre, .timer, .unit("east"), .unit("street-1"), .unit("housing"), .unit("heat"), .unit("fire"),
    ]

    static func randomEvent(for c: Case, router: Router, at time: Instant, using rng: inout SplitMix64) -> CaseEvent {
        // Each timer at its own deadline (when the case has one), and at an arbitrary moment.
        func due(_ t: CaseTimer) -> Instant {
            switch t {
            case .signFor: c.deadlines.signFor
            case .firstContact: c.deadlines.firstContact
            case .reply: c.deadlines.reply
            case .closureReport: c.closureReportDue ?? time
            case .attendance: c.attendanceDue ?? time
            case .information: c.informationDue ?? time
            case .decision: c.decisionDue ?? time
            case .upwardReport: c.escalationReports.first?.due ?? time
            }
        }
        let timers: [CaseEvent] = CaseTimer.allCases.flatMap { t in
            [CaseEvent.deadlinePassed(t, due: due(t)), .deadlinePassed(t, due: time)]
        }
        let order = router.orderAfterGovernmentDecision(
            for: CallRequest(category: "10", territory: "east-1", intent: .workOrder),
            unit: "street-1",
            at: time
        )!
        let events: [CaseEvent] =
            [
                .governmentDecided(order), .dispatch(c.order.responsibility, .phone),
                .dispatch(Responsibility(dispatchTo: "housing", handler: "heat"), .workOrder),
                .handOn(to: "street-1"), .handOn(to: "heat"), .handOn(to: "west"), .handOn(to: "police-east"),
                .handOn(to: "nobody"), .signFor, .returnCase, .contactCaller, .requestExtension, .grantExtension,
                .refuseExtension, .reportInformation, .repeatCall,
                .reply(.phone), .reply(.media),
                .callback(.satisfied), .callback(.basicallySatisfied), .callback(.dissatisfied), .followUp(.reHandle),
                .followUp(.promise),
                .followUp(.explain), .fileClosureReport, .close, .referralAcknowledged, .attend("fire"),
                .attend("east"), .reportUpward(to: "province"), .reportUpward(to: "nobody"),
            ] + timers
        return events.randomElement(using: &rng)!
    }

    @Test(arguments: 0..<8)
    func randomEventSequencesKeepTheInvariants(batch: Int) throws {
        let router = Fixtures.router()
        var rng = SplitMix64(seed: UInt64(batch) &* 0x2545_F491_4F6C_DD1D &+ 1)
        var reached: Set<CaseState> = []
        for run in 0..<400 {
            let start = Fixtures.at("2026-02-10T09:00") + Double(run % 50) * 86_400 / 7
            guard
                case .register(let order) = router.disposition(
                    for: CallRequest(category: "10", territory: "east-1", intent: .workOrder),
                    at: start
                )
            else {
                Issue.record("fixture does not route")
                return
            }
            var c: Case
            switch rng.next() % 7 {
            case 0: c = Case(id: "A", awaitingDecision: order, due: start + 86_400 * 3, at: start)
            case 1: c = Case(id: "R", referring: order, to: "discipline", at: start)
            case 2: c = Case(id: "L", registering: order, at: start, origin: .provincialPetitionBureau)
            case 3: c = Case(id: "M", registering: order, at: start, commonMatter: true, jointUnits: ["fire"])
            case 4:
                let reports = [EscalationReport(to: "province", due: start + 7200)]
                let escalation = Escalation(reports: reports, order: order, assisting: ["fire"])
                c = Case(id: "E", escalating: escalation, order: order, at: start)
            default: c = Case(id: "C", registering: order, at: start)
            }
            var time = start
            for _ in 0..<120 {
                time = time + Double(rng.next() % 200_000)
                let event = Self.randomEvent(for: c, router: router, at: time, using: &rng)
                let actor =
                    rng.next() % 3 == 0
                    ? Self.actors.randomElement(using: &rng)! : Self.likelyActor(for: event, case: c)
                let before = c
                do {
                    try c.apply(event, at: time, by: actor, rules: router.caseRules)
                    // Art. 7: a case is handed on only to the holder's own sub-unit or industry enterprise.
                    if case .handOn(let to) = event {
                        #expect(c.holder == to)
                        #expect(router.directory.snapshot(at: time)[to]?.upperTier == before.holder)
                    }
                    // Art. 10(8): an extension is granted within its deadline, once, on an application.
                    if case .grantExtension = event {
                        #expect(time < before.deadlines.reply)
                        #expect(!before.missed.contains(.reply))
                        #expect(!before.extensionGranted && before.extensionRequestedAt != nil)
                    }
                } catch {
                    // A refused event leaves the case exactly as it was, and names an article.
                    #expect(c == before, "event \(event.name) by \(actor) changed a case it was refused for")
                    #expect((1...17).contains(error.article.number))
                }
                let violations = c.invariantViolations()
                #expect(violations.isEmpty, "seed batch \(batch) run \(run): \(violations) after \(event.name)")
                reached.insert(c.state)
                if !violations.isEmpty { return }
            }
        }
        // The generator must actually drive cases through the workflow, or the property says little.
        #expect(
            reached.isSuperset(of: [
                .registered, .escalated, .referred, .awaitingDecision, .dispatched, .signedFor, .callerContacted,
                .replied, .accepted, .closed,
            ])
        )
    }

    /// Most events come from the actor who may send them, so sequences get deep into the workflow.
    static func likelyActor(for event: CaseEvent, case c: Case) -> CaseActor {
        switch event {
        case .deadlinePassed: .timer
        case .governmentDecided, .dispatch, .grantExtension, .refuseExtension, .callback, .close,
            .referralAcknowledged, .reportUpward, .repeatCall:
            .centre
        case .attend(let u): .unit(u)
        default: c.holder.map { .unit($0) } ?? .centre
        }
    }
}
