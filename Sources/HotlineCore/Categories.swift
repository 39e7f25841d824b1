/// The five kinds of request the hotline takes (Art. 4).
package enum RequestType: String, Hashable, Sendable, CaseIterable {
    /// Art. 4(1): consultations and public information.
    case consultation
    /// Art. 4(2): a problem that needs a government department.
    case assistance
    /// Art. 4(3): a claim that one's rights were infringed.
    case rightsClaim = "rights_claim"
    /// Art. 4(4): reports and complaints of units not doing their duty, criticism, suggestions.
    case complaint
    /// Art. 4(5): emergencies and wide-reaching major matters in the city.
    case emergency

    package var article: Article {
        switch self {
        case .consultation: Article(4, 1)
        case .assistance: Article(4, 2)
        case .rightsClaim: Article(4, 3)
        case .complaint: Article(4, 4)
        case .emergency: Article(4, 5)
        }
    }
}

/// How the operator settles a call (Art. 10(1)–(6)).
package enum Disposition: String, Hashable, Codable, Sendable, CaseIterable, Comparable {
    /// Art. 10(1): the operator answers on the spot.
    case directAnswer = "direct"
    /// Art. 10(2): a three-party call with the responsible unit's duty line.
    case threePartyCall = "three_party"
    /// Art. 10(3): registered and dispatched to the unit by phone, with a deadline.
    case phoneDispatch = "phone_dispatch"
    /// Art. 10(4): a written work order; the centre files the case.
    case workOrder = "work_order"
    /// Art. 10(5): referred to organisation or discipline bodies.
    case referral
    /// Art. 10(6): a major or urgent matter reported upward.
    case escalation

    package var article: Article {
        switch self {
        case .directAnswer: Article(10, 1)
        case .threePartyCall: Article(10, 2)
        case .phoneDispatch: Article(10, 3)
        case .workOrder: Article(10, 4)
        case .referral: Article(10, 5)
        case .escalation: Article(10, 6)
        }
    }

    package static func < (a: Disposition, b: Disposition) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Shares of each disposition for a category; they sum to 1.
package struct DispositionShares: Hashable, Sendable {
    package var shares: [Disposition: Double]

    package init(_ shares: [Disposition: Double]) { self.shares = shares }

    package subscript(d: Disposition) -> Double { shares[d] ?? 0 }

    package var total: Double { shares.values.reduce(0, +) }
}

/// The name of a deadline class (`emergency`, `outage`, `urgent`, `general`, `complex`).
package struct DeadlineClassID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package var rawValue: String
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
    package var description: String { rawValue }
    package static func < (a: DeadlineClassID, b: DeadlineClassID) -> Bool { a.rawValue < b.rawValue }
}

/// A category code in the style of GB/T 39666-2020: two digits a level, `01` / `0101` / `010101`.
package struct CategoryCode: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package var rawValue: String
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }

    /// Whether the code is 2, 4 or 6 ASCII digits.
    package var isWellFormed: Bool {
        [2, 4, 6].contains(rawValue.utf8.count) && rawValue.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// 1 for a major class, 2 for a middle class, 3 for a minor class.
    package var level: Int { rawValue.utf8.count / 2 }

    /// The code one level up, or `nil` for a major class.
    package var parent: CategoryCode? {
        rawValue.utf8.count <= 2 ? nil : CategoryCode(String(rawValue.dropLast(2)))
    }

    /// Whether this code is `other` or one of its ancestors.
    package func isPrefix(of other: CategoryCode) -> Bool { other.rawValue.hasPrefix(rawValue) }

    package var description: String { rawValue }
    package static func < (a: CategoryCode, b: CategoryCode) -> Bool { a.rawValue < b.rawValue }
}

/// Units that must attend an Art. 11 emergency together with the responsible (lead) unit.
package struct JointHandling: Hashable, Sendable {
    package var assisting: [UnitID]
    package init(assisting: [UnitID]) { self.assisting = assisting }
}

/// A category of the tree, with the attributes the rules need; children inherit unset attributes.
package struct Category: Hashable, Sendable, Identifiable {
    package var code: CategoryCode
    package var nameZh: String
    package var nameEn: String
    /// Art. 4: which of the five kinds of request this is.
    package var requestType: RequestType
    /// The deadline class of cases in this category.
    package var urgency: DeadlineClassID
    /// How calls of this category are settled (shares sum to 1).
    package var dispositions: DispositionShares
    /// Share of all calls that fall in this category (leaves only; they sum to 1); `nil` for inner nodes.
    package var callShare: Double?
    /// Art. 10(10): a common matter is answered through the media; an individual one by phone.
    package var commonMatter: Bool
    /// Art. 11: units that join the lead unit for an emergency in this category.
    package var jointHandling: JointHandling?
    /// Art. 10(5): the body a referral goes to (an id of `network.referral_bodies`).
    package var referralBody: String?

    package var id: CategoryCode { code }

    package init(
        code: CategoryCode,
        nameZh: String,
        nameEn: String,
        requestType: RequestType,
        urgency: DeadlineClassID,
        dispositions: DispositionShares,
        callShare: Double? = nil,
        commonMatter: Bool = false,
        jointHandling: JointHandling? = nil,
        referralBody: String? = nil
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.requestType = requestType
        self.urgency = urgency
        self.dispositions = dispositions
        self.callShare = callShare
        self.commonMatter = commonMatter
        self.jointHandling = jointHandling
        self.referralBody = referralBody
    }
}

/// The category tree (Art. 4) keyed by code.
package struct CategoryTree: Hashable, Sendable {
    package private(set) var categories: [CategoryCode: Category]

    package init(_ categories: [Category]) {
        self.categories = Dictionary(categories.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    package subscript(code: CategoryCode) -> Category? { categories[code] }

    /// Categories with a call share: the ones calls are drawn from.
    package var leaves: [Category] {
        categories.values.filter { c in !categories.keys.contains { $0 != c.code && c.code.isPrefix(of: $0) } }
            .sorted { $0.code < $1.code }
    }

    /// Whether some code starts with `prefix`.
    package func hasCode(withPrefix prefix: CategoryCode) -> Bool {
        categories.keys.contains { prefix.isPrefix(of: $0) }
    }

    package var count: Int { categories.count }
}
