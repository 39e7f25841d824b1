package import HotlineCore

extension Disposition {
    /// The protocol's name of the operator's action (a `disposition`'s `action`).
    package var protocolAction: String {
        switch self {
        case .directAnswer: "direct"
        case .threePartyCall: "three_party"
        case .phoneDispatch: "register"
        case .workOrder: "work_order"
        case .referral: "referral"
        case .escalation: "escalation"
        }
    }

    /// The disposition of a protocol action name.
    package init?(protocolAction: String) {
        guard let d = Disposition.allCases.first(where: { $0.protocolAction == protocolAction }) else { return nil }
        self = d
    }
}

/// The protocol name of a decision.
package func decisionName(_ d: CallDecision) -> String {
    switch d {
    case .answerDirectly: "answer_directly"
    case .conference: "conference"
    case .settledByUnit: "settled_by_unit"
    case .register(let order): order.channel == .phone ? "phone_dispatch" : "work_order"
    case .refer: "referral"
    case .escalate: "escalation"
    case .proposeToGovernment: "government_decision"
    case .unknownCategory: "unknown_category"
    }
}
