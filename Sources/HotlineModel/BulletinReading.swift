internal import HotlineCore

extension SectionReader {
    /// `bulletins:` the rules of the monthly bulletin (Art. 13): naming by reply and satisfaction
    /// rates, the duty-line rule of Art. 13(1), the thresholds of the tiers, the evidence printed.
    func readBulletins(_ v: YAMLValue) -> BulletinRules {
        var r = BulletinRules()
        guard let f = v.fields(["naming", "duty_line", "tiers", "examples"]) else { return r }
        if let nv = f["naming"], let n = nv.fields(["reply_rate_below", "satisfaction_below", "minimum_cases"]) {
            if let x = n["reply_rate_below"]?.share() { r.replyRateBelow = x }
            if let x = n["satisfaction_below"]?.share() { r.satisfactionBelow = x }
            if let x = n["minimum_cases"]?.integer(in: 1...1_000_000) { r.namingMinimumCases = x }
        }
        if let dv = f["duty_line"], let d = dv.fields(["unanswered_above", "minimum_calls"]) {
            if let x = d["unanswered_above"]?.share() { r.dutyLineUnansweredAbove = x }
            if let x = d["minimum_calls"]?.integer(in: 1...1_000_000) { r.dutyLineMinimumCalls = x }
        }
        if let tv = f["tiers"], let t = tv.fields(["mayor", "media"]) {
            // A tier given replaces its default rule: a threshold left out is not a criterion.
            if let m = t["mayor"] { r.mayor = readTierRule(m) }
            if let m = t["media"] { r.media = readTierRule(m) }
        }
        if let x = f["examples"]?.integer(in: 0...5) { r.examples = x }
        return r
    }

    private func readTierRule(_ v: YAMLValue) -> TierRule {
        var rule = TierRule()
        guard let f = v.fields(["findings", "emergency_findings", "accountability"]) else { return rule }
        rule.findings = f["findings"]?.integer(in: 1...1_000_000)
        rule.emergencyFindings = f["emergency_findings"]?.integer(in: 1...1_000_000)
        rule.accountability = f["accountability"]?.integer(in: 1...1_000_000)
        return rule
    }

    /// `assessment:` the yearly target-management score (Art. 14): the KPIs with weights summing to
    /// 100 and the values that earn all and none of their points, the deductions, the minimum of cases.
    func readAssessment(_ v: YAMLValue) -> AssessmentRules {
        var r = AssessmentRules()
        guard let f = v.fields(["kpis", "deductions", "minimum_cases"]) else { return r }
        if let x = f["minimum_cases"]?.integer(in: 0...1_000_000) { r.minimumCases = x }
        if let dv = f["deductions"], let d = dv.fields(["accountability", "supervision"]) {
            if let x = d["accountability"]?.nonNegative() { r.accountabilityDeduction = x }
            if let x = d["supervision"]?.nonNegative() { r.supervisionDeduction = x }
        }
        guard let kv = f["kpis"], let k = kv.fields(KPI.allCases.map(\.rawValue)) else { return r }
        guard !k.entries.isEmpty else {
            kv.fail(.missingKey, "list at least one KPI: " + KPI.allCases.map(\.rawValue).joined(separator: ", "))
            return r
        }
        // The KPIs listed are scored, in the fixed order of KPI; those left out are not.
        var rules: [KPIRule] = []
        var complete = true
        for kpi in KPI.allCases {
            guard let value = k.entries.first(where: { $0.key == kpi.rawValue })?.value else { continue }
            let base = KPIRule.defaults.first { $0.kpi == kpi }!
            guard let e = value.fields(["weight", "full_at", "zero_at"], required: ["weight"]),
                let weight = e["weight"]?.nonNegative()
            else {
                complete = false
                continue
            }
            var rule = KPIRule(kpi, weight: weight, fullAt: base.fullAt, zeroAt: base.zeroAt)
            if let x = e["full_at"]?.share() { rule.fullAt = x }
            if let x = e["zero_at"]?.share() { rule.zeroAt = x }
            if rule.fullAt <= rule.zeroAt {
                (e["full_at"] ?? e["zero_at"] ?? value).fail(
                    .badValue,
                    "full_at (\(rule.fullAt)) must be above zero_at (\(rule.zeroAt)): points grow with the value")
            }
            rules.append(rule)
        }
        guard complete else { return r }
        let sum = rules.reduce(0) { $0 + $1.weight }
        if abs(sum - AssessmentRules.totalWeight) > 1e-6 {
            kv.fail(
                .sharesDoNotSum,
                "the KPI weights sum to \(Self.plain(sum)), not 100 (off by \(Self.plain(sum - 100)))",
                hint: "Art. 14: the assessment scores 100 points")
        }
        r.kpis = rules
        return r
    }

    /// A number as written in a message: `95`, `97.5`.
    private static func plain(_ x: Double) -> String {
        let r = (x * 1e6).rounded() / 1e6
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
    }
}
