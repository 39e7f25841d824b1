/// Text of a training scenario in Mandarin, with its English gloss.
package struct Gloss: Sendable, Hashable {
    package var zh: String
    package var en: String

    package init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}

/// A call a trainee plays as the level-1 operator, and what follows it: the caller, the truth of the
/// matter, how the world behaves (the unit's duty line, what the unit does over the following days,
/// the caller's verdict), and the model handling, each step with the article behind it and its points.
///
/// A scenario is checked against the city model's routing core when it is read: the model handling
/// must be what the core decides for the matter, so that a trainee is never taught a path the live
/// centre would refuse (docs/scenarios.md).
package struct TrainingScenario: Sendable, Hashable {
    /// How the caller feels; it sets how they react to a slow or curt operator.
    package enum Mood: String, Sendable, Hashable, CaseIterable {
        case calm, anxious, angry, confused
    }

    /// What the caller wants (GB/T 33358: consultation, help, complaint, report, suggestion, praise).
    package enum RequestKind: String, Sendable, Hashable, CaseIterable {
        case consultation, help, complaint, report, suggestion, praise
    }

    /// How the responsible unit's duty line behaves when the operator rings it.
    package enum DutyLine: String, Sendable, Hashable, CaseIterable {
        case answers
        case busy
        case noAnswer = "no_answer"
        case offDuty = "off_duty"
    }

    /// What the unit does on a day after the call.
    package enum UnitStep: String, Sendable, Hashable, CaseIterable {
        case signFor = "sign_for"
        case returnCase = "return"
        case requestExtension = "request_extension"
        case reply
        case missDeadline = "miss_deadline"
    }

    /// A step the trainee takes for the centre, during the call or in its aftermath.
    package enum OperatorStep: String, Sendable, Hashable, CaseIterable {
        case answerDirectly = "answer_directly"
        case threeParty = "three_party"
        case register
        case workOrder = "work_order"
        case refer
        case escalate
        case proposeToGovernment = "propose_to_government"
        case joinOpenCase = "join_open_case"
        case grantExtension = "grant_extension"
        case refuseExtension = "refuse_extension"
        case supervise
        case reportAccountability = "report_accountability"
        case notifyIndustryAuthority = "notify_industry_authority"
        case rehandle
        case answerThroughMedia = "answer_through_media"

        /// The article that asks for the step.
        package var article: Article {
            switch self {
            case .answerDirectly: Article(10, 1)
            case .threeParty: Article(10, 2)
            case .register: Article(10, 3)
            case .workOrder: Article(10, 4)
            case .refer: Article(10, 5)
            case .escalate: Article(10, 6)
            case .proposeToGovernment: Article(8)
            case .joinOpenCase: Article(10, 10)
            case .grantExtension, .refuseExtension: Article(10, 8)
            case .supervise: Article(10, 9)
            case .reportAccountability: Article(13)
            case .notifyIndustryAuthority: Article(13)
            case .rehandle: Article(10, 10)
            case .answerThroughMedia: Article(10, 10)
            }
        }

        /// The steps that settle the call itself; exactly one of them comes first in a model handling.
        package static let handling: [OperatorStep] = [
            .answerDirectly, .threeParty, .register, .workOrder, .refer, .escalate, .proposeToGovernment,
            .joinOpenCase,
        ]
    }

    /// The caller as the trainee meets them.
    package struct Caller: Sendable, Hashable {
        package var persona: Gloss
        package var mood: Mood
        /// Seconds the caller waits for the operator to act before they grow impatient.
        package var patienceSeconds: Double
        /// The caller's number: a trainee who writes it into a summary breaks Art. 15.
        package var number: String
        package var name: String?
        /// What the caller says, in order.
        package var says: [Gloss]
        /// What the caller answers to the operator's questions, by topic (`location`, `time` …).
        package var answers: [String: Gloss]

        package init(
            persona: Gloss, mood: Mood, patienceSeconds: Double, number: String, name: String? = nil,
            says: [Gloss], answers: [String: Gloss] = [:]
        ) {
            self.persona = persona
            self.mood = mood
            self.patienceSeconds = patienceSeconds
            self.number = number
            self.name = name
            self.says = says
            self.answers = answers
        }
    }

    /// The matter as it really is, which the trainee has to find out.
    package struct Truth: Sendable, Hashable {
        package var request: RequestKind
        package var category: CategoryCode
        package var territory: TerritoryID?
        /// The unit the directory makes responsible; `nil` when none is clear (Art. 8).
        package var unit: UnitID?
        /// The knowledge base holds the answer (Art. 10(1)).
        package var knowledgeBase: Bool
        /// Deaths, injuries or wide impact (Art. 4(5), 10(6)).
        package var major: Bool
        package var origin: CaseOrigin
        /// When the call comes in (local time): whether a duty line is staffed depends on it.
        package var callAt: Instant

        package init(
            request: RequestKind, category: CategoryCode, territory: TerritoryID?, unit: UnitID?,
            knowledgeBase: Bool = false, major: Bool = false, origin: CaseOrigin = .public, callAt: Instant
        ) {
            self.request = request
            self.category = category
            self.territory = territory
            self.unit = unit
            self.knowledgeBase = knowledgeBase
            self.major = major
            self.origin = origin
            self.callAt = callAt
        }
    }

    /// One thing the unit does, on a day counted from the call.
    package struct Aftermath: Sendable, Hashable {
        package var day: Double
        package var step: UnitStep

        package init(day: Double, step: UnitStep) {
            self.day = day
            self.step = step
        }
    }

    /// How the world behaves.
    package struct World: Sendable, Hashable {
        package var dutyLine: DutyLine
        /// In a three-party call, whether the unit settles the matter on the spot.
        package var answersOnTheSpot: Bool
        package var aftermath: [Aftermath]
        package var callerSatisfied: Bool

        package init(dutyLine: DutyLine, answersOnTheSpot: Bool, aftermath: [Aftermath], callerSatisfied: Bool) {
            self.dutyLine = dutyLine
            self.answersOnTheSpot = answersOnTheSpot
            self.aftermath = aftermath
            self.callerSatisfied = callerSatisfied
        }
    }

    /// A step of the model handling, with its points.
    package struct Expected: Sendable, Hashable {
        package var step: OperatorStep
        package var points: Int
        /// Why, for the trainee's feedback.
        package var why: Gloss?

        package init(step: OperatorStep, points: Int, why: Gloss? = nil) {
            self.step = step
            self.points = points
            self.why = why
        }
    }

    /// The scenario's name: its file name without `.yaml`.
    package var name: String
    package var title: Gloss
    package var caller: Caller
    package var truth: Truth
    package var world: World
    package var expected: [Expected]

    package init(name: String, title: Gloss, caller: Caller, truth: Truth, world: World, expected: [Expected]) {
        self.name = name
        self.title = title
        self.caller = caller
        self.truth = truth
        self.world = world
        self.expected = expected
    }

    /// The points of a full-marks handling.
    package var maxScore: Int { expected.reduce(0) { $0 + $1.points } }

    /// The first step of the model handling, the one that settles the call.
    package var handling: OperatorStep? { expected.first.map(\.step) }

    /// After a three-party call, what the routing core decides given how the world's duty line and
    /// unit behave (Art. 10(2) → 10(3)): `.register` when the case must be registered and dispatched,
    /// `nil` when the unit settled it on the spot or the handling is not a three-party call.
    package func coreAfterConference(by router: Router) -> OperatorStep? {
        guard handling == .threeParty,
            case .unit(let r) = router.responsibility(
                for: truth.category, in: truth.territory, directToTierThree: false, at: truth.callAt)
        else { return nil }
        let outcome: ConferenceOutcome =
            switch world.dutyLine {
            case .answers: world.answersOnTheSpot ? .answeredOnSpot : .cannotAnswerOnSpot
            case .busy: .lineBusy
            case .noAnswer, .offDuty: .noAnswer
            }
        let request = CallRequest(
            category: truth.category, territory: truth.territory, intent: .threePartyCall, origin: truth.origin,
            major: truth.major)
        switch router.decision(after: outcome, of: request, with: r, at: truth.callAt) {
        case .register(let order): return order.channel == .phone ? .register : .workOrder
        default: return nil
        }
    }

    /// What the routing core decides for this matter when the operator judges it as the model handling
    /// does: the step a live centre would carry out, and its article. `nil` when the core has no rule
    /// for the step (the aftermath's steps, a repeat call).
    package func coreDecision(by router: Router) -> (step: OperatorStep, article: Article)? {
        guard let handling else { return nil }
        let intent: Disposition
        switch handling {
        case .answerDirectly: intent = .directAnswer
        case .threeParty: intent = .threePartyCall
        case .register: intent = .phoneDispatch
        case .workOrder: intent = .workOrder
        case .refer: intent = .referral
        case .escalate: intent = .escalation
        case .proposeToGovernment: intent = .workOrder
        default: return nil
        }
        let request = CallRequest(
            category: truth.category, territory: truth.territory, intent: intent, origin: truth.origin,
            major: truth.major)
        let decision = router.disposition(for: request, at: truth.callAt)
        let step: OperatorStep? =
            switch decision {
            case .answerDirectly: .answerDirectly
            case .conference, .settledByUnit: .threeParty
            case .register(let order): order.channel == .phone ? .register : .workOrder
            case .refer: .refer
            case .escalate: .escalate
            case .proposeToGovernment: .proposeToGovernment
            case .unknownCategory: nil
            }
        return step.map { ($0, decision.article) }
    }
}
