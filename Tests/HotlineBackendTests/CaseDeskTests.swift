import Foundation
import HotlineCore
import HotlineSimulation
import HotlineStore
import Testing

@testable import HotlineBackend

/// Cases after the call: what units see and do, and deadlines across a restart.
struct CaseDeskTests {
    /// Registers a work order for 0204 in dongan-xinan; returns its id and unit.
    func registerCase(_ h: Harness, call: String = "call-1") throws -> (String, String) {
        h.connectCall(call)
        let reply = h.send(
            #"{"event":"disposition","operator":"op-1","call":"\#(call)","action":"work_order","category":"0204","territory":"dongan-xinan","summary":"路灯"}"#
        )
        let ack = try #require(reply.first("reply", "disposition"))
        h.send(#"{"event":"hangup","call":"\#(call)"}"#)
        h.send(#"{"event":"wrap_up_done","operator":"op-1"}"#)
        return (ack["case"] as! String, ack["unit"] as! String)
    }

    @Test func aUnitSeesAndActsOnItsOwnCasesOnly() throws {
        let h = try Harness()
        h.openDesk()
        let (id, unit) = try registerCase(h)
        let own = RecordingLink()
        h.board.connect(own)
        h.board.receive(Array(#"{"event":"hello","role":"unit","unit":"\#(unit)"}"#.utf8), from: own, number: 1)
        h.board.receive(Array(#"{"event":"cases"}"#.utf8), from: own, number: 2)
        let list = try #require(own.objects.first("reply", "cases"))
        #expect(list["count"] as? Int == 1)
        // Art. 15: masked even for the unit.
        #expect(((list["cases"] as? [[String: Any]])?.first?["caller"] as? String) == "138****8000")
        h.board.receive(Array(#"{"event":"case","case":"\#(id)","action":"sign_for"}"#.utf8), from: own, number: 3)
        h.settle()
        #expect(own.objects.first("reply", "case")?["state"] as? String == "signed_for")

        // Another unit: the case does not exist for it (Art. 15).
        let other = RecordingLink()
        h.board.connect(other)
        h.board.receive(Array(#"{"event":"hello","role":"unit","unit":"psb"}"#.utf8), from: other, number: 1)
        h.board.receive(Array(#"{"event":"cases"}"#.utf8), from: other, number: 2)
        #expect(other.objects.first("reply", "cases")?["count"] as? Int == 0)
        h.board.receive(
            Array(#"{"event":"case","case":"\#(id)","action":"contact_caller"}"#.utf8), from: other, number: 3)
        #expect(other.objects.last?["code"] as? String == "unknown_call")
    }

    @Test func theCoreRefusesAnEventAndNamesTheArticle() throws {
        let h = try Harness()
        h.openDesk()
        let (id, _) = try registerCase(h)
        // The centre may not close a case that has no closure report (Art. 10(11)).
        let out = h.send(#"{"event":"case","case":"\#(id)","action":"close"}"#)
        let e = try #require(out.first { $0["error"] != nil })
        #expect(e["code"] as? String == "refused")
        #expect((e["error"] as? String)?.contains("Art.") == true)
    }

    @Test func aDeadlineThatPassedWhileTheServerWasDownFiresAtOnce() throws {
        let h = try Harness()
        h.openDesk()
        let (id, _) = try registerCase(h)
        let pending = try h.storeReader().find(CaseID(id))!.timers
        let signFor = try #require(pending.first { $0.timer == .signFor })
        // The server is down past the sign-for deadline, then starts again on the same store.
        h.now = signFor.due + 3600
        try h.start()
        h.advance(0.001)
        let stored = try #require(try h.storeReader().find(CaseID(id)))
        // Art. 10(9): the passed deadline is recorded as soon as the server is back.
        #expect(stored.audit.map(\.event).contains("deadline_passed"))
        #expect(!stored.timers.contains(signFor))
    }

    @Test func anEmergencyRingsTheLeadAndEveryAssistingUnitAtOnce() throws {
        let h = try Harness(at: "2026-03-02T09:00")
        h.openDesk()
        h.connectCall("call-1")
        let out = h.send(
            #"{"event":"disposition","operator":"op-1","call":"call-1","action":"escalation","category":"010401","territory":"aimin-tiebei","summary":"燃气泄漏"}"#
        )
        #expect(out.first("reply", "disposition")?["decision"] as? String == "escalation")
        // Art. 11: the gas company is read the case; fire brigade and police are rung at the same time.
        let dials = out.filter { $0["command"] as? String == "dial" }
        let dispatch = dials.filter { $0["purpose"] as? String == "dispatch" }
        let notify = dials.filter { $0["purpose"] as? String == "notify" }
        #expect(dispatch.compactMap { ($0["to"] as? [String: Any])?["unit"] as? String } == ["gas"])
        #expect(Set(notify.compactMap { ($0["to"] as? [String: Any])?["unit"] as? String }) == ["fire", "psb"])
        // The fire brigade answers and hears the case; the police line rings out and is rung again.
        let fire = try #require(notify.first { ($0["to"] as? [String: Any])?["unit"] as? String == "fire" })
        let told = h.send(
            #"{"event":"result","call":"\#(fire["call"] as! String)","command_id":"\#(fire["id"] as! String)","status":"ok"}"#
        )
        #expect((told.first("command", "play")?["prompts"] as? [String])?.contains { $0.hasPrefix("case:") } == true)
        let police = try #require(notify.first { ($0["to"] as? [String: Any])?["unit"] as? String == "psb" })
        h.send(
            #"{"event":"result","call":"\#(police["call"] as! String)","command_id":"\#(police["id"] as! String)","status":"timeout"}"#
        )
        let again = h.advance(61).filter { $0["command"] as? String == "dial" && $0["purpose"] as? String == "notify" }
        #expect(again.compactMap { ($0["to"] as? [String: Any])?["unit"] as? String } == ["psb"])
    }

    @Test func theSatisfactionCallbackWaitsForTheCallbackHours() throws {
        // Tuesday 3 March 2026, 10:00; replied at 18:00.
        let h = try Harness()
        h.openDesk()
        let (id, unit) = try registerCase(h)
        for action in ["sign_for", "contact_caller"] {
            let link = RecordingLink()
            h.board.connect(link)
            h.board.receive(Array(#"{"event":"hello","role":"unit","unit":"\#(unit)"}"#.utf8), from: link, number: 1)
            h.board.receive(
                Array(#"{"event":"case","case":"\#(id)","action":"\#(action)"}"#.utf8), from: link, number: 2)
        }
        h.now = Instant(parsing: "2026-03-03T18:00")!
        let unitLink = RecordingLink()
        h.board.connect(unitLink)
        h.board.receive(Array(#"{"event":"hello","role":"unit","unit":"\#(unit)"}"#.utf8), from: unitLink, number: 1)
        h.board.receive(
            Array(#"{"event":"case","case":"\#(id)","action":"reply","channel":"phone"}"#.utf8), from: unitLink,
            number: 2)
        h.settle()
        // Art. 10(10): the next working day, but not at midnight: within the model's hours (09:00-17:00).
        #expect(h.advance(Instant(parsing: "2026-03-04T08:59")! - h.now).first("command", "dial") == nil)
        let dial = try #require(h.advance(120).first("command", "dial"))
        #expect(dial["purpose"] as? String == "satisfaction")
    }

    @Test func caseNumbersRunOnAcrossARestart() throws {
        let h = try Harness()
        h.openDesk()
        let (first, _) = try registerCase(h, call: "a")
        try h.start()
        h.openDesk("op-1")
        let (second, _) = try registerCase(h, call: "b")
        #expect(first.hasSuffix("000001"))
        #expect(second.hasSuffix("000002"))
    }

    @Test func anAdapterThatReconnectsTakesItsCallsBack() throws {
        let h = try Harness()
        h.openDesk()
        let out = h.send(#"{"event":"offer","call":"call-1"}"#)
        let answer = try #require(out.first("command", "answer"))
        h.board.disconnect(h.link)
        let back = RecordingLink()
        h.board.connect(back)
        h.board.receive(
            Array(#"{"event":"hello","roles":["pbx","desktop"],"name":"test"}"#.utf8), from: back, number: 1)
        h.board.receive(Array(#"{"event":"resync","calls":["call-1","gone"]}"#.utf8), from: back, number: 2)
        // The pending command is sent again, and the adapter learns which calls were taken back.
        #expect(back.objects.first("command", "answer")?["id"] as? String == answer["id"] as? String)
        let reply = try #require(back.objects.first("reply", "resync"))
        #expect(reply["resumed"] as? [String] == ["call-1"])
        #expect(reply["unknown"] as? [String] == ["gone"])
    }

    @Test func callsOfAnAdapterThatNeverComesBackEnd() throws {
        let h = try Harness()
        h.openDesk()
        h.send(#"{"event":"offer","call":"call-1"}"#)
        h.board.disconnect(h.link)
        h.advance(61)
        #expect(h.board.calls.isEmpty)
    }
}

/// The heart of the design: the live backend decides a call exactly as the simulator does.
struct SameDecisionTests {
    @Test func theBackendDecidesTheSimulatorsCallsTheSameWay() throws {
        // A simulated day of the bundled model, with the routing core's decision on every routed call.
        let simulation = Simulation(model: Bundled.model, options: SimulationOptions(days: 1, seed: 7))
        let traced = simulation.decisions()
        #expect(traced.count > 500)
        var compared = 0
        var kinds: Set<String> = []
        // Every 10th call, replayed through the switchboard at the same instant.
        for (k, t) in traced.enumerated() where k % 10 == 0 {
            let h = try Harness()
            h.now = t.at
            h.openDesk()
            h.connectCall("call-\(k)")
            let action = t.request.intent.protocolAction
            let territory = t.request.territory.map { #","territory":"\#($0.rawValue)""# } ?? ""
            let reply = h.send(
                #"{"event":"disposition","operator":"op-1","call":"call-\#(k)","action":"\#(action)","category":"\#(t.request.category.rawValue)"\#(territory)}"#
            )
            let ack = try #require(reply.first("reply", "disposition"), "call \(k): \(reply)")
            let expected = action == "direct" ? "answer_directly" : decisionName(t.decision)
            #expect(ack["decision"] as? String == expected, "call \(k) at \(t.at): \(t.request)")
            if case .register(let order) = t.decision {
                #expect(ack["unit"] as? String == order.responsibility.dispatchTo.rawValue)
            }
            kinds.insert(expected)
            compared += 1
        }
        #expect(compared > 50)
        // The sample covers the main kinds of decision.
        #expect(kinds.isSuperset(of: ["answer_directly", "conference", "work_order"]))
    }
}
