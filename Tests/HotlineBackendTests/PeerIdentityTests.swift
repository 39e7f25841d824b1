import Foundation
import HotlineCore
import Testing

@testable import HotlineBackend

/// Peers with identities (Art. 15 enforced): a peers file of names, roles and hashed secrets; one
/// identity per connection; calls that belong to their adapter; event ids kept per peer name.
struct PeerIdentityTests {
    static let secrets = ["ast-1": "s-ast-1", "ast-2": "s-ast-2", "desk": "s-desk", "urban": "s-urban", "psb": "s-psb"]

    static func directory() throws -> PeerDirectory {
        let text =
            "peers:\n"
            + PeerDirectory.entryText(
                name: "ast-1", roles: ["adapter"], secret: SecretHash(hashing: "s-ast-1"), advanceClock: false)
            + PeerDirectory.entryText(
                name: "ast-2", roles: ["adapter"], secret: SecretHash(hashing: "s-ast-2"), advanceClock: false)
            + PeerDirectory.entryText(
                name: "desk", roles: ["desktop", "supervisor"], secret: SecretHash(hashing: "s-desk"),
                advanceClock: true)
            + PeerDirectory.entryText(
                name: "urban", roles: ["unit:urban"], secret: SecretHash(hashing: "s-urban"), advanceClock: false)
            + PeerDirectory.entryText(
                name: "psb", roles: ["unit:psb"], secret: SecretHash(hashing: "s-psb"), advanceClock: false)
        return try PeerDirectory.parse(text: text, path: "peers.yaml")
    }

    static func harness() throws -> Harness {
        var options = Switchboard.Options()
        options.peers = try directory()
        return try Harness(options: options)
    }

    static func hello(_ name: String, secret: String? = nil) -> String {
        #"{"event":"hello","v":1,"name":"\#(name)","secret":"\#(secret ?? secrets[name]!)"}"#
    }

    @Test func theFileKeepsHashesAndNamesTheLineOfEveryMistake() throws {
        let d = try Self.directory()
        #expect(d.entries["urban"]?.unit == UnitID("urban"))
        #expect(d.authenticate(name: "urban", secret: "s-urban") != nil)
        #expect(d.authenticate(name: "urban", secret: "s-psb") == nil)
        #expect(d.authenticate(name: "nobody", secret: "s-urban") == nil)
        let bad: [(String, Int, String)] = [
            ("peers:\n  - name: a\n    role: adapter\n    secret: hunter2\n", 4, "peers[0].secret"),
            (
                "peers:\n  - name: a\n    role: pilot\n    secret: \"sha256:00112233445566778899aabbccddeeff:\(String(repeating: "00", count: 32))\"\n",
                3, "peers[0].role"
            ),
            ("peers:\n  - name: a\n    roles: [unit:urban, desktop]\n", 2, "peers[0].role"),
            ("peers:\n  - nmae: a\n", 2, "peers[0].nmae"),
            ("peerz: []\n", 1, "peerz"),
        ]
        for (text, line, field) in bad {
            do {
                _ = try PeerDirectory.parse(text: text, path: "p.yaml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == line, "\(text)")
                #expect(error.field == field, "\(text)")
                #expect(error.description.hasPrefix("p.yaml:\(line):"))
            }
        }
    }

    @Test func aWrongSecretIsRefusedAndTheConnectionClosed() throws {
        let h = try Self.harness()
        let out = h.send(Self.hello("ast-1", secret: "guess"))
        #expect(out.first { $0["error"] != nil }?["code"] as? String == "not_permitted")
        #expect(h.link.closed)
        // An unknown name gets the same answer: nothing tells which of the two was wrong.
        let other = h.connect(hello: Self.hello("nobody", secret: "x"))
        #expect(other.objects.first?["error"] as? String == out.first { $0["error"] != nil }?["error"] as? String)
    }

    @Test func aConnectionsIdentityIsFixedByItsFirstHello() throws {
        let h = try Self.harness()
        h.send(Self.hello("urban"))
        let second = h.send(Self.hello("desk"))
        #expect(second.first { $0["error"] != nil }?["code"] as? String == "out_of_order")
        // Still the unit: desktop events are not its to send.
        #expect(
            h.send(#"{"event":"login","operator":"op-1"}"#).first { $0["error"] != nil }?["code"] as? String
                == "unknown_event")
        // A role the entry does not hold is refused.
        let link = h.connect(hello: #"{"event":"hello","name":"ast-1","secret":"s-ast-1","role":"desktop"}"#)
        #expect(link.objects.first?["code"] as? String == "not_permitted")
    }

    /// Opens a case for urban through an authenticated adapter and desktop.
    func urbanCase(_ h: Harness) throws -> (adapter: RecordingLink, desk: RecordingLink, id: String) {
        let adapter = h.connect(hello: Self.hello("ast-1"))
        let desk = h.connect(hello: Self.hello("desk"))
        h.send(#"{"event":"login","operator":"op-1"}"#, on: desk)
        h.send(#"{"event":"ready","operator":"op-1"}"#, on: desk)
        var out = h.send(#"{"event":"offer","call":"call-1","from":"13800138000"}"#, on: adapter)
        for _ in 0..<3 {
            let c = try #require(out.last { $0["command"] != nil })
            out = h.send(#"{"event":"result","call":"call-1","command_id":"\#(c["id"]!)","status":"ok"}"#, on: adapter)
        }
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"work_order","category":"0204","territory":"dongan-xinan"}"#,
            on: desk)
        let id = try #require(reply.first("reply", "disposition")?["case"] as? String)
        return (adapter, desk, id)
    }

    @Test func onlyTheOwningAdapterMaySpeakOfItsCalls() throws {
        let h = try Self.harness()
        let (_, _, _) = try urbanCase(h)
        let intruder = h.connect(hello: Self.hello("ast-2"))
        // Another adapter's call does not exist for it: no hangup, no result, no resync.
        let hang = h.send(#"{"event":"hangup","call":"call-1"}"#, on: intruder)
        #expect(hang.first { $0["error"] != nil }?["code"] as? String == "unknown_call")
        #expect(h.call("call-1")?.stage == .talking)
        let resync = h.send(#"{"event":"resync","calls":["call-1"]}"#, on: intruder)
        #expect(resync.first("reply", "resync")?["resumed"] as? [String] == [])
        #expect(h.call("call-1")?.peer?.name == "ast-1")
        // The same call id from the other adapter is a call of its own.
        #expect(h.send(#"{"event":"offer","call":"call-1"}"#, on: intruder).first("command", "answer") != nil)
    }

    @Test func aUnitListsReadsAndActsOnItsOwnCasesOnly() throws {
        let h = try Self.harness()
        let (_, _, id) = try urbanCase(h)
        let urban = h.connect(hello: Self.hello("urban"))
        let psb = h.connect(hello: Self.hello("psb"))
        #expect((h.send(#"{"event":"cases"}"#, on: urban).first("reply", "cases")?["count"] as? Int) == 1)
        #expect((h.send(#"{"event":"cases"}"#, on: psb).first("reply", "cases")?["count"] as? Int) == 0)
        #expect(h.send(#"{"event":"show","case":"\#(id)"}"#, on: urban).first("reply", "show") != nil)
        let peek = h.send(#"{"event":"show","case":"\#(id)"}"#, on: psb)
        #expect(peek.first { $0["error"] != nil }?["code"] as? String == "unknown_call")
        let act = h.send(#"{"event":"case","case":"\#(id)","action":"sign_for"}"#, on: psb)
        #expect(act.first { $0["error"] != nil }?["code"] as? String == "unknown_call")
        // A unit cannot say it is another: its unit is the peers file's.
        let fake = h.connect(hello: #"{"event":"hello","name":"psb","secret":"s-psb","role":"unit","unit":"urban"}"#)
        #expect(fake.objects.first?["code"] as? String == "not_permitted")
    }

    @Test func aSupervisorReadsEveryCaseAndRecordsOnlyTheGovernmentsDecision() throws {
        var options = Switchboard.Options()
        let text =
            "peers:\n"
            + PeerDirectory.entryText(
                name: "boss", roles: ["supervisor"], secret: SecretHash(hashing: "s-boss"), advanceClock: false)
        options.peers = try PeerDirectory.parse(text: text, path: "p.yaml")
        let h = try Harness(options: options)
        h.board.connect(h.link)
        let desk = h.connect(hello: #"{"event":"hello","role":"desktop"}"#)
        _ = desk
        let boss = h.connect(hello: #"{"event":"hello","name":"boss","secret":"s-boss"}"#)
        #expect(h.send(#"{"event":"cases"}"#, on: boss).first("reply", "cases") != nil)
        for action in [#""action":"grant_extension""#, #""action":"return","for_unit":"urban""#, #""action":"close""#] {
            let e = h.send(#"{"event":"case","case":"20260303-000001",\#(action)}"#, on: boss).first {
                $0["error"] != nil
            }
            #expect(e?["code"] as? String == "not_permitted", "\(action)")
        }
    }

    @Test func onlyLiteralLoopbackAddressesAreLoopback() {
        #expect(Listener.isLoopback("127.0.0.1"))
        #expect(Listener.isLoopback("127.1.2.3"))
        #expect(Listener.isLoopback("::1"))
        // A name may resolve to anything (127.attack.example → 0.0.0.0).
        for host in ["127.attack.example", "localhost", "127.0.0.1.", "0.0.0.0", "127.0.0.256", "::"] {
            #expect(!Listener.isLoopback(host), "\(host)")
        }
    }

    @Test func eventIDsOfPeersThatLeftShareOneBudget() throws {
        var options = Switchboard.Options()
        options.maxEventIDs = 100
        let h = try Harness(options: options)
        for n in 1...20 {
            let link = h.connect(hello: #"{"event":"hello","role":"desktop","name":"p\#(n)"}"#)
            for k in 1...100 { h.send(#"{"event":"cases","id":"e-\#(k)"}"#, on: link) }
            h.board.disconnect(link)
        }
        #expect(h.board.seenByName.values.reduce(0) { $0 + $1.count } <= 400)
    }

    @Test func aSecondConnectionOfAnAdapterTakesOver() throws {
        let h = try Self.harness()
        let (first, _, _) = try urbanCase(h)
        let second = h.connect(hello: Self.hello("ast-1"))
        #expect(first.objects.last?["code"] as? String == "taken_over")
        #expect(first.closed)
        // The calls wait for the new connection's resync, and then belong to it.
        #expect(h.call("call-1")?.peer == nil)
        let resync = h.send(#"{"event":"resync","calls":["call-1"]}"#, on: second)
        #expect(resync.first("reply", "resync")?["resumed"] as? [String] == ["call-1"])
        #expect(h.send(#"{"event":"hangup","call":"call-1"}"#, on: second).allSatisfy { $0["error"] == nil })
    }

    @Test func eventIDsBelongToThePeerNotToTheConnection() throws {
        let h = try Harness()
        // Two unnamed connections: each its own ids (never a memory address that a later one reuses).
        for n in 1...3 {
            let link = h.connect(hello: #"{"event":"hello","roles":["adapter"],"v":1}"#)
            let out = h.send(#"{"event":"offer","call":"c-\#(n)","id":"e-1"}"#, on: link)
            #expect(out.first("command", "answer") != nil, "connection \(n)")
            h.board.disconnect(link)
        }
        // A named peer keeps its ids across reconnects: the repeat is a duplicate.
        let a = h.connect(hello: #"{"event":"hello","roles":["adapter"],"name":"ast"}"#)
        h.send(#"{"event":"offer","call":"d-1","id":"e-7"}"#, on: a)
        h.board.disconnect(a)
        let b = h.connect(hello: #"{"event":"hello","roles":["adapter"],"name":"ast"}"#)
        #expect(h.send(#"{"event":"offer","call":"d-1","id":"e-7"}"#, on: b).first("reply", "duplicate") != nil)
        // An over-long id is refused.
        let long = String(repeating: "x", count: 200)
        #expect(
            h.send(#"{"event":"offer","call":"d-2","id":"\#(long)"}"#, on: b).first { $0["error"] != nil }?["field"]
                as? String == "id")
    }
}
