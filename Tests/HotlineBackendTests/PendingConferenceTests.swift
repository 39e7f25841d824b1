import Foundation
import HotlineCore
import HotlineStore
import Testing

@testable import HotlineBackend

/// A three-party call under way is kept on disk until its outcome (Art. 10(2)): a server killed in
/// the middle of one registers the matter when it starts again (Art. 10(3)), once, and never one the
/// unit settled on the spot. The end of the entry is written with the case or contact line.
struct PendingConferenceTests {
    /// Has `call` (offered on the harness's own connection) in a three-party call with the unit on
    /// the line; the desk must be open.
    private func conference(_ h: Harness, _ call: String = "call-1", summary: String = "井盖丢失，有人掉进去") throws {
        h.connectCall(call)
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"three_party","category":"0204","territory":"dongan-xinan","summary":"\#(summary)"}"#
        )
        // The operator hears "conference" once the entry is on disk, and the duty line rings then.
        #expect(reply.first("reply", "disposition")?["decision"] as? String == "conference")
        #expect(try h.storeReader().pendingConferences().conferences.map(\.intake.call).contains(call))
        let dial = try #require(reply.first("command", "dial"))
        h.send(#"{"event":"result","call":"\#(call)","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
    }

    private func cases(of call: String, _ h: Harness) throws -> [StoredCase] {
        let store = try h.storeReader()
        return try store.list().compactMap { try store.find($0.id) }.filter { $0.intake?.call == call }
    }

    private func pending(_ h: Harness) throws -> PendingConferences { try h.storeReader().pendingConferences() }

    @Test func aServerKilledMidConferenceRegistersTheMatterWhenItStarts() throws {
        let h = try Harness()
        h.openDesk()
        try conference(h)
        #expect(try pending(h).conferences.count == 1)
        #expect(try h.storeReader().counts().cases == 0)
        // kill -9: the switchboard's memory is gone, the store is what the disk holds.
        try h.start()
        h.settle()
        // Art. 10(3): no outcome came, so the matter is registered as one the unit could not answer on
        // the spot, with what the operator took down, and read to the unit by phone.
        let stored = try #require(try cases(of: "call-1", h).first)
        #expect(try cases(of: "call-1", h).count == 1)
        #expect(stored.intake?.summary == "井盖丢失，有人掉进去")
        #expect(stored.intake?.caller == "13800138000")
        #expect(stored.value.order.channel == .phone)
        #expect(try pending(h).conferences.isEmpty)
        #expect(try h.storeReader().contacts().contains { $0.call == "call-1" && $0.caseID == stored.value.id })
        // A second start registers nothing more.
        try h.start()
        h.settle()
        #expect(try cases(of: "call-1", h).count == 1)
    }

    @Test func aMatterSettledOnTheSpotIsNotRegisteredAfterARestart() throws {
        let h = try Harness()
        h.openDesk()
        try conference(h)
        let settled = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"answered_on_spot"}"#)
        // Art. 10(2): settled on the spot, no case; its contact line and the entry's end are one write.
        #expect(settled.first("reply", "disposition")?["decision"] as? String == "settled_by_unit")
        #expect(try pending(h).conferences.isEmpty)
        #expect(try h.storeReader().contacts().contains { $0.call == "call-1" && $0.decision == "settled_by_unit" })
        try h.start()
        h.settle()
        #expect(try h.storeReader().counts().cases == 0)
    }

    @Test func aCaseItsContactLineAndTheEntrysEndAreOneWrite() throws {
        let h = try Harness()
        h.openDesk()
        try conference(h)
        let out = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"cannot_answer_on_spot"}"#)
        let id = try #require(out.first("reply", "disposition")?["case"] as? String)
        // Acknowledged: the case, its contact line (Art. 13(1)) and the end of the entry are all on disk.
        #expect(try pending(h).conferences.isEmpty)
        #expect(try h.storeReader().contacts().contains { $0.call == "call-1" && $0.caseID?.rawValue == id })
        try h.start()
        h.settle()
        #expect(try cases(of: "call-1", h).map(\.value.id.rawValue) == [id])
    }

    /// Call ids are an adapter's own, and one may come again once its call is over: another call with
    /// the same id, settled before the crash, does not pass for the three-party call's conclusion.
    @Test func anotherCallWithTheSameIdDoesNotConcludeTheEntry() throws {
        let h = try Harness()
        h.openDesk()
        try conference(h, "c1")
        let other = h.connect(hello: #"{"event":"hello","roles":["pbx","desktop"],"v":1,"name":"other"}"#)
        h.send(#"{"event":"login","operator":"op-2"}"#, on: other)
        h.send(#"{"event":"ready","operator":"op-2"}"#, on: other)
        var out = h.send(#"{"event":"offer","call":"c1","from":"13911112222"}"#, on: other)
        for _ in 0..<3 {
            guard let command = out.last(where: { $0["command"] != nil }), let cid = command["id"] as? String else {
                break
            }
            out = h.send(#"{"event":"result","call":"c1","command_id":"\#(cid)","status":"ok"}"#, on: other)
        }
        let direct = h.send(
            #"{"event":"disposition","operator":"op-2","call":"c1","action":"direct"}"#, on: other)
        #expect(direct.first("reply", "disposition")?["decision"] as? String == "answer_directly")
        try h.start()
        h.settle()
        // The first adapter's three-party call is registered all the same.
        #expect(try cases(of: "c1", h).count == 1)
        #expect(try pending(h).conferences.isEmpty)
    }

    @Test func theCaseNumberRunsOnWithoutGaps() throws {
        let h = try Harness()
        h.openDesk()
        try conference(h)
        h.send(#"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"answered_on_spot"}"#)
        h.send(#"{"event":"hangup","call":"call-1"}"#)
        h.send(#"{"event":"wrap_up_done","operator":"op-1"}"#)
        // The matter settled on the spot took no case number: the first case is number 1.
        try conference(h, "call-2")
        try h.start()
        h.settle()
        let recovered = try #require(try cases(of: "call-2", h).first).value.id
        #expect(CaseStore.number(of: recovered) == 1)
        h.openDesk()
        h.connectCall("call-3")
        let out = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-3","action":"work_order","category":"0204","territory":"dongan-xinan"}"#
        )
        let next = try #require(out.first("reply", "disposition")?["case"] as? String)
        #expect(CaseStore.number(of: CaseID(next)) == 2)
    }

    /// An entry whose request routes elsewhere now (the model changed between runs) is registered as
    /// the core now decides; one that opens no case (its category gone) or does not decode stays in
    /// the store, and the server starts all the same.
    @Test func entriesTheCoreNoLongerRoutesOrThatDoNotDecodeAreNeverDroppedSilently() throws {
        let h = try Harness()
        func request(_ category: String, _ intent: Disposition) throws -> String {
            String(
                decoding: try JSONEncoder().encode(
                    CallRequest(category: CategoryCode(category), territory: "dongan-xinan", intent: intent)),
                as: UTF8.self)
        }
        try DurableCaseTests.sql(
            h.storePath,
            """
            INSERT INTO pending_conferences (key, at, request, caller, summary, call, urgent) VALUES
                ('a:w1', \(h.now.seconds), '\(try request("0204", .workOrder))', '13800138000', '', 'w1', 0),
                ('a:gone', \(h.now.seconds), '\(try request("9999", .threePartyCall))', '13800138000', '', 'gone', 0),
                ('a:bad', \(h.now.seconds), '{not json', '13800138000', '', 'bad', 0);
            """)
        try h.start()
        h.settle()
        #expect(try cases(of: "w1", h).count == 1)
        let left = try pending(h)
        #expect(left.conferences.map(\.intake.call) == ["gone"])
        #expect(left.unreadable == ["a:bad"])
        // The server serves: a call still gets through to the operator.
        h.openDesk()
        #expect(h.connectCall("call-9").first("command", "bridge") != nil)
    }
}
