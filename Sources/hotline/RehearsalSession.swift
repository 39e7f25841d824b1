import Foundation
import HotlineCore
import HotlineModel

#if canImport(Glibc)
    import Glibc
#endif

/// The log of a rehearsal: a header line, then one line per operator action, JSON Lines, written and
/// flushed as the session goes, so that Ctrl-C or a lost terminal leaves a log `--replay` reproduces.
struct RehearsalLog {
    struct Header: Codable {
        var rehearsal = 1
        var scenario: String
        var path: String
        var mode: String
        var started: String
    }

    struct Entry: Codable {
        var at: Double
        var step: String
        var fields: [String: String]
    }

    let handle: FileHandle
    let path: String

    init(path: String, header: Header) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw RehearsalError("cannot write the session log \(path)")
        }
        self.path = path
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try write(header)
    }

    func write(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(10)
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    /// Writes one action; a summary is kept masked (Art. 15), with a mark where it showed the caller's
    /// number, so that a replay scores it the same.
    func record(_ action: TraineeAction, callerNumber: String) throws {
        let logged = RehearsalRubric.forTheLog(action, number: callerNumber)
        try write(Entry(at: logged.at, step: logged.step.rawValue, fields: logged.fields))
    }

    /// Reads a log back: its header and actions.
    static func read(_ path: String) throws -> (Header, [TraineeAction]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RehearsalError("cannot read the session log \(path)")
        }
        let lines = text.split(separator: "\n")
        guard let first = lines.first,
            let header = try? JSONDecoder().decode(Header.self, from: Data(first.utf8))
        else { throw RehearsalError("\(path):1: not a rehearsal log (its first line is the session's header)") }
        var actions: [TraineeAction] = []
        for (i, line) in lines.dropFirst().enumerated() {
            guard let e = try? JSONDecoder().decode(Entry.self, from: Data(line.utf8)),
                let step = TrainingScenario.OperatorStep(rawValue: e.step)
            else { throw RehearsalError("\(path):\(i + 2): not an action of a rehearsal log") }
            actions.append(TraineeAction(at: e.at, step: step, fields: e.fields))
        }
        return (header, actions)
    }
}

struct RehearsalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The steps a trainee took, each written to the session log as it is taken, with coaching feedback
/// when the session coaches. Shared by the terminal session and the session at a real desk.
final class RehearsalRecord {
    let scenario: TrainingScenario
    let coaching: Bool
    let log: RehearsalLog
    private(set) var actions: [TraineeAction] = []

    init(scenario: TrainingScenario, coaching: Bool, log: RehearsalLog) {
        self.scenario = scenario
        self.coaching = coaching
        self.log = log
    }

    /// Records a step at `at` seconds of the rehearsal; returns the coaching feedback, if any.
    func act(_ step: TrainingScenario.OperatorStep, _ fields: [String: String] = [:], at: Double) throws -> String? {
        let action = TraineeAction(at: (at * 10).rounded() / 10, step: step, fields: fields)
        actions.append(action)
        try log.record(action, callerNumber: scenario.caller.number)
        guard coaching else { return nil }
        let done = actions.count
        let expected = scenario.expected
        if done <= expected.count, expected[done - 1].step == step {
            return "  ✓ \(step.article): \(expected[done - 1].why?.en ?? step.phrase)"
        } else if let next = expected.first(where: { e in !actions.contains { $0.step == e.step } }) {
            return "  ✗ The regulation asks to \(next.step.phrase) here (\(next.step.article))."
        }
        return nil
    }

    /// The centre's steps in the aftermath, as numbered choices (nil: nothing more today).
    static let centreOptions: [(String, TrainingScenario.OperatorStep?)] = [
        ("Nothing (more) to do today", nil),
        ("Grant the extension (Art. 10(8))", .grantExtension),
        ("Refuse the extension (Art. 10(8))", .refuseExtension),
        ("Supervise the overdue case (Art. 10(9))", .supervise),
        ("Report the unit for accountability (Art. 13)", .reportAccountability),
        ("Tell the enterprise's industry authority (Art. 13)", .notifyIndustryAuthority),
        ("Have the case handled again (Art. 10(10))", .rehandle),
        ("Answer through the media (Art. 10(10))", .answerThroughMedia),
    ]

    /// What a caller says when their patience has run out.
    static let impatience = Gloss(
        zh: "你们到底管不管？我等了半天了！", en: "Are you going to do something or not? I've been waiting ages!")

    /// What the duty line and the unit do in the three-party call.
    static func conferenceOutcome(_ world: TrainingScenario.World) -> String {
        switch world.dutyLine {
        case .answers:
            world.answersOnTheSpot
                ? "The duty line answers and the unit settles the matter on the spot."
                : "The duty line answers, but the unit cannot settle it on the spot."
        case .busy: "The duty line is busy."
        case .noAnswer: "The duty line rings out: nobody answers."
        case .offDuty: "Nobody staffs the duty line at this hour."
        }
    }

    /// The day's news of the aftermath, in words.
    static func dayLine(_ step: TrainingScenario.Aftermath) -> String {
        let news =
            switch step.step {
            case .signFor: "signs for the case"
            case .returnCase: "returns the case"
            case .requestExtension: "asks for an extension"
            case .reply: "replies"
            case .missDeadline: "misses its deadline"
            }
        return "-- Day \(Int(step.day)): the unit \(news)."
    }
}

extension Gloss {
    /// A caller's line as the terminal shows it: the Mandarin, the English gloss beneath.
    var said: String { "  Caller: \(zh)\n          \(en)" }
}

/// The interactive session: the trainee reads the caller and acts as the level-1 operator with
/// numbered choices, then acts for the centre in the aftermath. Plain lines on standard input and
/// output, so it works in any terminal, under tmux, and from a pipe.
final class RehearsalSession {
    let scenario: TrainingScenario
    let record: RehearsalRecord
    private let started = Date()
    var actions: [TraineeAction] { record.actions }
    /// Seconds of the aftermath: its days are played in accelerated time, one day a step.
    private var aftermathClock: Double?
    /// The caller's lines and the centre's prompts on the sound card (`--audio`).
    let voice: RehearsalVoice?

    init(scenario: TrainingScenario, record: RehearsalRecord, voice: RehearsalVoice? = nil) {
        self.scenario = scenario
        self.record = record
        self.voice = voice
    }

    private func say(_ text: String = "") { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

    /// One line from the trainee; `nil` at the end of input.
    private func ask(_ prompt: String) -> String? {
        // The prompt goes out before the read: a line written straight to the terminal, unbuffered.
        FileHandle.standardOutput.write(Data((prompt + " ").utf8))
        return readLine()?.trimmingCharacters(in: .whitespaces)
    }

    /// A numbered choice; `nil` at the end of input. Anything else is asked again.
    private func choose(_ title: String, _ options: [String]) -> Int? {
        while true {
            say(title)
            for (i, o) in options.enumerated() { say("  \(i + 1). \(o)") }
            guard let answer = ask(">") else { return nil }
            if let n = Int(answer), (1...options.count).contains(n) { return n - 1 }
            say("Type a number from 1 to \(options.count).")
        }
    }

    private var now: Double { aftermathClock ?? Date().timeIntervalSince(started) }

    /// Whether the trainee took a handling step yet.
    private var handled: Bool { actions.contains { TrainingScenario.OperatorStep.handling.contains($0.step) } }

    private func act(_ step: TrainingScenario.OperatorStep, _ fields: [String: String] = [:]) throws {
        if let feedback = try record.act(step, fields, at: now) { say(feedback) }
    }

    /// Runs the call, then the aftermath; returns when the session is over or the input ends.
    func run() throws {
        say("== \(scenario.title.zh) / \(scenario.title.en)")
        say(
            "Mode: \(record.coaching ? "coaching (feedback after each step)" : "exam (the score at the end)"). Ctrl-C saves the session."
        )
        say("The phone rings. Caller: \(scenario.caller.persona.en) (\(scenario.caller.mood.rawValue)).")
        for line in scenario.caller.says {
            say(line.said)
            voice?.caller(line.zh)
        }
        let handlingOptions: [(String, TrainingScenario.OperatorStep?)] = [
            ("Ask the caller a question", nil),
            ("Answer directly from the knowledge base (Art. 10(1))", .answerDirectly),
            ("Start a three-party call with the unit's duty line (Art. 10(2))", .threeParty),
            ("Register and dispatch by phone (Art. 10(3))", .register),
            ("Issue a written work order (Art. 10(4))", .workOrder),
            ("Refer to the discipline bodies (Art. 10(5))", .refer),
            ("Escalate: report up for joint handling (Art. 10(6))", .escalate),
            ("Propose to the government: no clear owner (Art. 8)", .proposeToGovernment),
            ("Join the caller's open case (repeat call)", .joinOpenCase),
            ("End the call", nil),
        ]
        var impatient = false
        call: while true {
            if !impatient, !handled, now > scenario.caller.patienceSeconds {
                impatient = true
                say(RehearsalRecord.impatience.said)
                voice?.caller(RehearsalRecord.impatience.zh)
            }
            guard let i = choose("What do you do?", handlingOptions.map(\.0)) else { return }
            switch i {
            case 0:
                let topics = scenario.caller.answers.keys.sorted()
                guard !topics.isEmpty else {
                    say("  Caller: 我都说了。 (I've told you everything.)")
                    continue
                }
                guard let t = choose("Ask about:", topics) else { return }
                let a = scenario.caller.answers[topics[t]]!
                say(a.said)
                voice?.caller(a.zh)
            case handlingOptions.count - 1:
                break call
            default:
                let step = handlingOptions[i].1!
                var fields: [String: String] = [:]
                if [.register, .workOrder, .escalate, .proposeToGovernment].contains(step) {
                    guard let category = ask("Category code (e.g. 0204):"), let unit = ask("Responsible unit id:"),
                        let summary = ask("Summary:")
                    else { return }
                    fields = ["category": category, "unit": unit, "summary": summary]
                }
                try act(step, fields)
                if step == .threeParty { say("  " + RehearsalRecord.conferenceOutcome(scenario.world)) }
            }
        }
        try aftermath()
    }

    /// The days after the call, in accelerated time: the trainee acts for the centre where the
    /// regulation asks.
    private func aftermath() throws {
        let steps = scenario.world.aftermath
        let centreOptions = RehearsalRecord.centreOptions
        for step in steps {
            aftermathClock = step.day * 86_400
            say(RehearsalRecord.dayLine(step))
            // The centre may take several steps on one day (supervise, then report for accountability).
            while true {
                guard let i = choose("What does the centre do?", centreOptions.map(\.0)) else { return }
                guard let s = centreOptions[i].1 else { break }
                try act(s)
            }
        }
        if !steps.isEmpty || !scenario.world.callerSatisfied {
            aftermathClock = ((steps.last?.day ?? 0) + 1) * 86_400
            voice?.prompt("satisfaction-survey")
            say(
                "-- The satisfaction callback: the caller is \(scenario.world.callerSatisfied ? "satisfied" : "not satisfied")."
            )
            while !scenario.world.callerSatisfied {
                guard let i = choose("What does the centre do?", centreOptions.map(\.0)) else { return }
                guard let s = centreOptions[i].1 else { break }
                try act(s)
            }
        }
    }
}
