internal import HotlineCore

extension SectionReader {
    static let categoryKeys = [
        "code", "name_zh", "name_en", "type", "urgency", "dispositions", "share", "common_matter", "joint_handling",
        "referral_body",
    ]

    /// `categories:` the Art. 4 category tree, flat, with GB/T 39666-style codes; a child inherits
    /// the attributes its entry does not set from its parent.
    mutating func readCategories(_ v: YAMLValue) {
        guard let items = v.list() else { return }
        var entries: [(CategoryCode, Fields, YAMLValue)] = []
        var seen: [CategoryCode: YAMLValue] = [:]
        for item in items {
            guard let f = item.fields(Self.categoryKeys, required: ["code", "name_zh"]), let cv = f["code"],
                let raw = cv.name()
            else { continue }
            let code = CategoryCode(raw)
            guard code.isWellFormed else {
                cv.fail(
                    .badValue,
                    "'\(raw)' is not a category code: 2, 4 or 6 digits (GB/T 39666 style), quoted, e.g. \"0101\""
                )
                continue
            }
            if let first = seen[code] {
                cv.fail(.duplicate, "category '\(code)' is defined twice", hint: "also at line \(first.line)")
                continue
            }
            seen[code] = item
            entries.append((code, f, item))
        }
        let types: KeyValuePairs<String, RequestType> = [
            "consultation": .consultation, "assistance": .assistance, "rights_claim": .rightsClaim,
            "complaint": .complaint,
            "emergency": .emergency,
        ]
        var built: [CategoryCode: Category] = [:]
        let defaultShares = DispositionShares(handling.mapValues(\.share))
        for (code, f, item) in entries.sorted(by: {
            $0.0.rawValue.count < $1.0.rawValue.count || ($0.0.rawValue.count == $1.0.rawValue.count && $0.0 < $1.0)
        }) {
            var parent: Category?
            if let p = code.parent {
                parent = built[p]
                if parent == nil {
                    if seen[p] == nil {
                        item.fieldValue("code").fail(
                            .missingParent,
                            "category '\(code)' has no parent: category '\(p)' is not defined"
                        )
                    }
                    continue
                }
            }
            let type = f["type"]?.oneOf(types, what: "request type (Art. 4)") ?? parent?.requestType
            var urgency = parent?.urgency
            if let uv = f["urgency"], let u = uv.name() {
                let id = DeadlineClassID(u)
                if policy.classes[id] == nil {
                    uv.fail(
                        .unknownReference,
                        "deadline class '\(u)' is not defined",
                        hint: hintFor(u, among: policy.classes.keys.map(\.rawValue))
                    )
                } else {
                    urgency = id
                }
            }
            var dispositions = parent?.dispositions ?? defaultShares
            if let dv = f["dispositions"], let d = readDispositions(dv) { dispositions = d }
            var joint = parent?.jointHandling
            if let jv = f["joint_handling"], let j = jv.fields(["assisting"], required: ["assisting"]) {
                var assisting: [UnitID] = []
                for a in j["assisting"]?.list() ?? [] {
                    guard let id = a.name() else { continue }
                    if unitIDs.contains(UnitID(id)) {
                        assisting.append(UnitID(id))
                    } else {
                        a.fail(
                            .unknownReference,
                            "unit '\(id)' is not in the network",
                            hint: hintFor(id, among: unitIDs.map(\.rawValue))
                        )
                    }
                }
                joint = JointHandling(assisting: assisting)
            }
            var referral = parent?.referralBody
            if let rv = f["referral_body"], let r = rv.name() {
                if referralBodies.contains(r) {
                    referral = r
                } else {
                    rv.fail(
                        .unknownReference,
                        "referral body '\(r)' is not in network.referral_bodies",
                        hint: hintFor(r, among: referralBodies)
                    )
                }
            }
            if type == nil && f["type"] == nil {
                item.fail(
                    .missingKey,
                    "category '\(code)' needs a 'type' (one of: " + types.map(\.key).joined(separator: ", ") + ")"
                )
            }
            if urgency == nil && f["urgency"] == nil {
                item.fail(.missingKey, "category '\(code)' needs an 'urgency' (a deadline class)")
            }
            guard let type, let urgency else { continue }
            built[code] = Category(
                code: code,
                nameZh: f["name_zh"]?.name() ?? "",
                nameEn: f["name_en"]?.string() ?? "",
                requestType: type,
                urgency: urgency,
                dispositions: dispositions,
                callShare: f["share"]?.share(),
                commonMatter: f["common_matter"]?.bool() ?? parent?.commonMatter ?? false,
                jointHandling: joint,
                referralBody: referral
            )
        }
        categories = CategoryTree(Array(built.values))
        // Call shares: on every leaf, on no inner category, summing to 1.
        let leaves = Set(categories.leaves.map(\.code))
        var shares: [Double] = []
        var complete = true
        for (code, f, item) in entries where built[code] != nil {
            if leaves.contains(code) {
                if let s = built[code]?.callShare {
                    shares.append(s)
                } else {
                    if f["share"] == nil {
                        item.fail(.missingKey, "leaf category '\(code)' needs a 'share' of the calls")
                    }
                    complete = false
                }
            } else if let sv = f["share"] {
                sv.fail(.badValue, "'\(code)' has sub-categories: the call shares belong on the leaf categories")
            }
        }
        if complete && !shares.isEmpty {
            v.sharesSumToOne(shares, what: "the call shares of the \(shares.count) leaf categories")
        }
    }

    /// A map of disposition shares that sum to 1.
    func readDispositions(_ v: YAMLValue) -> DispositionShares? {
        guard let f = v.fields(Disposition.allCases.map(\.rawValue)) else { return nil }
        var shares: [Disposition: Double] = [:]
        for (key, value) in f.entries {
            if let d = Disposition(rawValue: key), let s = value.share() { shares[d] = s }
        }
        guard shares.count == f.entries.count, !shares.isEmpty else {
            if f.entries.isEmpty {
                v.fail(
                    .missingKey,
                    "dispositions need at least one of: " + Disposition.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            return nil
        }
        guard v.sharesSumToOne(Array(shares.values), what: "the disposition shares") else { return nil }
        return DispositionShares(shares)
    }
}
