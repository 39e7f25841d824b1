/// Who handles a matter: the unit the centre dispatches to, and the unit that finally handles it.
package struct Responsibility: Hashable, Codable, Sendable {
    /// The unit the centre hands the case to: tier 2, or tier 3 when the centre dispatches directly (Art. 5).
    package var dispatchTo: UnitID
    /// The unit that handles it: the tier-3 unit the tier-2 unit hands it on to (Art. 7), or `dispatchTo`.
    package var handler: UnitID

    package init(dispatchTo: UnitID, handler: UnitID) {
        self.dispatchTo = dispatchTo
        self.handler = handler
    }

    /// Whether the tier-2 unit hands the case on to a tier-3 unit (Art. 7).
    package var isHandedOn: Bool { dispatchTo != handler }
}

/// The result of looking for the responsible unit.
package enum ResponsibilityResult: Hashable, Sendable {
    case unit(Responsibility)
    /// Art. 8: no unit, or several at the same rank (functions overlap, a gap, unclear law):
    /// the centre proposes and the city government decides.
    case unclear(candidates: [UnitID])
}

extension DirectorySnapshot {
    /// Finds the unit responsible for a matter of `category` in `territory`.
    ///
    /// Art. 10 (分级负责、归口管理、属地): among the units competent for the category, the most local
    /// territory wins first ("by territory"), then the most specific category ("by function"). A tier-3
    /// handler is reached through its upper tier, the industry authority for an enterprise (Art. 5, 7),
    /// unless the centre dispatches to tier 3 directly (Art. 5, 必要时). Only units in this version of
    /// the directory are considered (Art. 9).
    ///
    /// - Parameters:
    ///   - territory: where the matter is; `nil` when unknown, and then only city-wide units match.
    ///   - directToTierThree: the centre's choice to skip the tier-2 unit.
    /// - Complexity: O(units × competences × tree depth).
    package func responsibility(
        for category: CategoryCode,
        in territory: TerritoryID?,
        territories: TerritoryTree,
        directToTierThree: Bool = false
    ) -> ResponsibilityResult {
        var best: [Unit] = []
        var bestScore = (-1, -1)
        for unit in units.values where unit.kind != .centre {
            var functionScore = -1
            for code in unit.competence.categories where code.isPrefix(of: category) {
                functionScore = max(functionScore, code.rawValue.utf8.count)
            }
            guard functionScore >= 0, let territoryScore = territoryDepth(of: unit, serving: territory, in: territories)
            else {
                continue
            }
            let score = (territoryScore, functionScore)
            if score > bestScore {
                bestScore = score
                best = [unit]
            } else if score == bestScore {
                best.append(unit)
            }
        }
        guard let first = best.first else { return .unclear(candidates: []) }
        // A tie between a tier-2 unit and its own tier-3 units is no overlap of functions: the tier-2
        // unit takes the case and hands it on (Art. 7) — to its one competent sub-unit, if there is one.
        let heads = Set(best.map { head(of: $0) })
        guard heads.count == 1, let head = heads.first else {
            return .unclear(candidates: best.map(\.id).sorted())
        }
        let subUnits = best.filter { $0.id != head }
        let handler = best.count == 1 ? first.id : (subUnits.count == 1 ? subUnits[0].id : head)
        if handler != head, !directToTierThree {
            return .unit(Responsibility(dispatchTo: head, handler: handler))
        }
        return .unit(Responsibility(dispatchTo: handler, handler: handler))
    }

    /// The tier-2 unit a case for `unit` goes through: its upper tier for a tier-3 unit (Art. 5, 7).
    private func head(of unit: Unit) -> UnitID {
        if unit.tier == .three, let upper = unit.upperTier, units[upper] != nil { return upper }
        return unit.id
    }

    /// How local a unit's cover of `territory` is: the depth of its deepest territory that contains it,
    /// 0 for a city-wide unit (no territories listed), `nil` when it does not serve it.
    private func territoryDepth(of unit: Unit, serving territory: TerritoryID?, in tree: TerritoryTree) -> Int? {
        let own = unit.competence.territories
        if own.isEmpty { return 0 }
        var best: Int?
        for t in own {
            guard let d = tree.depth(of: t) else { continue }
            if let territory {
                if tree.contains(t, territory) { best = max(best ?? d, d) }
            } else if d == 0 {
                best = 0
            }
        }
        return best
    }
}
