internal import HotlineCore

extension YAMLValue {
    /// A distribution: a mapping with one key naming the family and its parameters, such as
    /// `{ lognormal: { mean_s: 150, cv: 0.8 } }`.
    func distribution() -> Distribution? {
        let families = ["exponential", "lognormal", "gamma", "erlang", "deterministic", "uniform", "empirical"]
        guard let f = fields(families) else { return nil }
        guard f.entries.count == 1, let (family, p) = f.entries.first.map({ ($0.key, $0.value) }) else {
            fail(
                f.entries.isEmpty ? .missingKey : .badValue,
                f.entries.isEmpty
                    ? "a distribution needs one of: " + families.joined(separator: ", ")
                    : "a distribution has exactly one family, found " + f.entries.map(\.key).joined(separator: " and ")
            )
            return nil
        }
        switch family {
        case "exponential":
            guard let q = p.fields(["mean_s"], required: ["mean_s"]), let m = q["mean_s"]?.positive() else {
                return nil
            }
            return .exponential(mean: m)
        case "lognormal":
            guard let q = p.fields(["mean_s", "cv"], required: ["mean_s", "cv"]), let m = q["mean_s"]?.positive(),
                let cv = q["cv"]?.positive()
            else { return nil }
            return .lognormal(mean: m, cv: cv)
        case "gamma":
            guard let q = p.fields(["mean_s", "cv", "shape"], required: ["mean_s"]), let m = q["mean_s"]?.positive()
            else { return nil }
            switch (q["cv"], q["shape"]) {
            case (let cv?, nil): return cv.positive().map { .gamma(mean: m, cv: $0) }
            case (nil, let shape?): return shape.positive().map { .gamma(mean: m, cv: 1 / $0.squareRoot()) }
            default:
                p.fail(.badValue, "give the gamma distribution either 'cv' or 'shape'")
                return nil
            }
        case "erlang":
            guard let q = p.fields(["k", "mean_s"], required: ["k", "mean_s"]), let k = q["k"]?.integer(in: 1...1000),
                let m = q["mean_s"]?.positive()
            else { return nil }
            return .erlang(k: k, mean: m)
        case "deterministic":
            guard let q = p.fields(["value_s"], required: ["value_s"]), let v = q["value_s"]?.nonNegative() else {
                return nil
            }
            return .deterministic(v)
        case "uniform":
            guard let q = p.fields(["min_s", "max_s"], required: ["min_s", "max_s"]), let a = q["min_s"]?.nonNegative(),
                let bv = q["max_s"], let b = bv.nonNegative()
            else { return nil }
            guard b > a else {
                bv.fail(.badValue, "max_s must be greater than min_s (\(a))")
                return nil
            }
            return .uniform(min: a, max: b)
        default:
            guard let q = p.fields(["values_s", "probabilities"], required: ["values_s", "probabilities"]),
                let vv = q["values_s"], let pv = q["probabilities"], let values = vv.list(), let probs = pv.list()
            else { return nil }
            let v = values.compactMap { $0.nonNegative() }
            let w = probs.compactMap { $0.share() }
            guard v.count == values.count, w.count == probs.count else { return nil }
            guard !v.isEmpty, v.count == w.count else {
                pv.fail(
                    .badValue,
                    "an empirical table needs as many probabilities as values (\(v.count) values, \(w.count) probabilities)"
                )
                return nil
            }
            guard pv.sharesSumToOne(w, what: "the probabilities") else { return nil }
            return .empirical(values: v, probabilities: w)
        }
    }

    /// Checks that shares sum to 1 (within 1e-6) and reports the sum when they do not.
    @discardableResult
    func sharesSumToOne(_ shares: [Double], what: String) -> Bool {
        let sum = shares.reduce(0, +)
        guard abs(sum - 1) > 1e-6 else { return true }
        let shown = (sum * 1e6).rounded() / 1e6
        fail(
            .sharesDoNotSum,
            "\(what) sum to \(shown), not 1 (off by \((shown - 1) * 1e6 / 1e6 > 0 ? "+" : "")\(((sum - 1) * 1e6).rounded() / 1e6))"
        )
        return false
    }
}
