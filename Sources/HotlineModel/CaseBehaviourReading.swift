internal import HotlineCore

extension SectionReader {
    /// `cases:` what the centre meets at intake and how units behave on the cases they hold (the
    /// simulator's facts): the default conduct, then settings by deadline class, unit kind and unit.
    func readCases(_ v: YAMLValue) -> CaseBehaviour {
        var c = CaseBehaviour()
        let keys = [
            "dispatch_talk", "notify_talk", "misrouted", "leader_assigned", "major", "extension_granted",
            "repeat_calls", "follow_up", "conduct",
        ]
        guard let f = v.fields(keys) else { return c }
        if let d = f["dispatch_talk"]?.distribution() { c.dispatchTalk = d }
        if let d = f["notify_talk"]?.distribution() { c.notifyTalk = d }
        if let p = f["misrouted"]?.share() { c.misrouted = p }
        if let p = f["leader_assigned"]?.share() { c.leaderAssigned = p }
        if let p = f["major"]?.share() { c.major = p }
        if let p = f["extension_granted"]?.share() { c.extensionGranted = p }
        if let p = f["repeat_calls"]?.share() { c.repeatCalls = p }
        if let fv = f["follow_up"], let fu = fv.fields(FollowUp.allCases.map(\.rawValue)) {
            var shares: [FollowUp: Double] = [:]
            for (key, value) in fu.entries {
                if let k = FollowUp(rawValue: key), let p = value.share() { shares[k] = p }
            }
            if shares.count == fu.entries.count, !shares.isEmpty,
                fv.sharesSumToOne(Array(shares.values), what: "the follow-up shares")
            {
                c.followUp = shares
            }
        }
        if let cv = f["conduct"] { readConduct(cv, into: &c) }
        return c
    }

    private func readConduct(_ v: YAMLValue, into c: inout CaseBehaviour) {
        guard let f = v.fields(["default", "classes", "kinds", "units"]) else { return }
        if let d = f["default"] { c.conduct = readConductLayer(d).over(c.conduct) }
        if let cv = f["classes"], let classes = cv.fields(cv.mappingKeys) {
            for (key, value) in classes.entries {
                let id = DeadlineClassID(key)
                guard policy.classes[id] != nil else {
                    cv.mappingChild(key)?.fail(
                        .unknownReference, "deadline class '\(key)' is not defined in deadlines.classes",
                        hint: hintFor(key, among: policy.classes.keys.map(\.rawValue)))
                    continue
                }
                c.byClass[id] = readConductLayer(value)
            }
        }
        if let kv = f["kinds"], let kinds = kv.fields(UnitKind.allCases.map(\.rawValue)) {
            for (key, value) in kinds.entries {
                if let kind = UnitKind(rawValue: key) { c.byKind[kind] = readConductLayer(value) }
            }
        }
        if let uv = f["units"], let units = uv.fields(uv.mappingKeys) {
            let known = Set(directory.allVersions.flatMap { $0.snapshot.units.keys })
            for (key, value) in units.entries {
                guard known.contains(UnitID(key)) else {
                    uv.mappingChild(key)?.fail(
                        .unknownReference, "unit '\(key)' is not in the network",
                        hint: hintFor(key, among: known.map(\.rawValue)))
                    continue
                }
                c.byUnit[UnitID(key)] = readConductLayer(value)
            }
        }
    }

    /// One layer of conduct: each step `{ on_time: SHARE, late_by: DISTRIBUTION }`, and the shares.
    private func readConductLayer(_ v: YAMLValue) -> ConductLayer {
        var layer = ConductLayer()
        let steps: [(String, WritableKeyPath<ConductLayer, ConductLayer.PartialTiming>)] = [
            ("sign_for", \.signFor), ("first_contact", \.firstContact), ("reply", \.reply),
            ("closure_report", \.closureReport), ("attendance", \.attendance), ("information", \.information),
        ]
        let keys = steps.map(\.0) + ["asks_extension", "evasive_return", "media_reply", "satisfaction"]
        guard let f = v.fields(keys) else { return layer }
        for (key, path) in steps {
            guard let sv = f[key], let s = sv.fields(["on_time", "late_by"]) else { continue }
            layer[keyPath: path] = ConductLayer.PartialTiming(
                onTime: s["on_time"]?.share(), lateBy: s["late_by"]?.distribution())
        }
        layer.asksExtension = f["asks_extension"]?.share()
        layer.evasiveReturn = f["evasive_return"]?.share()
        layer.mediaReply = f["media_reply"]?.share()
        if let sv = f["satisfaction"],
            let sf = sv.fields(Satisfaction.allCases.map(\.rawValue), required: Satisfaction.allCases.map(\.rawValue))
        {
            layer.satisfaction = sv.satisfactionShares(sf)
        }
        return layer
    }
}

extension YAMLValue {
    /// The three satisfaction shares of a mapping already checked for its keys, summing to 1.
    func satisfactionShares(_ fields: Fields) -> [Satisfaction: Double]? {
        var draw: [Satisfaction: Double] = [:]
        for (key, value) in fields.entries {
            if let s = Satisfaction(rawValue: key), let p = value.share() { draw[s] = p }
        }
        guard draw.count == 3, sharesSumToOne(Array(draw.values), what: "the satisfaction shares") else { return nil }
        return draw
    }
}
