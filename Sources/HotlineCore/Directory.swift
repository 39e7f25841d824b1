/// A change to the network directory that takes effect at a time (Art. 2, 9).
package struct DirectoryChange: Hashable, Sendable {
    package var effective: Instant
    /// Units that join the network, or replace the entry of a unit with the same id.
    package var upsert: [Unit]
    /// Units that leave the network.
    package var remove: [UnitID]
    /// Why, for the audit trail ("机构改革: …").
    package var note: String
    /// Art. 9, 13(2): when the unit reported the change to the centre; later than `effective` is a
    /// finding of a bulletin. `nil`: not recorded.
    package var reported: Instant?

    package init(
        effective: Instant, upsert: [Unit] = [], remove: [UnitID] = [], note: String = "", reported: Instant? = nil
    ) {
        self.effective = effective
        self.upsert = upsert
        self.remove = remove
        self.note = note
        self.reported = reported
    }
}

/// The directory as it stands at one time: the units in force.
package struct DirectorySnapshot: Hashable, Sendable {
    package private(set) var units: [UnitID: Unit]
    /// The duty lines of each unit that has them: a plain value, so routing reads it without copying units.
    package private(set) var dutyLines: [UnitID: DutyLines]

    package init(_ units: [Unit]) {
        self.units = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        dutyLines = self.units.compactMapValues(\.dutyLines)
    }

    package subscript(id: UnitID) -> Unit? { units[id] }

    /// Whether a unit is in this version.
    package func contains(_ id: UnitID) -> Bool { units.index(forKey: id) != nil }

    /// Units sorted by id, for stable output.
    package var sortedUnits: [Unit] { units.values.sorted { $0.id < $1.id } }

    mutating func apply(_ change: DirectoryChange) {
        for id in change.remove {
            units[id] = nil
            dutyLines[id] = nil
        }
        for unit in change.upsert {
            units[unit.id] = unit
            dutyLines[unit.id] = unit.dutyLines
        }
    }
}

/// The directory from one change on: when it took effect and the units then in force.
package struct DirectoryVersion: Hashable, Sendable {
    /// When this version took effect; `nil` for the base version.
    package var from: Instant?
    package var snapshot: DirectorySnapshot
}

/// The network directory with its history: a base and dated changes (Art. 2, 9).
///
/// Routing asks for the version in force at the time of the call (`snapshot(at:)`), so a case
/// registered the day before a reorganisation goes to the old unit and one registered after to the new.
package struct Directory: Hashable, Sendable {
    /// The changes in the order they take effect (file order among equal times).
    package private(set) var changes: [DirectoryChange]
    /// The base version, then one version after each change.
    package private(set) var allVersions: [DirectoryVersion]

    package init(units: [Unit], changes: [DirectoryChange] = []) {
        self.changes = changes.enumerated().sorted { a, b in
            a.element.effective == b.element.effective ? a.offset < b.offset : a.element.effective < b.element.effective
        }.map(\.element)
        var current = DirectorySnapshot(units)
        var versions = [DirectoryVersion(from: nil, snapshot: current)]
        for change in self.changes {
            current.apply(change)
            versions.append(DirectoryVersion(from: change.effective, snapshot: current))
        }
        self.allVersions = versions
    }

    /// The version before any change.
    package var base: DirectorySnapshot { allVersions[0].snapshot }

    /// The directory in force at `time`: every change effective at or before it applied.
    ///
    /// - Complexity: O(log c) for c changes.
    package func snapshot(at time: Instant) -> DirectorySnapshot { allVersions[version(at: time)].snapshot }

    /// The index in `allVersions` of the version in force at `time`.
    /// - Complexity: O(log c) for c changes.
    package func version(at time: Instant) -> Int {
        var lo = 1
        var hi = allVersions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if allVersions[mid].from! <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }
}

/// Something structurally wrong with a directory version.
package enum NetworkIssue: Hashable, Sendable {
    case unknownParent(UnitID, parent: UnitID)
    case unknownIndustryAuthority(UnitID, authority: UnitID)
    /// Art. 5: a tier-3 unit hangs under a tier-2 unit (an enterprise under its industry authority).
    case tierThreeWithoutUpperTier(UnitID)
    case parentNotOneTierUp(UnitID, parent: UnitID)
    case kindNotAllowedAtTier(UnitID, kind: UnitKind, tier: Tier)
    case parentCycle([UnitID])
    /// Art. 6: a unit that can be dispatched to must have a duty line.
    case dispatchTargetWithoutDutyLine(UnitID)
    case unknownTerritory(UnitID, TerritoryID)
    case unknownCategory(UnitID, CategoryCode)
    case noCentre
    case severalCentres([UnitID])

    /// The unit the issue is about, to place it in the file.
    package var unit: UnitID? {
        switch self {
        case .unknownParent(let u, _), .unknownIndustryAuthority(let u, _), .tierThreeWithoutUpperTier(let u),
            .parentNotOneTierUp(let u, _), .kindNotAllowedAtTier(let u, _, _), .dispatchTargetWithoutDutyLine(let u),
            .unknownTerritory(let u, _), .unknownCategory(let u, _):
            u
        case .parentCycle(let cycle): cycle.first
        case .noCentre, .severalCentres: nil
        }
    }

    package var message: String {
        switch self {
        case .unknownParent(_, let p): "parent '\(p)' is not a unit of the network"
        case .unknownIndustryAuthority(_, let a): "industry authority '\(a)' is not a unit of the network"
        case .tierThreeWithoutUpperTier(let u):
            "tier-3 unit '\(u)' has no parent (or, for an enterprise, no industry_authority); Art. 5 hangs every tier-3 unit under a tier-2 unit"
        case .parentNotOneTierUp(let u, let p): "parent '\(p)' of '\(u)' is not one tier up (Art. 5)"
        case .kindNotAllowedAtTier(_, let k, let t):
            "a unit of kind '\(k.rawValue)' cannot be at tier \(t.rawValue) (Art. 5)"
        case .parentCycle(let cycle):
            "parent cycle: " + (cycle + [cycle[0]]).map(\.rawValue).joined(separator: " → ")
        case .dispatchTargetWithoutDutyLine(let u):
            "unit '\(u)' has competences, so cases can be dispatched to it, but it has no duty line (Art. 6: duty_lines.count ≥ 1)"
        case .unknownTerritory(_, let t): "territory '\(t)' is not in network.territories"
        case .unknownCategory(_, let c): "category '\(c)' matches no category code"
        case .noCentre: "the network has no unit of kind 'centre' (Art. 5: the centre is the first tier)"
        case .severalCentres(let ids): "the network has several centres: \(ids.map(\.rawValue).joined(separator: ", "))"
        }
    }
}

extension DirectorySnapshot {
    /// Checks the tree of Art. 5 and the duty lines of Art. 6 in this version.
    ///
    /// - Parameters:
    ///   - territories: the territory tree, to check competences against.
    ///   - categories: the category tree, to check competences against.
    /// - Returns: every issue found, in a stable order.
    package func issues(territories: TerritoryTree, categories: CategoryTree) -> [NetworkIssue] {
        var issues: [NetworkIssue] = []
        let sorted = sortedUnits
        let centres = sorted.filter { $0.kind == .centre }
        if centres.isEmpty { issues.append(.noCentre) }
        if centres.count > 1 { issues.append(.severalCentres(centres.map(\.id))) }
        for unit in sorted {
            if !unit.kind.allowedTiers.contains(unit.tier) {
                issues.append(.kindNotAllowedAtTier(unit.id, kind: unit.kind, tier: unit.tier))
            }
            if let p = unit.parent {
                if let parent = units[p] {
                    if parent.tier.rawValue != unit.tier.rawValue - 1 && unit.kind != .enterprise {
                        issues.append(.parentNotOneTierUp(unit.id, parent: p))
                    }
                } else {
                    issues.append(.unknownParent(unit.id, parent: p))
                }
            }
            if let a = unit.industryAuthority, units[a] == nil {
                issues.append(.unknownIndustryAuthority(unit.id, authority: a))
            }
            if unit.tier == .three && unit.upperTier == nil {
                issues.append(.tierThreeWithoutUpperTier(unit.id))
            }
            if !unit.competence.isEmpty && (unit.dutyLines?.count ?? 0) < 1 {
                issues.append(.dispatchTargetWithoutDutyLine(unit.id))
            }
            for t in unit.competence.territories where territories[t] == nil {
                issues.append(.unknownTerritory(unit.id, t))
            }
            for c in unit.competence.categories where !categories.hasCode(withPrefix: c) {
                issues.append(.unknownCategory(unit.id, c))
            }
        }
        issues.append(contentsOf: parentCycles().map(NetworkIssue.parentCycle))
        return issues
    }

    /// Cycles in the upper-tier relation, each reported once starting from its smallest id.
    func parentCycles() -> [[UnitID]] {
        var cycles: Set<[UnitID]> = []
        for start in units.keys {
            var path: [UnitID] = []
            var index: [UnitID: Int] = [:]
            var current: UnitID? = start
            while let c = current, let unit = units[c] {
                if let at = index[c] {
                    let cycle = Array(path[at...])
                    let m = cycle.firstIndex(of: cycle.min()!)!
                    cycles.insert(Array(cycle[m...] + cycle[..<m]))
                    break
                }
                index[c] = path.count
                path.append(c)
                current = unit.parent ?? unit.industryAuthority
            }
        }
        return cycles.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
