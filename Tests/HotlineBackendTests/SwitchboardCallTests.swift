import Foundation
import HotlineCore
import HotlineStore
import Testing

@testable import HotlineBackend

/// A call from ring to case, and the three-party call, through the switchboard on a real store.
struct SwitchboardCallTests {
    @Test func aWorkOrderCallFromRingToCase() throws {
        let h = try Harness()
        h.openDesk()
        let out = h.connectCall("call-1")
        #expect(
            out.map { $0["command"] as? String ?? $0["notice"] as? String ?? "" }.filter { !$0.isEmpty } == [
                "answer", "play", "bridge", "call",
            ])
        let notice = try #require(out.first("notice", "call"))
        // Art. 15: the desktop gets the number masked.
        #expect(notice["caller"] as? String == "138****8000")
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"work_order","category":"0204","territory":"dongan-xinan","summary":"三盏路灯不亮"}"#
        )
        let ack = try #require(reply.first("reply", "disposition"))
        // Art. 10(4): a written work order, dispatched to the unit the directory names.
        #expect(ack["decision"] as? String == "work_order")
        #expect(ack["article"] as? String == "Art. 10(4)")
        let id = try #require(ack["case"] as? String)
        #expect(id == "20260303-000001")
        let stored = try #require(try h.storeReader().find(CaseID(id)))
        #expect(stored.value.state == .dispatched)
        #expect(stored.audit.map(\.event) == ["register", "dispatch"])
        #expect(stored.intake?.summary == "三盏路灯不亮")
        #expect(!stored.timers.isEmpty)
        h.send(#"{"event":"hangup","call":"call-1"}"#)
        // The operator wraps up, then is offered the next call.
        h.send(#"{"event":"wrap_up_done","operator":"op-1"}"#)
        let next = h.connectCall("call-2")
        #expect(next.first("command", "bridge") != nil)
    }

    @Test func aThreePartyCallThatRingsOutFallsBackToPhoneDispatch() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"three_party","category":"0204","territory":"dongan-xinan"}"#
        )
        // Art. 10(2): the unit's duty line is dialled into the call.
        let ack = try #require(reply.first("reply", "disposition"))
        #expect(ack["decision"] as? String == "conference")
        let dial = try #require(reply.first("command", "dial"))
        #expect((dial["to"] as? [String: Any])?["unit"] as? String == ack["unit"] as? String)
        // Nobody answers: Art. 10(3), the case is registered and read to the unit by phone.
        let after = h.send(
            #"{"event":"result","call":"call-1","command_id":"\#(dial["id"] as! String)","status":"timeout"}"#)
        let failed = try #require(after.first("notice", "conference_failed"))
        #expect(failed["article"] as? String == "Art. 10(3)")
        let registered = try #require(after.first("reply", "disposition"))
        #expect(registered["decision"] as? String == "phone_dispatch")
        // The phone dispatch is an outbound call to the unit's duty line.
        let outbound = try #require(
            after.first { $0["command"] as? String == "dial" && ($0["call"] as? String)?.hasPrefix("out-") == true })
        #expect(outbound["purpose"] as? String == "dispatch")
        let call = outbound["call"] as! String
        let read = h.send(
            #"{"event":"result","call":"\#(call)","command_id":"\#(outbound["id"] as! String)","status":"ok"}"#)
        let collect = try #require(read.first("command", "collect"))
        #expect((collect["prompts"] as? [String])?.contains("case:\(registered["case"] as! String)") == true)
        // "1": the unit signs for the case (Art. 10(3)).
        h.send(
            #"{"event":"result","call":"\#(call)","command_id":"\#(collect["id"] as! String)","status":"ok","digits":"1"}"#
        )
        let stored = try #require(try h.storeReader().find(CaseID(registered["case"] as! String)))
        #expect(stored.value.state == .signedFor)
        #expect(stored.audit.map(\.event) == ["register", "dispatch", "sign_for"])
    }

    @Test func aThreePartyCallSettledOnTheSpotOpensNoCase() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"three_party","category":"0204","territory":"dongan-xinan"}"#
        )
        let dial = try #require(reply.first("command", "dial"))
        let joined = h.send(
            #"{"event":"result","call":"call-1","command_id":"\#(dial["id"] as! String)","status":"ok"}"#)
        #expect(joined.first("notice", "unit_joined") != nil)
        let settled = h.send(
            #"{"event":"conference_outcome","operator":"op-1","call":"call-1","outcome":"answered_on_spot"}"#)
        // Art. 10(2): the unit answered the caller on the spot; no case.
        #expect(settled.first("reply", "disposition")?["decision"] as? String == "settled_by_unit")
        #expect(try h.storeReader().counts().cases == 0)
        // The duty line is free again once the unit leaves the bridge.
        h.send(#"{"event":"left","call":"call-1","party":"unit"}"#)
        #expect(h.board.linesBusy.values.allSatisfy { $0 == 0 })
    }

    @Test func callersWaitInTheQueueUntilAnOperatorIsReady() throws {
        let h = try Harness()
        h.openDesk("op-1")
        h.send(#"{"event":"login","operator":"op-2"}"#)
        h.connectCall("call-0")
        let out = h.connectCall("call-1")
        #expect(out.first("command", "queue") != nil)
        // The caller hears their position; one operator on duty, busy, shares the mean handling time
        // (about 275 s) with nobody: a wait over the model's 120 s, so the announcement ends with the
        // call-back offer (the simulator's rule, IVRBehaviour.offersCallback).
        let announcement = try #require(out.last)
        #expect(announcement["command"] as? String == "collect")
        #expect((announcement["prompts"] as? [String])?.prefix(2) == ["queue-position", "number:1"])
        #expect((announcement["prompts"] as? [String])?.last == "callback-offer")
        h.connectCall("call-2")
        let ready = h.send(#"{"event":"ready","operator":"op-2"}"#)
        // First come, first served.
        #expect(ready.first("command", "bridge")?["call"] as? String == "call-1")
    }

    @Test func nobodyOnDutyMeansNoCallBackOffer() throws {
        let h = try Harness()
        h.send(#"{"event":"hello","roles":["pbx","desktop"],"v":1}"#)
        h.send(#"{"event":"login","operator":"op-1"}"#)
        // The only operator is not ready: there is nobody to call the caller back, so no offer.
        let out = h.connectCall("call-1")
        #expect(out.first("command", "queue") != nil)
        #expect(out.first("command", "collect") == nil)
        #expect(h.board.waitingLine.count == 1)
    }

    @Test func aHangupEndsTheCallAndItsCommands() throws {
        let h = try Harness()
        h.openDesk()
        let out = h.send(#"{"event":"offer","call":"call-1","from":"13800138000"}"#)
        let answer = try #require(out.first("command", "answer"))
        h.send(#"{"event":"hangup","call":"call-1","cause":"caller"}"#)
        // A result that crossed the hangup is dropped quietly.
        let late = h.send(
            #"{"event":"result","call":"call-1","command_id":"\#(answer["id"] as! String)","status":"hungup"}"#)
        #expect(late.isEmpty)
        #expect(h.board.calls.isEmpty)
    }

    @Test func aCommandWithoutResultEndsAsTimeout() throws {
        let h = try Harness()
        h.openDesk()
        h.send(#"{"event":"offer","call":"call-1"}"#)
        // No result for `answer`: after the command timeout the backend gives up on the call.
        let out = h.advance(31)
        #expect(out.first("command", "hangup")?["cause"] as? String == "answer_failed")
    }

    @Test func anAnsweredEventCountsAsTheAnswer() throws {
        let h = try Harness()
        h.openDesk()
        h.send(#"{"event":"offer","call":"call-1"}"#)
        // ARI reports the channel going up instead of the command's result: the greeting follows.
        let out = h.send(#"{"event":"answered","call":"call-1"}"#)
        #expect(out.first("command", "play")?["prompts"] as? [String] == ["greeting"])
    }

    @Test func aBlindTransferHandsTheCallerOver() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        let out = h.send(#"{"event":"transfer","operator":"op-1","call":"call-1","number":"119"}"#)
        let command = try #require(out.first("command", "transfer"))
        #expect((command["to"] as? [String: Any])?["number"] as? String == "119")
        #expect(out.first("reply", "transfer") != nil)
        h.send(#"{"event":"result","call":"call-1","command_id":"\#(command["id"] as! String)","status":"ok"}"#)
        // The caller has left the centre; the operator wraps up.
        #expect(h.call("call-1") == nil)
        #expect(h.board.agents["op-1"]?.state == .wrapUp)
    }

    @Test func aFailedTransferLeavesTheCallerWithTheOperator() throws {
        let h = try Harness()
        h.openDesk()
        h.connectCall("call-1")
        let command = try #require(
            h.send(#"{"event":"transfer","operator":"op-1","call":"call-1","unit":"urban"}"#).first(
                "command", "transfer"))
        let out = h.send(
            #"{"event":"result","call":"call-1","command_id":"\#(command["id"] as! String)","status":"error"}"#)
        #expect(out.first("notice", "transfer_failed") != nil)
        #expect(h.call("call-1")?.stage == .talking)
    }

    @Test func aCallerWhoHungUpInTheQueueIsCalledBack() throws {
        let h = try Harness()
        h.send(#"{"event":"hello","roles":["pbx","desktop"],"v":1}"#)
        h.send(#"{"event":"login","operator":"op-1"}"#)
        h.connectCall("call-1", from: "13912345678")
        h.send(#"{"event":"hangup","call":"call-1","cause":"caller"}"#)
        // The model calls back every missed call: as soon as an operator is free, the caller is dialled...
        let ready = h.send(#"{"event":"ready","operator":"op-1"}"#)
        let dial = try #require(ready.first("command", "dial"))
        #expect(dial["purpose"] as? String == "callback")
        #expect((dial["to"] as? [String: Any])?["number"] as? String == "13912345678")
        // ...and put through to the operator when they answer.
        let answered = h.send(
            #"{"event":"result","call":"\#(dial["call"] as! String)","command_id":"\#(dial["id"] as! String)","status":"ok"}"#
        )
        #expect(answered.first("command", "bridge")?["call"] as? String == dial["call"] as? String)
    }

    @Test func aCallerWhoTakesTheCallBackOfferLeavesTheQueue() throws {
        let h = try Harness()
        h.openDesk("op-1")
        h.connectCall("call-0")
        h.send(#"{"event":"offer","call":"call-1"}"#)
        h.send(#"{"event":"result","call":"call-1","command_id":"c4","status":"ok"}"#)
        let queued = h.send(#"{"event":"result","call":"call-1","command_id":"c5","status":"ok"}"#)
        // The one operator is busy: a long wait, so the announcement ends with the offer (press 1).
        let offer = try #require(queued.first("command", "collect"))
        let taken = h.send(
            #"{"event":"result","call":"call-1","command_id":"\#(offer["id"] as! String)","status":"ok","digits":"1"}"#)
        #expect(taken.first("command", "play")?["prompts"] as? [String] == ["callback-confirmed"])
        #expect(taken.first("command", "hangup") != nil)
        #expect(h.board.callbackQueue.count == 1)
        #expect(h.board.waitingLine.count == 0)
    }

    @Test func theLanguageMenuSetsThePromptsLanguage() throws {
        var options = Switchboard.Options()
        options.languages = ["zh", "en"]
        let h = try Harness(options: options)
        h.send(#"{"event":"hello","roles":["pbx","desktop"],"v":1}"#)
        h.send(#"{"event":"login","operator":"op-1"}"#)
        h.send(#"{"event":"offer","call":"call-1"}"#)
        h.send(#"{"event":"result","call":"call-1","command_id":"c1","status":"ok"}"#)
        let menu = h.send(#"{"event":"result","call":"call-1","command_id":"c2","status":"ok"}"#)
        let collect = try #require(menu.first("command", "collect"))
        #expect(collect["prompts"] as? [String] == ["language-menu"])
        let chosen = h.send(
            #"{"event":"result","call":"call-1","command_id":"\#(collect["id"] as! String)","status":"ok","digits":"2"}"#
        )
        // Every prompt from now on is in English.
        #expect(chosen.filter { $0["prompts"] != nil }.allSatisfy { $0["lang"] as? String == "en" })
        #expect(!chosen.filter { $0["prompts"] != nil }.isEmpty)
    }
}
