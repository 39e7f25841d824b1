/// A call as the operator has understood it.
package struct CallRequest: Hashable, Codable, Sendable {
    package var category: CategoryCode
    /// Where the matter is; `nil` when the caller could not say.
    package var territory: TerritoryID?
    /// What the operator judged the call needs (live), or what the category's mix drew (simulation).
    package var intent: Disposition
    /// Art. 5: the centre chooses to dispatch to a tier-3 unit directly.
    package var directToTierThree: Bool
    /// Art. 10(9): where the matter came from; a case assigned by city leaders or a provincial office is
    /// supervised by the centre directly from its registration.
    package var origin: CaseOrigin
    /// Art. 4(5), 10(6): the operator judged the matter major (deaths, wide impact); it is reported up
    /// the levels of the chain that take only major matters.
    package var major: Bool

    package init(
        category: CategoryCode,
        territory: TerritoryID? = nil,
        intent: Disposition,
        directToTierThree: Bool = false,
        origin: CaseOrigin = .public,
        major: Bool = false
    ) {
        self.category = category
        self.territory = territory
        self.intent = intent
        self.directToTierThree = directToTierThree
        self.origin = origin
        self.major = major
    }
}

/// How a registered case reaches the unit (Art. 7).
package enum DispatchChannel: String, Hashable, Codable, Sendable, CaseIterable {
    /// Art. 10(3): registered and handed over by telephone to the unit's duty line (电话交办).
    case phone
    /// Art. 10(4): a written work order, filed by the centre (交办工单, 立案).
    case workOrder = "work_order"
}

/// Why a case is registered instead of being settled on the call.
package enum RegistrationReason: String, Hashable, Codable, Sendable {
    /// Art. 10(3): the operator chose phone dispatch.
    case operatorChoice = "operator_choice"
    /// Art. 10(3): the unit's duty line was busy during the three-party call attempt.
    case dutyLineBusy = "duty_line_busy"
    /// Art. 10(3): the unit's duty line rang out.
    case dutyLineUnanswered = "duty_line_unanswered"
    /// Art. 10(3): the unit answered but could not answer on the spot.
    case unitCannotAnswer = "unit_cannot_answer"
    /// Art. 6: the unit's duty line is not staffed at this hour; the case goes in writing.
    case dutyLineOffDuty = "duty_line_off_duty"
    /// Art. 10(4): a complex matter, unfit for phone dispatch.
    case complexMatter = "complex_matter"
    /// Art. 10(6), 11: a major or urgent matter.
    case majorOrUrgent = "major_or_urgent"
    /// Art. 8: the city government decided who handles it.
    case governmentDecision = "government_decision"
}

/// A case to register: where it goes, how, and by when.
package struct CaseOrder: Hashable, Codable, Sendable {
    package var category: CategoryCode
    package var territory: TerritoryID?
    package var responsibility: Responsibility
    package var channel: DispatchChannel
    package var deadlineClass: DeadlineClassID
    package var deadlines: CaseDeadlines
    package var reason: RegistrationReason
    /// The article that makes this a registered case.
    package var article: Article
}

/// An upward report of a major or urgent matter, and when it is due (Art. 10(6)).
package struct EscalationReport: Hashable, Codable, Sendable {
    package var to: String
    package var due: Instant
}

/// Art. 10(6) and Art. 11: what an escalated call sets off.
package struct Escalation: Hashable, Codable, Sendable {
    /// The upward reports, level by level (Art. 10(6)).
    package var reports: [EscalationReport]
    /// The case for the lead unit, when one is responsible; `nil` sends it down the Art. 8 path too.
    package var order: CaseOrder?
    /// Art. 11: units notified at once to join the lead unit; each takes a duty line.
    package var assisting: [UnitID]

}

/// What happens to a call (Art. 10(1)–(6), 7, 8, 11).
package enum CallDecision: Hashable, Sendable {
    /// Art. 10(1): the operator answers; the contact is logged, no case is opened.
    case answerDirectly
    /// Art. 10(2): ring the duty line of `responsibility.handler` (reached through `dispatchTo`) and
    /// bridge it into the call; report the outcome with `Router.decision(after:…)`.
    case conference(Responsibility)
    /// Art. 10(2): the unit answered the caller on the spot; the contact is logged against the unit.
    case settledByUnit(UnitID)
    /// Art. 10(3), 10(4): register a case and dispatch it.
    case register(CaseOrder)
    /// Art. 10(5): refer to an organisation or discipline body.
    case refer(to: String)
    /// Art. 10(6), 11: report upward and open joint handling.
    case escalate(Escalation)
    /// Art. 8: no clear owner; the centre proposes, the city government decides by `decisionDue`.
    case proposeToGovernment(candidates: [UnitID], decisionDue: Instant)
    /// The category is not in the tree: the operator must classify the call first (Art. 4).
    case unknownCategory(CategoryCode)

    /// The article that makes this decision.
    package var article: Article {
        switch self {
        case .answerDirectly: Article(10, 1)
        case .conference, .settledByUnit: Article(10, 2)
        case .register(let order): order.article
        case .refer: Article(10, 5)
        case .escalate(let e): e.assisting.isEmpty ? Article(10, 6) : Article(11)
        case .proposeToGovernment: Article(8)
        case .unknownCategory: Article(4)
        }
    }
}

/// The outcome of a three-party call attempt, as the driver saw it (Art. 10(2), 10(3)).
package enum ConferenceOutcome: String, Hashable, Sendable, CaseIterable {
    /// The unit answered and settled the caller's question.
    case answeredOnSpot = "answered_on_spot"
    /// The unit answered but could not answer on the spot.
    case cannotAnswerOnSpot = "cannot_answer_on_spot"
    /// Every duty line of the unit was busy.
    case lineBusy = "line_busy"
    /// The duty line rang out.
    case noAnswer = "no_answer"
}

/// The routing core: decides what happens to a call from the rules, the model and the time.
///
/// Pure: it reads no clock, does no I/O and draws no random numbers; the simulator and the live
/// backend both ask it, so a rule decides the same way in both.
package struct Router: Hashable, Sendable {
    package var directory: Directory
    package var territories: TerritoryTree
    package var categories: CategoryTree
    package var calendar: WorkingCalendar
    package var policy: CasePolicy
    /// Art. 10(5): the bodies referrals go to; the first is used when a category names none.
    package var referralBodies: [String]
    /// Responsibility for every category code, territory (and none), dispatch choice and directory
    /// version, worked out once: routing a call is then a look-up, not a scan of the network.
    private var responsibilities: [ResponsibilityKey: ResponsibilityResult] = [:]

    private struct ResponsibilityKey: Hashable, Sendable {
        var version: Int
        var category: CategoryCode
        var territory: TerritoryID?
        var direct: Bool
    }

    package init(
        directory: Directory,
        territories: TerritoryTree,
        categories: CategoryTree,
        calendar: WorkingCalendar,
        policy: CasePolicy,
        referralBodies: [String] = []
    ) {
        self.directory = directory
        self.territories = territories
        self.categories = categories
        self.calendar = calendar
        self.policy = policy
        self.referralBodies = referralBodies
        var table: [ResponsibilityKey: ResponsibilityResult] = [:]
        let places: [TerritoryID?] = [nil] + territories.territories.keys.sorted()
        for (v, version) in directory.allVersions.enumerated() {
            for code in categories.categories.keys {
                for place in places {
                    for direct in [false, true] {
                        table[ResponsibilityKey(version: v, category: code, territory: place, direct: direct)] =
                            version.snapshot.responsibility(
                                for: code, in: place, territories: territories, directToTierThree: direct)
                    }
                }
            }
        }
        responsibilities = table
    }

    /// The unit responsible for a matter at a time, by the directory then in force (Art. 5, 7, 8, 9, 10).
    /// - Complexity: O(log c) for c directory changes, for a category and territory of the model.
    package func responsibility(
        for category: CategoryCode, in territory: TerritoryID?, directToTierThree: Bool, at time: Instant
    ) -> ResponsibilityResult {
        let v = directory.version(at: time)
        let key = ResponsibilityKey(version: v, category: category, territory: territory, direct: directToTierThree)
        if let known = responsibilities[key] { return known }
        return directory.allVersions[v].snapshot.responsibility(
            for: category, in: territory, territories: territories, directToTierThree: directToTierThree)
    }

    /// Decides what happens to a call the operator has classified.
    ///
    /// Order of the rules: referral (Art. 10(5)) and escalation (Art. 10(6), 11) first, since they do not
    /// wait on a unit; a direct answer (Art. 10(1)); then the responsible unit, by the directory in force
    /// (Art. 9) — none or several → Art. 8; then a three-party call (Art. 10(2)) when its duty line is
    /// staffed now, otherwise registration and dispatch (Art. 10(3), 10(4)).
    /// - Complexity: O(units); no I/O, no clock.
    package func disposition(for request: CallRequest, at time: Instant) -> CallDecision {
        guard let category = categories[request.category] else { return .unknownCategory(request.category) }
        let escalate =
            request.intent == .escalation || category.requestType == .emergency
            || (policy.classes[category.urgency]?.isEmergency ?? false)
        if request.intent == .referral {
            return .refer(to: category.referralBody ?? referralBodies.first ?? "discipline")
        }
        if escalate { return .escalate(escalation(for: request, category: category, at: time)) }
        if request.intent == .directAnswer { return .answerDirectly }

        let snapshot = directory.snapshot(at: time)
        switch responsibility(
            for: request.category, in: request.territory, directToTierThree: request.directToTierThree, at: time)
        {
        case .unclear(let candidates):
            return .proposeToGovernment(
                candidates: candidates,
                decisionDue: calendar.deadline(from: time, limit: policy.governmentDecisionWithin).at
            )
        case .unit(let r):
            let onDuty =
                snapshot.dutyLines[r.dispatchTo].map {
                    $0.count > 0 && $0.cover.covers(secondsIntoDay: time.secondsIntoDay)
                } ?? false
            switch request.intent {
            case .threePartyCall where onDuty:
                return .conference(r)
            case .threePartyCall, .phoneDispatch:
                let reason: RegistrationReason = onDuty ? .operatorChoice : .dutyLineOffDuty
                return .register(
                    order(request, category, r, onDuty ? .phone : .workOrder, reason, Article(10, 3), at: time)
                )
            default:
                return .register(order(request, category, r, .workOrder, .complexMatter, Article(10, 4), at: time))
            }
        }
    }

    /// What follows a three-party call attempt (Art. 10(2) → 10(3)).
    ///
    /// - Returns: `.settledByUnit` when the unit answered on the spot; otherwise the case is registered and
    ///   dispatched by phone with a deadline (Art. 10(3)), the reason saying why.
    package func decision(
        after outcome: ConferenceOutcome,
        of request: CallRequest,
        with r: Responsibility,
        at time: Instant
    ) -> CallDecision {
        guard let category = categories[request.category] else { return .unknownCategory(request.category) }
        let reason: RegistrationReason
        switch outcome {
        case .answeredOnSpot: return .settledByUnit(r.handler)
        case .cannotAnswerOnSpot: reason = .unitCannotAnswer
        case .lineBusy: reason = .dutyLineBusy
        case .noAnswer: reason = .dutyLineUnanswered
        }
        return .register(order(request, category, r, .phone, reason, Article(10, 3), at: time))
    }

    /// The case order for a unit chosen by the city government on the Art. 8 path.
    package func orderAfterGovernmentDecision(for request: CallRequest, unit: UnitID, at time: Instant) -> CaseOrder? {
        guard let category = categories[request.category], let u = directory.snapshot(at: time)[unit] else {
            return nil
        }
        let r = Responsibility(
            dispatchTo: u.tier == .three && !request.directToTierThree ? (u.upperTier ?? u.id) : u.id,
            handler: u.id
        )
        return order(request, category, r, .workOrder, .governmentDecision, Article(8), at: time)
    }

    /// The order of a case that no unit holds yet (Art. 8 awaiting a decision, Art. 10(5) referred,
    /// Art. 10(6) without a lead unit): the category's deadlines, held by the centre.
    package func unassignedOrder(for request: CallRequest, at time: Instant) -> CaseOrder? {
        guard let category = categories[request.category],
            let centre = directory.snapshot(at: time).units.values.first(where: { $0.kind == .centre })
        else { return nil }
        let r = Responsibility(dispatchTo: centre.id, handler: centre.id)
        return order(request, category, r, .workOrder, .governmentDecision, Article(8), at: time)
    }

    /// The rules case events are checked against (Art. 7, 10, 13).
    package var caseRules: CaseRules { CaseRules(policy: policy, calendar: calendar, directory: directory) }

    /// Art. 10(6): the levels a matter is reported to, in order; a level that takes only major matters
    /// is left out for one the operator did not judge major.
    private func escalation(for request: CallRequest, category: Category, at time: Instant) -> Escalation {
        let reports = policy.escalationChain.filter { $0.when == .all || request.major }.map {
            EscalationReport(to: $0.to, due: calendar.deadline(from: time, limit: $0.within).at)
        }
        let snapshot = directory.snapshot(at: time)
        var order: CaseOrder?
        if case .unit(let r) = responsibility(
            for: request.category, in: request.territory, directToTierThree: true, at: time)
        {
            order = self.order(request, category, r, .phone, .majorOrUrgent, Article(10, 6), at: time)
        }
        let assisting = (category.jointHandling?.assisting ?? []).filter {
            snapshot.contains($0) && $0 != order?.responsibility.handler
        }
        return Escalation(reports: reports, order: order, assisting: assisting)
    }

    private func order(
        _ request: CallRequest,
        _ category: Category,
        _ r: Responsibility,
        _ channel: DispatchChannel,
        _ reason: RegistrationReason,
        _ article: Article,
        at time: Instant
    ) -> CaseOrder {
        let deadlines =
            policy.deadlines(for: category.urgency, from: time, calendar: calendar)
            ?? CaseDeadlines(signFor: time, firstContact: time, reply: time, isAssumed: false)
        return CaseOrder(
            category: request.category,
            territory: request.territory,
            responsibility: r,
            channel: channel,
            deadlineClass: category.urgency,
            deadlines: deadlines,
            reason: reason,
            article: article
        )
    }
}

extension Router {
    /// The case a call's final decision opens, or `nil` when it opens none (a direct answer, a matter
    /// settled by the unit on the spot, an unknown category).
    ///
    /// Art. 10(3)/(4): a registered case; Art. 10(5): a referred case held by the centre; Art. 10(6) and 11:
    /// an escalated case with its upward reports and assisting units; Art. 8: a case awaiting the
    /// government's decision. The simulator and the live backend both open cases here, so that the same
    /// decision opens the same case in both.
    package func openCase(id: CaseID, for decision: CallDecision, of request: CallRequest, at time: Instant) -> Case? {
        let common = categories[request.category]?.commonMatter ?? false
        switch decision {
        case .register(let order):
            return Case(id: id, registering: order, at: time, commonMatter: common, origin: request.origin)
        case .refer(let body):
            guard let placeholder = unassignedOrder(for: request, at: time) else { return nil }
            return Case(id: id, referring: placeholder, to: body, at: time)
        case .escalate(let e):
            guard let order = e.order ?? unassignedOrder(for: request, at: time) else { return nil }
            return Case(id: id, escalating: e, order: order, at: time, commonMatter: common, origin: request.origin)
        case .proposeToGovernment(_, let due):
            guard let placeholder = unassignedOrder(for: request, at: time) else { return nil }
            return Case(
                id: id, awaitingDecision: placeholder, due: due, at: time, commonMatter: common, origin: request.origin)
        case .answerDirectly, .conference, .settledByUnit, .unknownCategory:
            return nil
        }
    }
}
