internal import Foundation
package import HotlineCore
internal import Yams

/// A model that loaded, with the warnings found on the way and the files it came from.
package struct LoadedModel: Sendable {
    package var model: CityModel
    package var warnings: [ModelError]
    package var files: [String]
}

/// Reads and validates model files (format version 1) into core types.
///
/// A model is one YAML file, or a folder whose `model.yaml` may `include` further files, each holding
/// some of the top-level sections. Every problem is reported at once, each with its file, line,
/// column and field path; nothing in the input can make it crash.
package enum ModelLoader {
    /// The format versions this build reads.
    package static let supportedVersions = [1]

    /// The top-level sections of a model file.
    static let sections = [
        "version", "name", "description", "utc_offset_hours", "include", "service", "arrivals", "operators", "handling",
        "patience", "retrial", "conference", "callbacks", "ivr", "cases", "network", "categories", "deadlines",
        "calendar", "planning", "bulletins", "assessment",
    ]

    /// Loads a model file, or a folder holding `model.yaml`.
    /// - Throws: `ModelLoadFailure` with every error found.
    package static func load(path: String) throws(ModelLoadFailure) -> LoadedModel {
        let diagnostics = Diagnostics()
        var isDirectory: ObjCBool = false
        var main = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            main = (path as NSString).appendingPathComponent("model.yaml")
            guard FileManager.default.fileExists(atPath: main) else {
                let e = ModelError(
                    .unreadable,
                    file: path,
                    line: 0,
                    column: 0,
                    field: "",
                    message: "is a folder without model.yaml; give a model file or a model folder"
                )
                throw ModelLoadFailure(errors: [e], warnings: [])
            }
        }
        guard let root = ModelDocument.parse(path: main, shownPath: main, diagnostics: diagnostics) else {
            throw ModelLoadFailure(errors: diagnostics.errors, warnings: diagnostics.warnings)
        }
        let base = (main as NSString).deletingLastPathComponent
        return try build(root: root, diagnostics: diagnostics) { name in
            let file =
                name.hasPrefix("/") ? name : (base.isEmpty ? name : (base as NSString).appendingPathComponent(name))
            return ModelDocument.parse(path: file, shownPath: file, diagnostics: diagnostics)
        }
    }

    /// Loads a model from YAML text (`file` names it in errors); `include` is not available.
    package static func load(text: String, file: String = "model.yaml") throws(ModelLoadFailure) -> LoadedModel {
        let diagnostics = Diagnostics()
        guard let root = ModelDocument.parse(text: text, file: file, diagnostics: diagnostics) else {
            throw ModelLoadFailure(errors: diagnostics.errors, warnings: diagnostics.warnings)
        }
        return try build(root: root, diagnostics: diagnostics) { name in
            diagnostics.error(
                ModelError(
                    .unreadable,
                    file: name,
                    line: 0,
                    column: 0,
                    field: "include",
                    message: "include needs a model read from a file"
                )
            )
            return nil
        }
    }

    /// Loads a model from files held in memory, such as those built into the binary.
    ///
    /// `include` names are resolved against the folder of the main file among `files`, as they are
    /// on disk. Errors name a file as `origin/PATH` (`(built-in)/mudanjiang/network.yaml`), with its
    /// line, column and field as for a file on disk.
    /// - Parameters:
    ///   - files: the text of each file by its relative path (`mudanjiang/network.yaml`).
    ///   - main: the main file's path in `files`, or a folder holding `model.yaml` there.
    ///   - origin: what stands for the files' folder in messages; empty for none.
    /// - Throws: `ModelLoadFailure` with every error found.
    package static func load(
        files: [String: String],
        main: String,
        origin: String
    ) throws(ModelLoadFailure) -> LoadedModel {
        let diagnostics = Diagnostics()
        func shown(_ path: String) -> String { origin.isEmpty ? path : origin + "/" + path }
        func parse(_ path: String) -> YAMLValue? {
            guard let text = files[path] else {
                diagnostics.error(
                    ModelError(.unreadable, file: shown(path), line: 0, column: 0, field: "", message: "no such file")
                )
                return nil
            }
            return ModelDocument.parse(text: text, file: shown(path), diagnostics: diagnostics)
        }
        let folderMain = normalized(main + "/model.yaml")
        let mainPath = files[normalized(main)] == nil && files[folderMain] != nil ? folderMain : normalized(main)
        guard let root = parse(mainPath) else {
            throw ModelLoadFailure(errors: diagnostics.errors, warnings: diagnostics.warnings)
        }
        let base = mainPath.split(separator: "/").dropLast().joined(separator: "/")
        return try build(root: root, diagnostics: diagnostics) { name in
            parse(normalized(name.hasPrefix("/") || base.isEmpty ? name : base + "/" + name))
        }
    }

    /// A relative path without `.`, `..` and empty components (`a/./b/../c` is `a/c`); a `..` above
    /// the top stays, so that the path names no file.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case ".." where !parts.isEmpty && parts.last != "..": parts.removeLast()
            default: parts.append(part)
            }
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    private static func build(
        root: YAMLValue,
        diagnostics: Diagnostics,
        open: (String) -> YAMLValue?
    ) throws(ModelLoadFailure) -> LoadedModel {
        var files = [root.file]
        var sections: [String: YAMLValue] = [:]
        var keyNodes: [String: YAMLValue] = [:]
        var unreadable = false
        func collect(_ doc: YAMLValue, allowInclude: Bool) {
            guard let f = doc.fields(Self.sections, extensions: true) else { return }
            for (key, value) in f.entries {
                if key == "include" {
                    if !allowInclude { value.fail(.badValue, "only the main model file may include others") }
                    continue
                }
                if let first = keyNodes[key] {
                    value.fail(
                        .duplicate,
                        "section '\(key)' is defined twice",
                        hint: "also at \(first.file):\(first.line)"
                    )
                    continue
                }
                keyNodes[key] = value
                sections[key] = value
            }
            guard allowInclude, let inc = f["include"] else { return }
            for item in inc.list() ?? [] {
                guard let name = item.name() else { continue }
                guard let doc = open(name) else {
                    unreadable = true
                    continue
                }
                files.append(doc.file)
                collect(doc, allowInclude: false)
            }
        }
        collect(root, allowInclude: true)
        // A file that did not parse leaves sections missing: checking the rest would only report
        // the references into them, so stop at the parse errors.
        guard case .mapping = root.node, !unreadable else {
            throw ModelLoadFailure(errors: diagnostics.errors, warnings: diagnostics.warnings)
        }

        var reader = SectionReader(sections: sections, root: root, diagnostics: diagnostics)
        let model = reader.read()
        guard diagnostics.errors.isEmpty, let model else {
            let sorted = diagnostics.errors.enumerated().sorted { a, b in
                let x = a.element
                let y = b.element
                if x.file != y.file { return files.firstIndex(of: x.file) ?? 0 < files.firstIndex(of: y.file) ?? 0 }
                if x.line != y.line { return x.line < y.line }
                return a.offset < b.offset
            }.map(\.element)
            throw ModelLoadFailure(errors: sorted, warnings: diagnostics.warnings)
        }
        return LoadedModel(model: model, warnings: diagnostics.warnings, files: files)
    }
}

/// Reads the sections of a model in dependency order (deadlines before categories, categories and
/// territories before units), so that every reference can be checked where it is written.
struct SectionReader {
    let sections: [String: YAMLValue]
    let root: YAMLValue
    let diagnostics: Diagnostics

    var policy = CasePolicy.standard
    var deadlineClassNodes: [DeadlineClassID: YAMLValue] = [:]
    var calendar = WorkingCalendar()
    var handling: [Disposition: Handling] = [:]
    var categories = CategoryTree([])
    var territories = TerritoryTree([])
    var referralBodies: [String] = []
    var directory = Directory(units: [])
    var unitIDs: Set<UnitID> = []

    init(sections: [String: YAMLValue], root: YAMLValue, diagnostics: Diagnostics) {
        self.sections = sections
        self.root = root
        self.diagnostics = diagnostics
    }

    func required(_ key: String) -> YAMLValue? {
        guard let v = sections[key], !v.isNull else {
            diagnostics.error(
                ModelError(
                    .missingKey,
                    file: root.file,
                    line: 1,
                    column: 1,
                    field: key,
                    message: "missing required section '\(key)'"
                )
            )
            return nil
        }
        return v
    }

    mutating func read() -> CityModel? {
        if let v = sections["version"], let n = v.integer(), !ModelLoader.supportedVersions.contains(n) {
            v.fail(
                .unsupportedVersion,
                "model format version \(n) is not supported",
                hint: "this build reads version 1"
            )
        }
        let name = required("name")?.name()
        let description = sections["description"]?.string() ?? ""
        let utcOffset = sections["utc_offset_hours"]?.integer(in: -12...14) ?? 8
        let service = required("service").flatMap(readService)
        if let v = sections["deadlines"] { readDeadlines(v) }
        if let v = sections["calendar"] { readCalendar(v) }
        if let v = required("handling") { readHandling(v) }
        if let v = sections["network"] { readNetworkNames(v) }
        if let v = sections["categories"] { readCategories(v) }
        if let v = sections["network"] {
            readNetwork(v)
        } else if sections["categories"] != nil {
            sections["categories"]!.diagnostics.warning(
                at: sections["categories"]!,
                "categories without a network: no unit can be responsible"
            )
        }
        let arrivals = required("arrivals").flatMap(readArrivals)
        let staffing = required("operators").flatMap(readOperators)
        let planning = sections["planning"].map(readPlanning) ?? StaffPlanning()
        let patience = sections["patience"].flatMap { $0.isNull ? nil : $0.distribution() }
        let retrial = sections["retrial"].flatMap(readRetrial)
        let conference = sections["conference"].map(readConference) ?? ConferenceBehaviour()
        let callbacks = sections["callbacks"].flatMap(readCallbacks)
        let ivr = sections["ivr"].map(readIVR) ?? IVRBehaviour()
        let cases = sections["cases"].map(readCases) ?? CaseBehaviour()
        let bulletins = sections["bulletins"].map(readBulletins) ?? BulletinRules()
        let assessment = sections["assessment"].map(readAssessment) ?? AssessmentRules()
        if sections["network"] != nil && sections["calendar"] == nil {
            diagnostics.warning(
                ModelError(
                    .warning,
                    file: root.file,
                    line: 0,
                    column: 0,
                    field: "calendar",
                    message: "no calendar: every year falls back to Monday–Friday working days"
                )
            )
        }
        guard let name, let service, let arrivals, let staffing, let planning, diagnostics.errors.isEmpty else {
            return nil
        }
        let router = Router(
            directory: directory,
            territories: territories,
            categories: categories,
            calendar: calendar,
            policy: policy,
            referralBodies: referralBodies
        )
        return CityModel(
            name: name,
            description: description,
            service: service,
            arrivals: arrivals,
            staffing: staffing,
            planning: planning,
            handling: handling,
            patience: patience,
            retrial: retrial,
            conference: conference,
            callbacks: callbacks,
            ivr: ivr,
            cases: cases,
            router: router,
            utcOffsetHours: utcOffset,
            bulletins: bulletins,
            assessment: assessment
        )
    }

    func readService(_ v: YAMLValue) -> ServiceTargets? {
        guard let f = v.fields(["threshold_s", "target", "connection_rate_target"], required: ["threshold_s"]),
            let t = f["threshold_s"]?.positive()
        else { return nil }
        return ServiceTargets(
            thresholdSeconds: t,
            targetShare: f["target"]?.share() ?? 0.8,
            connectionRateTarget: f["connection_rate_target"]?.share() ?? 0.95
        )
    }

    mutating func readHandling(_ v: YAMLValue) {
        let keys = Disposition.allCases.map(\.rawValue)
        guard let f = v.fields(keys) else { return }
        guard !f.entries.isEmpty else {
            v.fail(.missingKey, "handling needs at least one of: " + keys.joined(separator: ", "))
            return
        }
        var shares: [Double] = []
        for (key, value) in f.entries {
            guard let d = Disposition(rawValue: key),
                let h = value.fields(["share", "talk", "after_call"], required: ["share", "talk"])
            else { continue }
            let share = h["share"]?.share()
            let talk = h["talk"]?.distribution()
            let after = h["after_call"]?.distribution()
            if let share { shares.append(share) }
            if let share, let talk { handling[d] = Handling(share: share, talk: talk, afterCall: after) }
        }
        if shares.count == f.entries.count { v.sharesSumToOne(shares, what: "the handling shares") }
    }

    func readRetrial(_ v: YAMLValue) -> Retrial? {
        guard let f = v.fields(["share", "delay"], required: ["share", "delay"]), let s = f["share"]?.share(),
            let d = f["delay"]?.distribution()
        else { return nil }
        return Retrial(share: s, delay: d)
    }

    func readConference(_ v: YAMLValue) -> ConferenceBehaviour {
        var c = ConferenceBehaviour()
        guard let f = v.fields(["ring", "ring_timeout_s", "answer_probability", "on_spot_probability", "bridged_talk"])
        else { return c }
        if let d = f["ring"]?.distribution() { c.ring = d }
        if let t = f["ring_timeout_s"]?.positive() { c.ringTimeout = t }
        if let p = f["answer_probability"]?.share() { c.answerProbability = p }
        if let p = f["on_spot_probability"]?.share() { c.onSpotProbability = p }
        if let d = f["bridged_talk"]?.distribution() { c.bridgedTalk = d }
        return c
    }

    func readCallbacks(_ v: YAMLValue) -> Callbacks? {
        guard let f = v.fields(["share", "satisfaction", "talk", "hours", "missed_calls"], required: ["satisfaction"]),
            let sv = f["satisfaction"],
            let sf = sv.fields(Satisfaction.allCases.map(\.rawValue), required: Satisfaction.allCases.map(\.rawValue))
        else { return nil }
        guard let draw = sv.satisfactionShares(sf) else { return nil }
        var callbacks = Callbacks(share: f["share"]?.share() ?? 0.8, satisfaction: draw)
        if let t = f["talk"]?.distribution() { callbacks.talk = t }
        if let h = f["hours"]?.dailyCover() { callbacks.hours = h }
        if let mv = f["missed_calls"], let m = mv.fields(["share", "talk"], required: ["share"]) {
            if let share = m["share"]?.share() { callbacks.missedCallShare = share }
            if let t = m["talk"]?.distribution() { callbacks.missedCallTalk = t }
        }
        return callbacks
    }

    /// `ivr:` the inbound greeting and the call-back offer of queue announcements.
    func readIVR(_ v: YAMLValue) -> IVRBehaviour {
        var ivr = IVRBehaviour()
        guard let f = v.fields(["greeting", "callback_offer"]) else { return ivr }
        ivr.greeting = f["greeting"]?.distribution()
        if let ov = f["callback_offer"], let o = ov.fields(["after_wait_s", "accept"], required: ["after_wait_s"]) {
            ivr.callbackOfferAfter = o["after_wait_s"]?.positive()
            if let a = o["accept"]?.share() { ivr.callbackAcceptance = a }
        }
        return ivr
    }

}
