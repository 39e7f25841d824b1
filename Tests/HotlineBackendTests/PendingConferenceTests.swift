import Foundation
import HotlineCore
import HotlineStore
import Testing

@testable import HotlineBackend

/// A three-party call under way is kept on disk until its outcome (Art. 10(2)): a server killed in
/// the middle of one registers the matter when it starts again (Art. 10(3)), once, and never one the
/// unit settled on the spot.
struct PendingConferenceTests {
    /// Opens the desk and has call-1 in a three-party call with the unit on the line.
    private func conference(_ h: Harness, summary: String = "井盖丢失，有人掉进去") throws {
        h.openDesk()
        h.connectCall("call-1")
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"three_party","category":"0204","territory":"dongan-xinan","summary":"\#(summary)"}"#
        )
        let dial = try #require(reply.first("command", "dial"))
        h.send(#"{"event":"result","call":"call-1","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
    }

    private func casesOfCall1(_ h: Harness) throws -> [StoredCase] {
        let store = try h.storeReader()
        return try store.list().compactMap { try store.find($0.id) }.filter { $0.intake?.call == "call-1" }
    }

    @Test func aServerKilledMidConferenceRegistersTheMatterWhenItStarts() throws {
        let h = try Harness()
        try conference(h)
        #expect(try h.storeReader().pendingConferences().count == 1)
        #expect(try h.storeReader().counts().cases == 0)
        // kill -9: the switchboard's memory is gone, the store is what the disk holds.
        try h.start()
        h.board.settleWrites()
        // Art. 10(3): no outcome came, so the matter is registered as one the unit could not answer on
        // the spot, with what the operator took down, and read to the unit by phone.
        let cases = try casesOfCall1(h)
        #expect(cases.count == 1)
        let stored = try #require(cases.first)
        #expect(stored.intake?.summary == "井盖丢失，有人掉进去")
        #expect(stored.intake?.caller == "13800138000")
        #expect(stored.value.order.channel == .phone)
        #expect(try h.storeReader().pendingConferences().isEmpty)
        #expect(try h.storeReader().contacts().contains { $0.call == "call-1" && $0.caseID == stored.value.id })
        // A second start registers nothing more.
        try h.start()
        h.board.settleWrites()
        #expect(try casesOfCall1(h).count == 1)
    }

    @Test func aMatterSettledOnTheSpotIsNotRegisteredAfterARestart() throws {
        let h = try Harness()
        try conference(h)
        let settled = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"answered_on_spot"}"#)
        // Art. 10(2): settled on the spot, no case, and nothing left pending on disk.
        #expect(settled.first("reply", "disposition")?["decision"] as? String == "settled_by_unit")
        #expect(try h.storeReader().pendingConferences().isEmpty)
        try h.start()
        h.board.settleWrites()
        #expect(try h.storeReader().counts().cases == 0)
    }

    @Test func aMatterRegisteredBeforeTheCrashIsNotRegisteredTwice() throws {
        let h = try Harness()
        try conference(h)
        let out = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"cannot_answer_on_spot"}"#)
        let id = try #require(out.first("reply", "disposition")?["case"] as? String)
        // The crash came after the case was written and before the pending entry was removed.
        let request = String(
            decoding: try JSONEncoder().encode(
                CallRequest(category: "0204", territory: "dongan-xinan", intent: .threePartyCall)),
            as: UTF8.self)
        try DurableCaseTests.sql(
            h.storePath,
            """
            INSERT INTO pending_conferences (key, at, request, caller, summary, call, urgent)
            VALUES ('test:call-1', \(h.now.seconds), '\(request)', '13800138000', '井盖丢失', 'call-1', 0);
            """)
        #expect(try h.storeReader().pendingConferences().first?.concluded == true)
        try h.start()
        h.board.settleWrites()
        #expect(try casesOfCall1(h).map(\.value.id.rawValue) == [id])
        #expect(try h.storeReader().pendingConferences().isEmpty)
    }

    @Test func theCaseNumberRunsOnAfterTheRecoveredCase() throws {
        let h = try Harness()
        try conference(h)
        try h.start()
        h.board.settleWrites()
        let recovered = try #require(try casesOfCall1(h).first).value.id
        h.openDesk()
        h.connectCall("call-2")
        let out = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-2","action":"work_order","category":"0204","territory":"dongan-xinan"}"#
        )
        let next = try #require(out.first("reply", "disposition")?["case"] as? String)
        #expect(CaseStore.number(of: CaseID(next)) == CaseStore.number(of: recovered) + 1)
    }
}
