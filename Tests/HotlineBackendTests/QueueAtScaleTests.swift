import Foundation
import HotlineCore
import Testing

@testable import HotlineBackend

/// The queue over a real day's worth of calls: thousands through it, bridges that fail, callers who
/// hang up, emergencies first. (The first cut crashed at the 1,025th queued call whose bridge failed.)
struct QueueAtScaleTests {
    @Test func fiveThousandCallsWithFailingBridgesAreAllServedInOrder() throws {
        let h = try Harness()
        h.openDesk("op-1")
        h.send(#"{"event":"login","operator":"op-2"}"#)
        h.send(#"{"event":"ready","operator":"op-2"}"#)
        var bridged: [String] = []
        var firstOffered: [String] = []
        var bridges = 0
        var pending: [(call: String, id: String)] = []
        func take(_ out: [[String: Any]]) {
            for o in out where o["command"] as? String == "bridge" {
                let call = o["call"] as! String
                if !firstOffered.contains(call) && !bridged.contains(call)
                    && !pending.contains(where: { $0.call == call })
                {
                    firstOffered.append(call)
                }
                pending.append((call, o["id"] as! String))
            }
        }
        // Callers arrive faster than two operators can take them: the queue is never empty.
        for n in 1...5000 {
            let call = "call-\(n)"
            h.send(#"{"event":"offer","call":"\#(call)"}"#)
            take(
                h.send(
                    #"{"event":"result","call":"\#(call)","command_id":"c\#(h.board.nextCommand - 0)","status":"ok"}"#))
            // The answer's result leads to the greeting; its result queues the caller.
            let greeting = try #require(h.call(call)?.pending.first?.key)
            take(h.send(#"{"event":"result","call":"\#(call)","command_id":"\#(greeting)","status":"ok"}"#))
            guard n % 3 == 0 else { continue }
            // Every third round an operator's phone takes its call, or fails to (then it is put
            // back first and the operator is set not ready, then ready again).
            while let (c, id) = pending.first {
                pending.removeFirst()
                bridges += 1
                if bridges % 4 == 0 {
                    take(h.send(#"{"event":"result","call":"\#(c)","command_id":"\#(id)","status":"error"}"#))
                    let op = h.board.agents.values.first { $0.state == .notReady }!.id
                    take(h.send(#"{"event":"ready","operator":"\#(op)"}"#))
                } else {
                    h.send(#"{"event":"result","call":"\#(c)","command_id":"\#(id)","status":"ok"}"#)
                    bridged.append(c)
                    h.send(#"{"event":"hangup","call":"\#(c)"}"#)
                    let op = h.board.agents.values.first { $0.state == .wrapUp }!.id
                    take(h.send(#"{"event":"wrap_up_done","operator":"\#(op)"}"#))
                }
            }
        }
        // First come, first served, whatever failed on the way: callers are first offered to an
        // operator in arrival order, and each one offered is bridged in the end.
        let numbers = firstOffered.map { Int($0.dropFirst(5))! }
        #expect(numbers == numbers.sorted(), "first offers out of arrival order")
        #expect(Set(bridged).count == bridged.count)
        #expect(bridged.count > 3000)
        #expect(h.board.waitingLine.count == h.board.calls.values.count { $0.isWaiting })
        #expect(h.send(#"{"event":"ping"}"#).first("reply", "pong") != nil)
    }

    @Test func callersWhoHangUpWhileWaitingLeaveTheCountRight() throws {
        let h = try Harness()
        h.send(#"{"event":"hello","roles":["adapter","desktop"],"v":1}"#)
        h.send(#"{"event":"login","operator":"op-1"}"#)
        for n in 1...2000 {
            h.connectCall("call-\(n)")
            if n % 2 == 0 { h.send(#"{"event":"hangup","call":"call-\#(n)"}"#) }
        }
        #expect(h.board.waitingLine.count == 1000)
        // The operator comes: the first caller still waiting is the first one bridged.
        let out = h.send(#"{"event":"ready","operator":"op-1"}"#)
        #expect(out.first("command", "bridge")?["call"] as? String == "call-1")
        #expect(h.board.waitingLine.count == 999)
    }

    @Test func anEmergencyLineIsAnsweredBeforeEarlierCallers() throws {
        let h = try Harness()
        h.send(#"{"event":"hello","roles":["adapter","desktop"],"v":1}"#)
        h.send(#"{"event":"login","operator":"op-1"}"#)
        h.connectCall("call-1")
        h.connectCall("call-2")
        h.connectCall("gas-leak", priority: "emergency")
        let out = h.send(#"{"event":"ready","operator":"op-1"}"#)
        #expect(out.first("command", "bridge")?["call"] as? String == "gas-leak")
        #expect(
            h.send(#"{"event":"offer","call":"x","priority":"vip"}"#).first { $0["error"] != nil }?["field"] as? String
                == "priority")
    }
}
