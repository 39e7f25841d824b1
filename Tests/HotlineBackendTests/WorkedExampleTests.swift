import Foundation
import HotlineCore
import HotlineStore
import Testing

@testable import HotlineBackend

/// The worked call of docs/protocol.md, from ring to closure: the same lines, the same answers.
struct WorkedExampleTests {
    @Test func fromRingToClosure() throws {
        let h = try Harness(at: "2026-11-30T09:12")
        var log: [String] = []
        func say(_ who: String, _ line: String, _ link: RecordingLink? = nil) {
            let l = link ?? h.link
            let mark = l.lines.count
            log.append("\(who) → \(line)")
            if link == nil { h.send(line) } else { h.board.receive(Array(line.utf8), from: l, number: 1); h.settle() }
            for o in l.lines.dropFirst(mark) { log.append("← \(o)") }
        }
        say("pbx+desk", #"{"event":"hello","roles":["pbx","desktop"],"v":1,"name":"demo"}"#)
        say("desk", #"{"event":"login","operator":"op-7"}"#)
        say("desk", #"{"event":"ready","operator":"op-7"}"#)
        say("pbx", #"{"event":"offer","call":"call-1","from":"13800138000","to":"12345"}"#)
        say("pbx", #"{"event":"result","call":"call-1","command_id":"c1","status":"ok"}"#)
        say("pbx", #"{"event":"result","call":"call-1","command_id":"c2","status":"ok"}"#)
        say("pbx", #"{"event":"result","call":"call-1","command_id":"c3","status":"ok"}"#)
        say(
            "desk",
            #"{"event":"disposition","operator":"op-7","call":"call-1","action":"work_order","category":"0204","territory":"dongan-xinan","summary":"三盏路灯不亮"}"#
        )
        say("pbx", #"{"event":"hangup","call":"call-1","cause":"normal"}"#)
        say("desk", #"{"event":"wrap_up_done","operator":"op-7"}"#)
        let unit = RecordingLink()
        h.board.connect(unit)
        say("unit", #"{"event":"hello","role":"unit","unit":"urban","v":1}"#, unit)
        say("unit", #"{"event":"cases"}"#, unit)
        h.now = h.now + 3600
        say("unit", #"{"event":"case","case":"20261130-000001","action":"sign_for"}"#, unit)
        h.now = h.now + 7200
        say("unit", #"{"event":"case","case":"20261130-000001","action":"contact_caller"}"#, unit)
        h.now = h.now + 86400
        say("unit", #"{"event":"case","case":"20261130-000001","action":"reply","channel":"phone"}"#, unit)
        let mark = h.link.lines.count
        h.advance(86400)
        for o in h.link.lines.dropFirst(mark) { log.append("(next working day) ← \(o)") }
        say("pbx", #"{"event":"result","call":"out-1","command_id":"c4","status":"ok"}"#)
        say("pbx", #"{"event":"result","call":"out-1","command_id":"c5","status":"ok","digits":"1"}"#)
        say("pbx", #"{"event":"result","call":"out-1","command_id":"c6","status":"ok"}"#)
        say("pbx", #"{"event":"result","call":"out-1","command_id":"c7","status":"ok"}"#)
        say("unit", #"{"event":"case","case":"20261130-000001","action":"file_closure_report"}"#, unit)
        say("desk", #"{"event":"case","case":"20261130-000001","action":"close"}"#)
        let stored = try #require(try h.storeReader().find(CaseID("20261130-000001")))
        // Art. 10(3)-(11): every step in the audit log, in order, ending closed.
        #expect(
            stored.audit.map(\.event) == [
                "register", "dispatch", "sign_for", "contact_caller", "reply", "callback", "file_closure_report",
                "close",
            ])
        #expect(stored.value.state == .closed)
        #expect(stored.value.lastSatisfaction == .satisfied)
        // Art. 15: the caller's number appears only in the dial command to the adapter, never in replies.
        #expect(
            log.filter { $0.hasPrefix("←") && $0.contains("13800138000") }.allSatisfy {
                $0.contains(#""command":"dial""#)
            })
        if let path = ProcessInfo.processInfo.environment["HOTLINE_TRANSCRIPT"] {
            try log.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}

/// docs/examples/worked-call.jsonl, the file README and docs/protocol.md paste into `--stdio`: on a
/// manual clock from 2026-11-30 09:12 it takes a call to a case and the case to its closure.
struct WorkedExampleFileTests {
    @Test func theExampleFileRunsToClosure() throws {
        let file = Bundled.root.appendingPathComponent("docs/examples/worked-call.jsonl")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let h = try Harness(at: "2026-11-30T09:12")
        var errors: [[String: Any]] = []
        for line in lines { errors += h.send(line).filter { $0["error"] != nil } }
        #expect(errors.isEmpty, "\(errors)")
        let stored = try #require(try h.storeReader().find(CaseID("20261130-000001")))
        #expect(stored.value.state == .closed)
        #expect(
            stored.audit.map(\.event) == [
                "register", "dispatch", "sign_for", "contact_caller", "reply", "callback", "file_closure_report",
                "close",
            ])
        // The centre recorded the unit's steps for it (the unit phoned them in), and the log says so.
        #expect(stored.audit[2].actor == "centre for unit urban")
        #expect(stored.value.lastSatisfaction == .satisfied)
    }
}
