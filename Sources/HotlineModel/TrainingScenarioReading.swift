package import HotlineCore

/// Reads a training scenario (`Scenarios/training/NAME.yaml`, docs/scenarios.md) and checks it
/// against a city model: its category, territory and unit exist, each step of the model handling
/// cites the article that asks for it, and the handling is what the model's routing core decides.
extension TrainingScenario {
    /// The format version this reader knows.
    package static let formatVersion = 1

    /// Reads and checks a scenario file against `model`.
    /// - Throws: `ModelLoadFailure` with every problem, each placed at its file, line, column and field.
    package static func load(path: String, shownPath: String? = nil, model: CityModel) throws(ModelLoadFailure)
        -> TrainingScenario
    {
        let diagnostics = Diagnostics()
        let root = ModelDocument.parse(path: path, shownPath: shownPath ?? path, diagnostics: diagnostics)
        let name = String(path.split(separator: "/").last ?? "scenario").replacing(".yaml", with: "")
        return try read(root, name: name, model: model, diagnostics)
    }

    /// Reads and checks scenario text; `file` is the name errors give.
    package static func parse(text: String, file: String, model: CityModel) throws(ModelLoadFailure)
        -> TrainingScenario
    {
        let diagnostics = Diagnostics()
        let root = ModelDocument.parse(text: text, file: file, diagnostics: diagnostics)
        let name = String(file.split(separator: "/").last ?? "scenario").replacing(".yaml", with: "")
        return try read(root, name: name, model: model, diagnostics)
    }

    /// Whether a YAML text is a training scenario rather than a model file (its `scenario:` key).
    package static func looksLikeScenario(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.hasPrefix("scenario:") }
    }

    private static func read(_ root: YAMLValue?, name: String, model: CityModel, _ d: Diagnostics)
        throws(ModelLoadFailure) -> TrainingScenario
    {
        var title = Gloss(zh: "", en: "")
        var caller = Caller(persona: title, mood: .calm, patienceSeconds: 60, number: "unknown", says: [])
        var truth = Truth(
            request: .consultation, category: CategoryCode(""), territory: nil, unit: nil, callAt: Instant(seconds: 0))
        var world = World(dutyLine: .answers, answersOnTheSpot: false, aftermath: [], callerSatisfied: true)
        var expected: [Expected] = []
        let keys = ["version", "scenario", "caller", "truth", "world", "expected"]
        if let root, let top = root.fields(keys, required: ["scenario", "caller", "truth", "world", "expected"]) {
            if let v = top["version"], let n = v.integer(), n != formatVersion {
                v.fail(.unsupportedVersion, "version \(n) is not known; this hotline reads version \(formatVersion)")
            }
            if let v = top["scenario"], let g = gloss(v) { title = g }
            if let v = top["caller"] { caller = readCaller(v) ?? caller }
            if let v = top["truth"] { truth = readTruth(v, model: model) ?? truth }
            if let v = top["world"] { world = readWorld(v) ?? world }
            if let v = top["expected"] { expected = readExpected(v) }
            if let v = top["expected"], d.errors.isEmpty {
                checkAgainstCore(
                    TrainingScenario(
                        name: name, title: title, caller: caller, truth: truth, world: world, expected: expected),
                    model: model, at: v)
            }
        }
        guard d.errors.isEmpty else { throw ModelLoadFailure(errors: d.errors, warnings: d.warnings) }
        return TrainingScenario(
            name: name, title: title, caller: caller, truth: truth, world: world, expected: expected)
    }

    /// `{zh: …, en: …}`: the Mandarin text and its English gloss.
    private static func gloss(_ v: YAMLValue) -> Gloss? {
        guard let f = v.fields(["zh", "en"], required: ["zh", "en"]),
            let zh = f["zh"]?.name(), let en = f["en"]?.name()
        else { return nil }
        return Gloss(zh: zh, en: en)
    }

    private static func readCaller(_ v: YAMLValue) -> Caller? {
        let keys = ["persona", "mood", "patience_s", "number", "name", "says", "answers"]
        guard let f = v.fields(keys, required: ["persona", "mood", "says"]) else { return nil }
        var caller = Caller(
            persona: f["persona"].flatMap(gloss) ?? Gloss(zh: "", en: ""),
            mood: f["mood"]?.oneOf(Mood.self, what: "mood") ?? .calm,
            patienceSeconds: f["patience_s"]?.positive() ?? 60,
            number: "unknown", says: [])
        if let n = f["number"], let s = n.string() {
            if s == "unknown" || (s.count >= 5 && s.count <= 20 && s.allSatisfy(\.isNumber)) {
                caller.number = s
            } else {
                n.fail(.badValue, "'\(s)' is not a phone number", hint: "digits only, or 'unknown' when withheld")
            }
        }
        caller.name = f["name"]?.name()
        if let says = f["says"], let lines = says.list() {
            caller.says = lines.compactMap(gloss)
            if lines.isEmpty { says.fail(.missingKey, "the caller says at least one thing") }
        }
        if let answers = f["answers"], let topics = answers.fields([], anyKey: true) {
            for (topic, value) in topics.entries {
                if let g = gloss(value) { caller.answers[topic] = g }
            }
        }
        return caller
    }

    private static func readTruth(_ v: YAMLValue, model: CityModel) -> Truth? {
        let keys = ["request", "category", "territory", "unit", "knowledge_base", "major", "origin", "call_at"]
        guard let f = v.fields(keys, required: ["request", "category", "call_at"]) else { return nil }
        var truth = Truth(
            request: f["request"]?.oneOf(RequestKind.self, what: "request kind") ?? .consultation,
            category: CategoryCode(""), territory: nil, unit: nil,
            callAt: f["call_at"]?.instant() ?? Instant(seconds: 0))
        if let c = f["category"], let code = c.string() {
            if model.router.categories.categories[CategoryCode(code)] == nil {
                c.fail(.unknownReference, "no category '\(code)' in the model \(model.name)")
            }
            truth.category = CategoryCode(code)
        }
        if let t = f["territory"], let id = t.string() {
            if model.router.territories.territories[TerritoryID(id)] == nil {
                t.fail(.unknownReference, "no territory '\(id)' in the model \(model.name)")
            }
            truth.territory = TerritoryID(id)
        }
        if let u = f["unit"], let id = u.string() {
            if !model.router.directory.snapshot(at: truth.callAt).contains(UnitID(id)) {
                u.fail(.unknownReference, "no unit '\(id)' in the model \(model.name)'s directory at the call's time")
            }
            truth.unit = UnitID(id)
        }
        // The truth is the directory's: the unit it makes responsible for the matter at that time and
        // place (Art. 7, 9), or none when it names several or none (Art. 8).
        if model.router.categories.categories[truth.category] != nil, v.diagnostics.errors.isEmpty {
            let said = truth.unit
            switch model.router.responsibility(
                for: truth.category, in: truth.territory, directToTierThree: false, at: truth.callAt)
            {
            case .unit(let r) where said != r.handler:
                (f["unit"] ?? v).fail(
                    .badValue,
                    "the directory makes '\(r.handler)' responsible for this matter, not '\(said?.rawValue ?? "none")'",
                    hint: "write unit: \(r.handler)")
            case .unclear(let candidates) where said != nil:
                (f["unit"] ?? v).fail(
                    .badValue,
                    "the directory names no single unit for this matter (\(candidates.map(\.rawValue).joined(separator: ", "))): Art. 8, leave out 'unit'"
                )
            default: break
            }
        }
        truth.knowledgeBase = f["knowledge_base"]?.bool() ?? false
        truth.major = f["major"]?.bool() ?? false
        if let o = f["origin"] {
            truth.origin = o.oneOf(CaseOrigin.self, what: "origin") ?? .public
        }
        return truth
    }

    private static func readWorld(_ v: YAMLValue) -> World? {
        let keys = ["duty_line", "answers_on_the_spot", "aftermath", "caller_satisfied"]
        guard let f = v.fields(keys, required: ["duty_line"]) else { return nil }
        var world = World(
            dutyLine: f["duty_line"]?.oneOf(DutyLine.self, what: "duty-line behaviour") ?? .answers,
            answersOnTheSpot: f["answers_on_the_spot"]?.bool() ?? false, aftermath: [],
            callerSatisfied: f["caller_satisfied"]?.bool() ?? true)
        if let a = f["aftermath"], let items = a.list() {
            var last = 0.0
            for item in items {
                guard let g = item.fields(["day", "unit"], required: ["day", "unit"]),
                    let day = g["day"]?.nonNegative(), let step = g["unit"]?.oneOf(UnitStep.self, what: "unit step")
                else { continue }
                if day < last {
                    g["day"]?.fail(.badValue, "the aftermath runs forward: day \(day) comes after day \(last)")
                }
                last = day
                world.aftermath.append(Aftermath(day: day, step: step))
            }
        }
        return world
    }

    private static func readExpected(_ v: YAMLValue) -> [Expected] {
        guard let items = v.list() else { return [] }
        if items.isEmpty { v.fail(.missingKey, "the model handling has at least one step") }
        var out: [Expected] = []
        for (i, item) in items.enumerated() {
            guard let f = item.fields(["step", "article", "points", "why"], required: ["step", "article", "points"]),
                let step = f["step"]?.oneOf(OperatorStep.self, what: "step")
            else { continue }
            if i == 0, !OperatorStep.handling.contains(step) {
                f["step"]?.fail(
                    .badValue, "the model handling begins with the step that settles the call, not '\(step.rawValue)'",
                    hint: "one of: " + OperatorStep.handling.map(\.rawValue).joined(separator: ", "))
            }
            if let a = f["article"], let text = a.string() {
                // Each step cites the article that asks for it: a scenario cannot teach a step under the
                // wrong rule.
                if text != step.article.short {
                    a.fail(
                        .badValue, "'\(step.rawValue)' is asked for by \(step.article), not '\(text)'",
                        hint: "write article: \"\(step.article.short)\"")
                }
            }
            let points = f["points"]?.integer(in: 1...100) ?? 0
            out.append(Expected(step: step, points: points, why: f["why"].flatMap(gloss)))
        }
        return out
    }

    /// The model handling must be what the routing core decides for the matter (the same rule as the
    /// simulator and the live centre).
    private static func checkAgainstCore(_ s: TrainingScenario, model: CityModel, at v: YAMLValue) {
        guard let handling = s.handling, let core = s.coreDecision(by: model.router) else { return }
        if core.step == handling {
            // Art. 10(3): a three-party call the unit could not settle is followed by a registration.
            let after = s.coreAfterConference(by: model.router)
            let second = s.expected.dropFirst().first?.step
            if let after, second != after {
                v.fail(
                    .badValue,
                    "after the three-party call (duty line \(s.world.dutyLine.rawValue)\(s.world.dutyLine == .answers ? ", not settled on the spot" : "")) the routing core decides '\(after.rawValue)' (Art. 10(3)): the model handling's second step must be it",
                    hint: "add - { step: \(after.rawValue), article: \"\(after.article.short)\", points: … }")
            } else if after == nil, s.world.dutyLine == .answers, second == .register || second == .workOrder {
                v.fail(
                    .badValue,
                    "the unit settles the matter on the spot: nothing is registered after the three-party call")
            }
            return
        }
        let placed = v.list()?.first.flatMap { $0.fields(["step", "article", "points", "why"])?["step"] } ?? v
        placed.fail(
            .badValue,
            "the routing core of \(model.name) decides '\(core.step.rawValue)' (\(core.article)) for this matter, not '\(handling.rawValue)'",
            hint:
                "a scenario teaches what the live centre does: change the model handling, or the truth (category, territory, time)"
        )
    }
}

extension Article {
    /// `10(2)`, `8`: as a scenario file writes it.
    package var short: String { item.map { "\(number)(\($0))" } ?? "\(number)" }
}
