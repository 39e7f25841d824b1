import Foundation
import Testing

@testable import HotlineBackend

/// Bad input gets an error naming the input line, and the server goes on serving.
struct BadInputTests {
    func error(_ h: Harness, _ line: String) -> [String: Any]? {
        h.send(line).first { $0["error"] != nil }
    }

    @Test func everyKindOfBadLineIsAnsweredWithItsCode() throws {
        let h = try Harness()
        #expect(error(h, #"{"event":"offer","call":"x"}"#)?["code"] as? String == "hello_first")
        h.openDesk()
        let cases: [(String, String, String?)] = [
            (#"{"event":"offer","call":"#, "malformed_json", nil),
            (#"[1,2,3]"#, "not_an_object", nil),
            (#"{"call":"x"}"#, "missing_field", "event"),
            (#"{"event":"teleport"}"#, "unknown_event", "event"),
            (#"{"event":"offer"}"#, "missing_field", "call"),
            (#"{"event":"offer","call":42}"#, "wrong_type", "call"),
            (#"{"event":"result","call":"nope","command_id":"c1","status":"ok"}"#, "unknown_call", "call"),
            (#"{"event":"login","operator":"op-1","id":7}"#, "", nil),
        ]
        for (line, code, field) in cases where !code.isEmpty {
            let e = try #require(error(h, line), "no error for \(line)")
            #expect(e["code"] as? String == code, "\(line)")
            #expect(e["field"] as? String == field, "\(line)")
            #expect(e["input_line"] as? Int != nil)
        }
        // Invalid UTF-8.
        let bad = h.sendBytes([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]).first { $0["error"] != nil }
        #expect(bad?["code"] as? String == "invalid_utf8")
        // Out of order: a result for a command that is not pending.
        h.send(#"{"event":"offer","call":"call-1"}"#)
        #expect(
            error(h, #"{"event":"result","call":"call-1","command_id":"c999","status":"ok"}"#)?["code"] as? String
                == "out_of_order")
        // A second offer of the same call.
        #expect(error(h, #"{"event":"offer","call":"call-1"}"#)?["code"] as? String == "out_of_order")
        // A wrong status value.
        #expect(
            error(h, #"{"event":"result","call":"call-1","command_id":"c1","status":"fine"}"#)?["field"] as? String
                == "status")
        // And the server still serves.
        #expect(h.send(#"{"event":"ping"}"#).first("reply", "pong") != nil)
    }

    @Test func theErrorNamesTheInputLine() throws {
        let h = try Harness()
        h.openDesk()  // lines 1-3
        let e = try #require(error(h, "not json"))
        #expect(e["input_line"] as? Int == 4)
    }

    @Test func aDuplicateEventIsAcknowledgedAndNotAppliedTwice() throws {
        let h = try Harness()
        h.openDesk()
        let first = h.send(#"{"event":"offer","call":"call-1","id":"e-1"}"#)
        #expect(first.first("command", "answer") != nil)
        let again = h.send(#"{"event":"offer","call":"call-1","id":"e-1"}"#)
        #expect(again.count == 1)
        #expect(again.first("reply", "duplicate")?["id"] as? String == "e-1")
    }

    @Test func aRefusedEventMayBeSentAgainWithItsID() throws {
        let h = try Harness()
        h.openDesk()
        #expect(error(h, #"{"event":"offer","id":"e-9"}"#) != nil)
        #expect(h.send(#"{"event":"offer","call":"c","id":"e-9"}"#).first("command", "answer") != nil)
    }

    @Test func aDispositionMustNameTheUnitTheDirectoryNames() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        // Art. 7, 9: the operator may not send a case to a unit the directory does not name.
        let e = try #require(
            error(
                h,
                #"{"event":"disposition","operator":"op-1","call":"call-1","action":"work_order","category":"0204","territory":"dongan-xinan","unit":"psb"}"#
            ))
        #expect((e["error"] as? String)?.contains("Art. 7, 9") == true)
        // Art. 4: an unknown category is refused.
        let unknown = try #require(
            error(
                h, #"{"event":"disposition","operator":"op-1","call":"call-1","action":"work_order","category":"9999"}"#
            ))
        #expect((unknown["error"] as? String)?.contains("Art. 4") == true)
    }
}

/// The line splitter: lines, carriage returns, over-long lines skipped to their newline.
struct LineSplitterTests {
    func split(_ chunks: [String], limit: Int = 10) -> [String] {
        var s = LineSplitter(limit: limit)
        var out: [String] = []
        let emit: (LineSplitter.Framed) -> Void = {
            switch $0 {
            case .line(let b): out.append(String(decoding: b, as: UTF8.self))
            case .oversized: out.append("<oversized>")
            }
        }
        for c in chunks { s.feed(Array(c.utf8), emit) }
        s.finish(emit)
        return out
    }

    @Test func splitsAcrossChunksAndDropsCarriageReturns() {
        #expect(split(["ab", "c\r\nde", "f\n", "g"]) == ["abc", "def", "g"])
    }

    @Test func anOverlongLineIsReportedOnceAndSkipped() {
        #expect(split(["0123456789ABC", "DEF\nok\n"]) == ["<oversized>", "ok"])
        #expect(split(["0123456789A\nok\n"]) == ["<oversized>", "ok"])
        #expect(split(["0123456789\n"]) == ["0123456789"])
    }
}
