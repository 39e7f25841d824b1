import Foundation
import HotlineCore
import HotlineModel
import HotlineStore
import Synchronization

@testable import HotlineBackend

/// The bundled Mudanjiang model, loaded once.
enum Bundled {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let model: CityModel = try! ModelLoader.load(path: root.appendingPathComponent("Scenarios/mudanjiang").path)
        .model
}

/// A peer that keeps every line it is sent, parsed.
final class RecordingLink: PeerLink {
    let label = "test"
    var lines: [String] = []
    var closed = false

    func send(_ line: OutputLine) { lines.append(line.text) }
    func close() { closed = true }

    /// Every line as a JSON object.
    var objects: [[String: Any]] {
        lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Objects sent since `mark`.
    func objects(since mark: Int) -> [[String: Any]] {
        lines.dropFirst(mark).map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}

/// A switchboard on a real SQLite store in a temporary folder, a clock the test moves, and one peer
/// that is PBX adapter and operator desktop at once.
final class Harness {
    let folder: URL
    let storePath: String
    var now: Instant
    private(set) var board: Switchboard!
    let link = RecordingLink()
    private var lineNumber = 0

    /// How the switchboard's clock runs; the test moves it either way (`now`, `advance`).
    let clockMode: ClockMode

    init(
        at time: String = "2026-03-03T10:00", options: Switchboard.Options = .init(), folder: URL? = nil,
        clock: ClockMode = .manual
    ) throws {
        clockMode = clock
        self.folder =
            folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("hotline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        storePath = self.folder.appendingPathComponent("cases.sqlite").path
        now = Instant(parsing: time)!
        try start(options: options)
    }

    /// (Re)starts the switchboard on the same store (the previous one lets go of it first).
    func start(options: Switchboard.Options = .init()) throws {
        board = nil
        board = try Switchboard(
            model: Bundled.model, store: try CaseStore(path: storePath), options: options,
            clock: { [unowned self] in self.now }, clockMode: clockMode,
            setClock: clockMode == .manual ? { [unowned self] in self.now = $0 } : nil,
            wake: {})
        board.connect(link)
    }

    /// The call with this id, whichever adapter owns it.
    func call(_ id: String) -> Call? { board.calls.values.first { $0.id == id } }

    /// The store, opened to read while the switchboard holds it.
    func storeReader() throws -> CaseStore { try CaseStore(path: storePath, access: .reader) }

    /// Sends one line; returns the objects it produced (after the store acknowledged what it wrote).
    @discardableResult
    func send(_ json: String) -> [[String: Any]] {
        let mark = link.lines.count
        lineNumber += 1
        board.receive(Array(json.utf8), from: link, number: lineNumber)
        settle()
        return link.objects(since: mark)
    }

    /// A second connection: says `hello` (unless nil) and returns the link.
    func connect(hello: String?) -> RecordingLink {
        let link = RecordingLink()
        board.connect(link)
        if let hello { send(hello, on: link) }
        return link
    }

    /// Sends one line on another connection; returns what that connection got back.
    @discardableResult
    func send(_ json: String, on link: RecordingLink) -> [[String: Any]] {
        let mark = link.lines.count
        lineNumber += 1
        board.receive(Array(json.utf8), from: link, number: lineNumber)
        settle()
        return link.objects(since: mark)
    }

    /// Sends raw bytes as one line.
    @discardableResult
    func sendBytes(_ bytes: [UInt8]) -> [[String: Any]] {
        let mark = link.lines.count
        lineNumber += 1
        board.receive(bytes, from: link, number: lineNumber)
        settle()
        return link.objects(since: mark)
    }

    /// Lets the store's acknowledgements arrive.
    func settle() {
        board.settleWrites()
    }

    /// Moves the clock and fires what is due.
    @discardableResult
    func advance(_ seconds: Double) -> [[String: Any]] {
        let mark = link.lines.count
        now = now + seconds
        board.tick()
        settle()
        return link.objects(since: mark)
    }

    /// Says hello as PBX adapter and desktop, logs `op` in and makes them ready.
    func openDesk(_ op: String = "op-1") {
        send(#"{"event":"hello","roles":["pbx","desktop"],"v":1,"name":"test"}"#)
        send(#"{"event":"login","operator":"\#(op)"}"#)
        send(#"{"event":"ready","operator":"\#(op)"}"#)
    }

    /// Offers a call and answers the IVR's commands until the operator has it; returns its commands.
    @discardableResult
    func connectCall(_ call: String, from number: String = "13800138000", priority: String = "normal")
        -> [[String: Any]]
    {
        var out = send(#"{"event":"offer","call":"\#(call)","from":"\#(number)","priority":"\#(priority)"}"#)
        var all = out
        // answer, then the greeting, then the bridge to the operator.
        for _ in 0..<3 {
            guard let command = out.last(where: { $0["command"] != nil && $0["call"] as? String == call }),
                let id = command["id"] as? String, command["command"] as? String != "queue"
            else { break }
            out = send(#"{"event":"result","call":"\#(call)","command_id":"\#(id)","status":"ok"}"#)
            all += out
        }
        return all
    }
}

extension Array where Element == [String: Any] {
    func first(_ key: String, _ value: String) -> [String: Any]? { first { $0[key] as? String == value } }
}
