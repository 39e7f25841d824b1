/// The identifier of a network member unit (Art. 2), as written in the model file.
package struct UnitID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package var rawValue: String
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
    package var description: String { rawValue }
    package static func < (a: UnitID, b: UnitID) -> Bool { a.rawValue < b.rawValue }
}

/// The identifier of a territory: the city, a district or county, a street or town.
package struct TerritoryID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package var rawValue: String
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
    package var description: String { rawValue }
    package static func < (a: TerritoryID, b: TerritoryID) -> Bool { a.rawValue < b.rawValue }
}

/// The three tiers of the network (Art. 5).
package enum Tier: Int, Hashable, Sendable, Comparable, CaseIterable {
    /// The acceptance centre (受理中心).
    case centre = 1
    /// Counties, districts, city departments, provincial and central units in the city.
    case two = 2
    /// Their sub-units, public institutions and enterprises.
    case three = 3

    package static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
}

/// What a unit is, which decides where it sits in the tree (Art. 5).
package enum UnitKind: String, Hashable, Sendable, CaseIterable {
    case centre
    case district
    case county
    case countyLevelCity = "county_city"
    case cityDepartment = "city_department"
    case provincialUnit = "provincial_unit"
    case subUnit = "sub_unit"
    case enterprise

    /// The tiers this kind may take.
    package var allowedTiers: Set<Tier> {
        switch self {
        case .centre: [.centre]
        case .district, .county, .countyLevelCity, .cityDepartment, .provincialUnit: [.two]
        case .subUnit: [.three]
        case .enterprise: [.two, .three]
        }
    }
}

/// What a unit is in law, which decides whom Art. 13 holds to account: party and government organs and
/// public institutions (党政机关及事业单位) are reported for accountability; an enterprise answers through its
/// industry authority, which is told instead.
package enum UnitNature: String, Hashable, Sendable, CaseIterable {
    /// A party or government organ (党政机关).
    case organ
    /// A public institution (事业单位).
    case institution
    /// An enterprise, state-owned or not (企业): the power grid, a telecom operator, a heating company.
    case enterprise

    /// Whether Art. 13 reports such a unit for accountability (an enterprise is not: its authority is told).
    package var isAccountable: Bool { self != .enterprise }

    /// The nature a unit of `kind` has unless the model says otherwise.
    package static func `default`(for kind: UnitKind) -> UnitNature { kind == .enterprise ? .enterprise : .organ }
}

/// Hours of a day during which a duty line is staffed: `[start, end)`, wrapping past midnight
/// when `end <= start`; 00:00–24:00 is the 24-hour duty of Art. 6.
package struct DailyCover: Hashable, Sendable, CustomStringConvertible {
    package var start: TimeOfDay
    package var end: TimeOfDay

    package init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }

    /// Round-the-clock cover.
    package static let allDay = DailyCover(start: TimeOfDay(seconds: 0), end: TimeOfDay(seconds: 86_400))

    package var isAllDay: Bool { end.seconds - start.seconds == 86_400 || (start == end && start.seconds == 0) }

    /// Whether the line is staffed at a moment of the day.
    package func covers(secondsIntoDay t: Double) -> Bool {
        if isAllDay { return true }
        let s = Double(start.seconds)
        let e = Double(end.seconds)
        return s < e ? (t >= s && t < e) : (t >= s || t < e)
    }

    package var description: String { "\(start)–\(end)" }
}

/// A unit's dedicated duty telephones (Art. 6): how many calls it can take at once, and when.
package struct DutyLines: Hashable, Sendable {
    /// Lines that can be in a call at the same time.
    package var count: Int
    /// Hours of cover each day.
    package var cover: DailyCover

    package init(count: Int, cover: DailyCover = .allDay) {
        self.count = count
        self.cover = cover
    }
}

/// What a unit is responsible for: categories (code prefixes) in territories.
package struct Competence: Hashable, Sendable {
    /// Category codes or prefixes of codes (`"01"` covers every category under `01`).
    package var categories: [CategoryCode]
    /// Territories the unit serves; a territory covers all territories below it.
    package var territories: [TerritoryID]

    package init(categories: [CategoryCode] = [], territories: [TerritoryID] = []) {
        self.categories = categories
        self.territories = territories
    }

    package var isEmpty: Bool { categories.isEmpty }
}

/// A network member unit (Art. 2, 5, 6).
package struct Unit: Hashable, Sendable, Identifiable {
    package var id: UnitID
    package var nameZh: String
    package var nameEn: String
    package var tier: Tier
    package var kind: UnitKind
    /// What the unit is in law (Art. 13: who is held to account).
    package var nature: UnitNature
    /// The unit one tier up; for an enterprise, its industry authority takes that place (Art. 5).
    package var parent: UnitID?
    /// The industry authority of an enterprise (Art. 5: its upper management tier).
    package var industryAuthority: UnitID?
    /// Its duty telephones; `nil` for a unit that has none (it cannot take dispatched cases).
    package var dutyLines: DutyLines?
    package var competence: Competence

    package init(
        id: UnitID,
        nameZh: String,
        nameEn: String,
        tier: Tier,
        kind: UnitKind,
        nature: UnitNature? = nil,
        parent: UnitID? = nil,
        industryAuthority: UnitID? = nil,
        dutyLines: DutyLines? = nil,
        competence: Competence = Competence()
    ) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.tier = tier
        self.kind = kind
        self.nature = nature ?? .default(for: kind)
        self.parent = parent
        self.industryAuthority = industryAuthority
        self.dutyLines = dutyLines
        self.competence = competence
    }

    /// The unit one tier up that hands cases on to this one (Art. 5, 7): the industry authority
    /// of an enterprise, otherwise the parent.
    package var upperTier: UnitID? { kind == .enterprise ? (industryAuthority ?? parent) : parent }

    /// Art. 13: the body told when this unit is held to account: the industry authority of an
    /// enterprise, otherwise the unit one tier up (none for a tier-2 organ: the city leaders are told).
    package var superior: UnitID? { nature == .enterprise ? (industryAuthority ?? parent) : parent }
}

/// A territory in the city's administrative tree.
package struct Territory: Hashable, Sendable, Identifiable {
    package var id: TerritoryID
    package var nameZh: String
    package var nameEn: String
    package var parent: TerritoryID?
    /// Share of the city's calls from this territory (used by the simulator); `nil` when not given.
    package var callShare: Double?

    package init(id: TerritoryID, nameZh: String, nameEn: String, parent: TerritoryID? = nil, callShare: Double? = nil)
    {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.parent = parent
        self.callShare = callShare
    }
}

/// The territories of the city as a tree.
package struct TerritoryTree: Hashable, Sendable {
    package private(set) var territories: [TerritoryID: Territory]
    /// Each territory's depth (the root has 0) and the set of it and its ancestors, worked out once.
    private var depths: [TerritoryID: Int] = [:]
    private var lineage: [TerritoryID: Set<TerritoryID>] = [:]

    package init(_ territories: [Territory]) {
        self.territories = Dictionary(territories.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for id in self.territories.keys {
            var chain: Set<TerritoryID> = [id]
            var current = self.territories[id]?.parent
            // A cycle (a model error reported elsewhere) stops the walk.
            while let c = current, chain.insert(c).inserted { current = self.territories[c]?.parent }
            lineage[id] = chain
            depths[id] = chain.count - 1
        }
    }

    package subscript(id: TerritoryID) -> Territory? { territories[id] }

    /// The distance from the root (the root has depth 0); `nil` for an unknown territory.
    package func depth(of id: TerritoryID) -> Int? { depths[id] }

    /// Whether `ancestor` is `id` or above it.
    package func contains(_ ancestor: TerritoryID, _ id: TerritoryID) -> Bool {
        ancestor == id || (lineage[id]?.contains(ancestor) ?? false)
    }
}
