import Foundation
import HotlineCore
import Testing

@testable import HotlineBackend

/// A unit's duty line is busy for as long as the unit is on it: from the dial of a three-party call
/// until its leg leaves the bridge or the call ends, not until the operator reports the outcome.
struct DutyLineTests {
    /// Connects `call` to an operator, who asks for a three-party call; returns the operator, the
    /// disposition's reply and the duty line's `dial`, still ringing.
    private func askThreeParty(_ h: Harness, _ call: String) throws -> (
        op: String, ack: [String: Any], dial: [String: Any]
    ) {
        let out = h.connectCall(call)
        let bridge = try #require(out.first("command", "bridge"))
        let op = try #require((bridge["to"] as? [String: Any])?["agent"] as? String)
        let reply = h.send(
            #"{"event":"disposition","operator":"\#(op)","call":"\#(call)","action":"three_party","category":"0204","territory":"dongan-xinan"}"#
        )
        return (op, try #require(reply.first("reply", "disposition")), try #require(reply.first("command", "dial")))
    }

    /// Connects `call` to an operator and has the operator ask for a three-party call that the unit
    /// answers; returns the operator and the unit.
    private func conference(_ h: Harness, _ call: String) throws -> (op: String, unit: String) {
        let (op, ack, dial) = try askThreeParty(h, call)
        #expect(ack["decision"] as? String == "conference")
        let joined = h.send(
            #"{"event":"result","call":"\#(call)","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
        #expect(joined.first("notice", "unit_joined") != nil)
        return (op, try #require(ack["unit"] as? String))
    }

    private func busy(_ h: Harness, _ unit: String) -> Int { h.board.linesBusy[UnitID(unit), default: 0] }

    @Test func aUnitStillInTheBridgeAfterTheOutcomeKeepsItsLineUntilItLeaves() throws {
        let h = try Harness()
        h.openDesk()
        let (op, unit) = try conference(h, "call-1")
        #expect(busy(h, unit) == 1)
        let settled = h.send(
            #"{"event":"conference_outcome","operator":"\#(op)","call":"call-1","outcome":"answered_on_spot"}"#)
        // Art. 10(2): settled on the spot, no case; the unit may still be talking with the caller.
        #expect(settled.first("reply", "disposition")?["decision"] as? String == "settled_by_unit")
        #expect(busy(h, unit) == 1)
        h.send(#"{"event":"left","call":"call-1","party":"unit"}"#)
        #expect(busy(h, unit) == 0)
        // The caller and the operator talk on: the unit leaving does not end the call.
        #expect(h.call("call-1")?.stage == .talking)
    }

    @Test func aUnitThatLeftBeforeTheOutcomeFreedItsLineThen() throws {
        let h = try Harness()
        h.openDesk()
        let (op, unit) = try conference(h, "call-1")
        h.send(#"{"event":"left","call":"call-1","party":"unit"}"#)
        #expect(busy(h, unit) == 0)
        let out = h.send(
            #"{"event":"conference_outcome","operator":"\#(op)","call":"call-1","outcome":"cannot_answer_on_spot"}"#)
        // Art. 10(3): not settled on the spot, so a case is registered (and read to the unit by phone,
        // on a line of its own); the caller's call holds no line after its unit left.
        #expect(out.first("reply", "disposition")?["case"] != nil)
        #expect(h.call("call-1")?.heldLine == nil)
        let legs = h.board.calls.values.filter { $0.heldLine == UnitID(unit) }.count
        #expect(busy(h, unit) == legs)
    }

    @Test func noOutcomeWhileTheDutyLineRings() throws {
        let h = try Harness()
        h.openDesk()
        let (_, _, dial) = try askThreeParty(h, "call-1")
        // Art. 10(2): the unit has not answered; it cannot have settled anything yet.
        let early = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"answered_on_spot"}"#)
        #expect(early.first { $0["error"] != nil }?["code"] as? String == "out_of_order")
        h.send(#"{"event":"result","call":"call-1","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
        #expect(busy(h, "urban") == 1)
    }

    /// Events out of their order (a hostile or muddled adapter) cannot make a line in use look free.
    @Test func aLeftBeforeTheDialsResultOrOnAPhoneDispatchDoesNotFreeTheLine() throws {
        let h = try Harness()
        h.openDesk()
        let (_, _, dial) = try askThreeParty(h, "call-1")
        h.send(#"{"event":"joined","call":"call-1","party":"unit"}"#)
        h.send(#"{"event":"left","call":"call-1","party":"unit"}"#)
        #expect(busy(h, "urban") == 1)
        h.send(#"{"event":"result","call":"call-1","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
        #expect(busy(h, "urban") == 1)
        // Not settled on the spot: the case is read to the unit by phone, on a line of its own.
        let out = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"cannot_answer_on_spot"}"#)
        let reading = try #require(
            out.first { $0["command"] as? String == "dial" && ($0["call"] as? String)?.hasPrefix("out-") == true })
        let leg = reading["call"] as! String
        #expect(busy(h, "urban") == 2)
        h.send(#"{"event":"left","call":"\#(leg)","party":"unit"}"#)
        #expect(busy(h, "urban") == 2)
        h.send(#"{"event":"left","call":"call-1","party":"unit"}"#)
        #expect(busy(h, "urban") == 1)
    }

    @Test func theCallEndingFreesALineTheUnitStillHeld() throws {
        let h = try Harness()
        h.openDesk()
        let (op, unit) = try conference(h, "call-1")
        h.send(#"{"event":"conference_outcome","operator":"\#(op)","call":"call-1","outcome":"answered_on_spot"}"#)
        #expect(busy(h, unit) == 1)
        h.send(#"{"event":"hangup","call":"call-1"}"#)
        #expect(busy(h, unit) == 0)
    }

    @Test func everyLineHeldByUnitsTalkingOnSendsTheNextThreePartyCallToPhoneDispatch() throws {
        let h = try Harness()
        h.openDesk("op-1")
        for op in ["op-2", "op-3", "op-4"] {
            h.send(#"{"event":"login","operator":"\#(op)"}"#)
            h.send(#"{"event":"ready","operator":"\#(op)"}"#)
        }
        var unit = ""
        for n in 1...3 {
            let (op, u) = try conference(h, "call-\(n)")
            unit = u
            h.send(
                #"{"event":"conference_outcome","operator":"\#(op)","call":"call-\#(n)","outcome":"answered_on_spot"}"#)
        }
        // The unit keeps three duty lines, and all three are still in a bridge.
        let lines = try #require(Bundled.model.router.directory.snapshot(at: h.now)[UnitID(unit)]?.dutyLines?.count)
        #expect(busy(h, unit) == lines)
        let out = h.connectCall("call-4")
        let op = try #require((out.first("command", "bridge")?["to"] as? [String: Any])?["agent"] as? String)
        let reply = h.send(
            #"{"event":"disposition","operator":"\#(op)","call":"call-4","action":"three_party","category":"0204","territory":"dongan-xinan"}"#
        )
        // Art. 10(3): no duty line free, so no dial; the case is registered and dispatched by phone.
        #expect(reply.first("command", "dial").map { $0["call"] as? String } != "call-4")
        #expect(reply.first("reply", "disposition")?["decision"] as? String == "phone_dispatch")
    }
}
