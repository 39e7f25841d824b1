internal import HotlineCore
internal import Yams

extension SectionReader {
    static let networkKeys = ["territories", "units", "changes", "referral_bodies"]
    static let unitKeys = [
        "id", "name_zh", "name_en", "tier", "kind", "nature", "parent", "industry_authority", "duty_lines",
        "competences",
    ]

    /// First pass over `network:`: territories, referral bodies and the ids of all units, so that
    /// categories can name units before the units themselves are read.
    mutating func readNetworkNames(_ v: YAMLValue) {
        guard let f = v.fields(Self.networkKeys, required: ["units"]) else { return }
        var list: [Territory] = []
        var nodes: [TerritoryID: YAMLValue] = [:]
        for item in f["territories"]?.list() ?? [] {
            guard let t = item.fields(["id", "name_zh", "name_en", "parent", "share"], required: ["id", "name_zh"]),
                let idv = t["id"], let id = idv.name().map({ TerritoryID($0) })
            else { continue }
            if let first = nodes[id] {
                idv.fail(.duplicate, "territory '\(id)' is defined twice", hint: "also at line \(first.line)")
                continue
            }
            nodes[id] = item
            list.append(
                Territory(
                    id: id,
                    nameZh: t["name_zh"]?.name() ?? "",
                    nameEn: t["name_en"]?.string() ?? "",
                    parent: t["parent"]?.name().map({ TerritoryID($0) }),
                    callShare: t["share"]?.share()
                )
            )
        }
        for t in list {
            if let p = t.parent, nodes[p] == nil {
                let pv = nodes[t.id]!.fieldValue("parent")
                pv.fail(
                    .unknownReference,
                    "parent territory '\(p)' is not defined",
                    hint: hintFor(p.rawValue, among: nodes.keys.map(\.rawValue))
                )
            }
        }
        territories = TerritoryTree(list)
        for t in list {
            var seen: Set<TerritoryID> = [t.id]
            var current = t.parent
            while let c = current {
                if !seen.insert(c).inserted {
                    nodes[t.id]!.fieldValue("parent").fail(.parentCycle, "territory '\(t.id)' is its own ancestor")
                    break
                }
                current = territories[c]?.parent
            }
        }
        let roots = list.filter { $0.parent == nil }
        if !list.isEmpty && roots.count != 1, let tv = f["territories"] {
            tv.fail(
                .badValue,
                "the territories need exactly one root (the city), found \(roots.count): "
                    + roots.map(\.id.rawValue).joined(separator: ", ")
            )
        }
        let shared = list.compactMap(\.callShare)
        if !shared.isEmpty, let tv = f["territories"] {
            if shared.count != list.filter({ t in !list.contains { $0.parent == t.id } }).count {
                tv.fail(.missingKey, "give a share to every leaf territory (the ones calls come from), or to none")
            } else {
                tv.sharesSumToOne(shared, what: "the call shares of the territories")
            }
        }
        for item in f["referral_bodies"]?.list() ?? [] {
            guard let b = item.fields(["id", "name_zh", "name_en"], required: ["id"]), let id = b["id"]?.name() else {
                continue
            }
            referralBodies.append(id)
        }
        for item in f["units"]?.list() ?? [] {
            if let id = item.mappingValue("id") { unitIDs.insert(UnitID(id)) }
        }
        for change in f["changes"]?.list() ?? [] {
            for item in change.mappingChild("add")?.sequenceItems ?? [] {
                if let id = item.mappingValue("id") { unitIDs.insert(UnitID(id)) }
            }
        }
    }

    func hintFor(_ word: String, among: [String]) -> String? {
        suggestion(for: word, among: among).map { "did you mean '\($0)'?" }
    }

    /// Second pass over `network:`: the units, their tree (Art. 5), duty lines (Art. 6), competences
    /// and the dated directory changes (Art. 9). Every version of the directory is checked.
    mutating func readNetwork(_ v: YAMLValue) {
        guard let f = v.fields(Self.networkKeys, required: ["units"]) else { return }
        var units: [Unit] = []
        var placed: [UnitID: YAMLValue] = [:]
        for item in f["units"]?.list() ?? [] {
            guard let u = readUnit(item) else { continue }
            if let first = placed[u.id] {
                item.fieldValue("id").fail(
                    .duplicate,
                    "unit '\(u.id)' is defined twice",
                    hint: "also at line \(first.line)"
                )
                continue
            }
            placed[u.id] = item
            units.append(u)
        }
        var changes: [DirectoryChange] = []
        var changePlaces: [(DirectoryChange, [UnitID: YAMLValue])] = []
        var added: [Instant: Set<UnitID>] = [:]
        for item in f["changes"]?.list() ?? [] {
            guard
                let c = item.fields(
                    ["effective", "reported", "note", "add", "update", "remove"], required: ["effective"]),
                let effective = c["effective"]?.instant()
            else { continue }
            // Art. 9, 13(2): when the unit told the centre; after `effective` is a finding of a bulletin.
            var change = DirectoryChange(
                effective: effective, note: c["note"]?.string() ?? "", reported: c["reported"]?.instant())
            var places: [UnitID: YAMLValue] = [:]
            for key in ["add", "update"] {
                for u in c[key]?.list() ?? [] {
                    guard let unit = readUnit(u) else { continue }
                    change.upsert.append(unit)
                    places[unit.id] = u
                    if key == "add" { added[effective, default: []].insert(unit.id) }
                }
            }
            for r in c["remove"]?.list() ?? [] {
                if let id = r.name() {
                    change.remove.append(UnitID(id))
                    places[UnitID(id)] = r
                }
            }
            changes.append(change)
            changePlaces.append((change, places))
        }
        directory = Directory(units: units, changes: changes)
        checkChanges(changePlaces, base: units, added: added)

        // Check every version; report each issue once, where its unit was last written.
        var reported: Set<NetworkIssue> = []
        var places = placed
        var orderedChanges = changePlaces.sorted { $0.0.effective < $1.0.effective }[...]
        for version in directory.allVersions {
            let (from, snapshot) = (version.from, version.snapshot)
            if from != nil, let next = orderedChanges.popFirst() { places.merge(next.1) { _, b in b } }
            for issue in snapshot.issues(territories: territories, categories: categories)
            where reported.insert(issue).inserted {
                report(issue, places: places, network: v, when: from)
            }
        }
    }

    private func checkChanges(
        _ changes: [(DirectoryChange, [UnitID: YAMLValue])],
        base: [Unit],
        added: [Instant: Set<UnitID>]
    ) {
        var present = Set(base.map(\.id))
        for (change, places) in changes.sorted(by: { $0.0.effective < $1.0.effective }) {
            for unit in change.upsert {
                let adds = added[change.effective]?.contains(unit.id) ?? false
                if adds && present.contains(unit.id) {
                    places[unit.id]?.fieldValue("id").fail(
                        .duplicate,
                        "unit '\(unit.id)' is already in the network on \(change.effective): use update, not add"
                    )
                } else if !adds && !present.contains(unit.id) {
                    places[unit.id]?.fieldValue("id").fail(
                        .unknownReference,
                        "unit '\(unit.id)' is not in the network on \(change.effective): use add, not update",
                        hint: hintFor(unit.id.rawValue, among: present.map(\.rawValue))
                    )
                }
            }
            for id in change.remove where !present.contains(id) {
                places[id]?.fail(
                    .unknownReference,
                    "unit '\(id)' cannot be removed on \(change.effective): it is not in the network then",
                    hint: hintFor(id.rawValue, among: present.map(\.rawValue))
                )
            }
            for id in change.remove { present.remove(id) }
            for u in change.upsert { present.insert(u.id) }
        }
    }

    private func report(_ issue: NetworkIssue, places: [UnitID: YAMLValue], network: YAMLValue, when: Instant?) {
        let code: ModelError.Code
        var field: String?
        switch issue {
        case .unknownParent: (code, field) = (.unknownReference, "parent")
        case .unknownIndustryAuthority: (code, field) = (.unknownReference, "industry_authority")
        case .tierThreeWithoutUpperTier: (code, field) = (.missingParent, nil)
        case .parentNotOneTierUp: (code, field) = (.network, "parent")
        case .kindNotAllowedAtTier: (code, field) = (.network, "kind")
        case .parentCycle: (code, field) = (.parentCycle, "parent")
        case .dispatchTargetWithoutDutyLine: (code, field) = (.noDutyLine, nil)
        case .unknownTerritory: (code, field) = (.unknownReference, "competences")
        case .unknownCategory: (code, field) = (.unknownReference, "competences")
        case .noCentre, .severalCentres: (code, field) = (.network, nil)
        }
        var at = network
        if let id = issue.unit, let node = places[id] { at = field.map { node.fieldValue($0) } ?? node }
        var message = issue.message
        if let when { message += " (in the directory from \(when) on)" }
        var hint: String?
        switch issue {
        case .unknownParent(_, let p), .unknownIndustryAuthority(_, let p):
            hint = hintFor(p.rawValue, among: unitIDs.map(\.rawValue))
        case .unknownTerritory(_, let t):
            hint = hintFor(t.rawValue, among: territories.territories.keys.map(\.rawValue))
        default: break
        }
        at.fail(code, message, hint: hint)
    }

    /// One unit entry.
    func readUnit(_ item: YAMLValue) -> Unit? {
        guard let u = item.fields(Self.unitKeys, required: ["id", "name_zh", "tier", "kind"]), let id = u["id"]?.name()
        else { return nil }
        let tier = u["tier"]?.integer(in: 1...3).flatMap(Tier.init(rawValue:))
        let kind = u["kind"]?.oneOf(
            [
                "centre": UnitKind.centre, "district": .district, "county": .county, "county_city": .countyLevelCity,
                "city_department": .cityDepartment, "provincial_unit": .provincialUnit, "sub_unit": .subUnit,
                "enterprise": .enterprise,
            ],
            what: "unit kind"
        )
        // Art. 13: organs and public institutions are held to account; an enterprise through its authority.
        let nature = u["nature"]?.oneOf(
            ["organ": UnitNature.organ, "institution": .institution, "enterprise": .enterprise], what: "unit nature")
        var duty: DutyLines?
        if let dv = u["duty_lines"], let d = dv.fields(["count", "hours"], required: ["count"]),
            let n = d["count"]?.integer(in: 0...10_000)
        {
            duty = DutyLines(count: n, cover: d["hours"].flatMap { $0.dailyCover() } ?? .allDay)
            if let cover = duty?.cover, !cover.isAllDay, let hv = d["hours"] {
                diagnostics.warning(
                    at: hv,
                    "duty lines staffed \(cover) only: Art. 6 asks for 24-hour duty; outside these hours cases go in writing"
                )
            }
        }
        var competence = Competence()
        if let cv = u["competences"], let c = cv.fields(["categories", "territories"]) {
            for item in c["categories"]?.list() ?? [] {
                guard let code = item.name().map({ CategoryCode($0) }) else { continue }
                if !code.isWellFormed {
                    item.fail(.badValue, "'\(code)' is not a category code of 2, 4 or 6 digits")
                } else if !categories.hasCode(withPrefix: code) {
                    item.fail(
                        .unknownReference,
                        "category '\(code)' is not defined",
                        hint: hintFor(code.rawValue, among: categories.categories.keys.map(\.rawValue))
                    )
                }
                competence.categories.append(code)
            }
            for item in c["territories"]?.list() ?? [] {
                guard let t = item.name().map({ TerritoryID($0) }) else { continue }
                if territories[t] == nil {
                    item.fail(
                        .unknownReference,
                        "territory '\(t)' is not defined",
                        hint: hintFor(t.rawValue, among: territories.territories.keys.map(\.rawValue))
                    )
                } else {
                    competence.territories.append(t)
                }
            }
            competence.categories = competence.categories.filter {
                $0.isWellFormed && categories.hasCode(withPrefix: $0)
            }
        }
        guard let tier, let kind else { return nil }
        return Unit(
            id: UnitID(id),
            nameZh: u["name_zh"]?.name() ?? id,
            nameEn: u["name_en"]?.string() ?? "",
            tier: tier,
            kind: kind,
            nature: nature,
            parent: u["parent"]?.name().map({ UnitID($0) }),
            industryAuthority: u["industry_authority"]?.name().map({ UnitID($0) }),
            dutyLines: duty,
            competence: competence
        )
    }
}

extension YAMLValue {
    /// The value under `key` of this mapping, or this node itself when there is none (to place an error).
    func fieldValue(_ key: String) -> YAMLValue {
        mappingChild(key) ?? self
    }

    /// The child under `key`, without checking keys or reporting anything.
    func mappingChild(_ key: String) -> YAMLValue? {
        guard case .mapping(let m) = node, let v = m[key] else { return nil }
        return child(key, v)
    }

    /// The text under `key`, without reporting anything.
    func mappingValue(_ key: String) -> String? {
        guard case .mapping(let m) = node, case .scalar(let s)? = m[key] else { return nil }
        return s.string
    }

    /// The items of a list, without reporting anything.
    var sequenceItems: [YAMLValue]? {
        guard case .sequence(let s) = node else { return nil }
        return s.enumerated().map { element($0.offset, $0.element) }
    }

    /// Hours of cover `HH:MM-HH:MM` (`00:00-24:00` for round the clock).
    func dailyCover() -> DailyCover? {
        guard let s = string() else { return nil }
        let parts = s.split(separator: "-").map { String($0).trimmingWhitespace() }
        guard parts.count == 2, let a = TimeOfDay(parsing: parts[0]), let b = TimeOfDay(parsing: parts[1]),
            a.seconds < 86_400
        else {
            fail(.badValue, "'\(s)' is not hours of cover HH:MM-HH:MM", hint: "e.g. \"00:00-24:00\" or \"08:00-17:30\"")
            return nil
        }
        guard a != b else {
            fail(.badValue, "hours of cover '\(s)' are empty; write 00:00-24:00 for round the clock")
            return nil
        }
        return DailyCover(start: a, end: b)
    }
}
