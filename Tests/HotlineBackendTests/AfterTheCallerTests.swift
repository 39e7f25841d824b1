import Foundation
import HotlineCore
import HotlineStore
import Testing

@testable import HotlineBackend

/// Who leaves a call first, and what is not lost when the caller does: the operator hanging up ends
/// a two-party call; a disposition or a three-party outcome given after the caller hung up (in
/// wrap-up) still registers the matter.
@Suite struct AfterTheCallerTests {
    /// A three-party call (Art. 10(2)) whose duty line answered and joined the bridge.
    private func threeParty(_ h: Harness) throws {
        h.openDesk()
        h.connectCall("call-1")
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"three_party","category":"0204","territory":"dongan-xinan"}"#
        )
        let dial = try #require(reply.first("command", "dial"))
        h.send(#"{"event":"result","call":"call-1","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
        h.send(#"{"event":"joined","call":"call-1","party":"unit"}"#)
    }

    @Test func anOperatorWhoHangsUpEndsATwoPartyCall() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        h.send(#"{"event":"disposition","operator":"op-1","call":"call-1","action":"direct"}"#)
        // The operator's phone is down: the caller would hold alone in the bridge.
        let out = h.send(#"{"event":"left","call":"call-1","party":"agent"}"#)
        let hangup = try #require(out.first("command", "hangup"))
        #expect(hangup["call"] as? String == "call-1")
        #expect(hangup["cause"] as? String == "operator_left")
        h.send(#"{"event":"result","call":"call-1","command_id":"\#(hangup["id"] as! String)","status":"ok"}"#)
        // The operator wraps up and takes the next caller.
        h.send(#"{"event":"wrap_up_done","operator":"op-1"}"#)
        #expect(h.connectCall("call-2").first("command", "bridge") != nil)
    }

    @Test func theDispositionMayFollowWhileTheCallIsBeingHungUp() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        let out = h.send(#"{"event":"left","call":"call-1","party":"agent"}"#)
        #expect(out.first("command", "hangup") != nil)
        // The hangup is not done yet; the operator's work order is taken all the same (Art. 10(4)).
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"work_order","category":"0204","territory":"dongan-xinan"}"#
        )
        #expect(reply.first("reply", "disposition")?["decision"] as? String == "work_order")
    }

    @Test func aCallerWithTheDutyLineIsNotCutOffWhenTheOperatorLeaves() throws {
        let h = try Harness()
        try threeParty(h)
        // Art. 10(2): the caller and the unit talk on; the operator has only put the phone down.
        let left = h.send(#"{"event":"left","call":"call-1","party":"agent"}"#)
        #expect(left.first("command", "hangup") == nil)
        let outcome = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"answered_on_spot"}"#)
        #expect(outcome.first("reply", "disposition")?["decision"] as? String == "settled_by_unit")
        #expect(outcome.first("command", "hangup") == nil)
        // The unit hangs up: now the caller is alone, and the call ends.
        let unitLeft = h.send(#"{"event":"left","call":"call-1","party":"unit"}"#)
        #expect(unitLeft.first("command", "hangup")?["cause"] as? String == "operator_left")
    }

    @Test func aDispositionAfterTheCallerHungUpStillRegistersTheCase() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        h.send(#"{"event":"hangup","call":"call-1","cause":"caller"}"#)
        // In wrap-up the operator writes the work order the caller asked for (Art. 10(4)).
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"work_order","category":"0204","territory":"dongan-xinan","summary":"路灯坏了"}"#
        )
        let ack = try #require(reply.first("reply", "disposition"))
        #expect(ack["decision"] as? String == "work_order")
        let id = try #require(ack["case"] as? String)
        #expect(try h.storeReader().find(CaseID(id))?.value.state == .dispatched)
        // Once only: the call has its disposition.
        let again = h.send(#"{"event":"disposition","operator":"op-1","call":"call-1","action":"direct"}"#)
        #expect(again.first("code", "out_of_order") != nil)
    }

    @Test func aThreePartyCallIsRefusedOnceTheCallerHasGone() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        h.send(#"{"event":"hangup","call":"call-1"}"#)
        let out = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"three_party","category":"0204","territory":"dongan-xinan"}"#
        )
        // Art. 10(2) needs the caller on the line; nothing is dialled.
        let error = try #require(out.first("code", "out_of_order"))
        #expect((error["error"] as? String)?.contains("Art. 10(3)") == true)
        #expect(out.first("command", "dial") == nil)
        #expect(try h.storeReader().counts().cases == 0)
    }

    @Test func aCallerWhoHangsUpInTheThreePartyCallKeepsTheMatter() throws {
        let h = try Harness()
        try threeParty(h)
        h.send(#"{"event":"hangup","call":"call-1","cause":"caller"}"#)
        // The operator reports the outcome in wrap-up: the unit could not answer on the spot, so the
        // case is registered and read to the unit's duty line (Art. 10(3)).
        let out = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"cannot_answer_on_spot"}"#)
        let ack = try #require(out.first("reply", "disposition"))
        #expect(ack["decision"] as? String == "phone_dispatch")
        #expect(ack["article"] as? String == "Art. 10(3)")
        #expect(ack["case"] != nil)
        #expect(out.first("purpose", "dispatch")?["command"] as? String == "dial")
        #expect(try h.storeReader().counts().cases == 1)
    }

    @Test func anOutcomeNeverGivenIsRegisteredWhenTheWrapUpEnds() throws {
        let h = try Harness()
        try threeParty(h)
        h.send(#"{"event":"hangup","call":"call-1","cause":"caller"}"#)
        #expect(try h.storeReader().counts().cases == 0)
        // The wrap-up ends (30 s) with no outcome given: the matter is registered, not lost.
        let out = h.advance(31)
        #expect(out.first("reply", "disposition")?["decision"] as? String == "phone_dispatch")
        #expect(try h.storeReader().counts().cases == 1)
        // And the operator is ready for the next caller.
        #expect(h.connectCall("call-2").first("command", "bridge") != nil)
    }
}
