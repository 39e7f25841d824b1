import Foundation
import HotlineCore
import Testing

@testable import HotlineBackend

/// The controllable clock: `--clock manual` moves only on `advance`, firing each timer at its own
/// time; the mode is said in every hello; a wall clock refuses to be moved.
struct ClockTests {
    @Test func clockModesParse() {
        #expect(ClockMode(parsing: "wall") == .wall)
        #expect(ClockMode(parsing: "manual") == .manual)
        #expect(ClockMode(parsing: "accelerated:60") == .accelerated(60))
        #expect(ClockMode(parsing: "accelerated:0") == nil)
        #expect(ClockMode(parsing: "accelerated:-3") == nil)
        #expect(ClockMode(parsing: "fast") == nil)
        #expect(ClockMode.accelerated(1440).description == "accelerated:1440")
    }

    @Test func anAcceleratedClockRunsFaster() throws {
        let start = try #require(Instant(iso: "2026-01-05T00:00", offsetHours: 8))
        let clock = ServerClock(mode: .accelerated(3600), utcOffsetHours: 8, start: start)
        usleep(50_000)
        // 50 ms at 3600 times real time: three minutes.
        #expect((clock.now() - start) > 150 && (clock.now() - start) < 600)
        #expect(clock.realDelay(until: start + 3600)! < 1.01)
        #expect(ServerClock(mode: .manual, utcOffsetHours: 8, start: start).realDelay(until: start + 1) == nil)
    }

    @Test func timesCarryTheirOffsetAndParseBack() throws {
        let t = try #require(Instant(iso: "2026-11-30T09:12:05+08:00", offsetHours: 8))
        #expect(t.iso(offsetHours: 8) == "2026-11-30T09:12:05+08:00")
        #expect(Instant(iso: "2026-11-30T01:12:05Z", offsetHours: 8) == t)
        #expect(Instant(iso: "2026-11-30T09:12", offsetHours: 8) == t + -5)
        #expect(Instant(iso: "2026-11-30T03:12:05+02:00", offsetHours: 8) == t)
        #expect(Instant(iso: "30/11/2026", offsetHours: 8) == nil)
    }

    @Test func helloSaysWhichClockRuns() throws {
        let h = try Harness()
        let hello = try #require(
            h.send(#"{"event":"hello","roles":["adapter","desktop"],"v":1}"#).first("reply", "hello"))
        #expect(hello["clock"] as? String == "manual")
        #expect(hello["now"] as? String == "2026-03-03T10:00:00+08:00")
        #expect(hello["may_advance"] as? Bool == true)
    }

    @Test func advanceFiresEachTimerAtItsOwnTime() throws {
        let h = try Harness()
        h.openDesk()
        h.send(#"{"event":"offer","call":"call-1"}"#)
        // The answer gets no result: its deadline (30 s) passes during a one-hour advance, and the
        // call is hung up at that deadline, not at the end of the hour.
        let out = h.send(#"{"event":"advance","by":3600}"#)
        let hangup = try #require(out.first("command", "hangup"))
        #expect(hangup["cause"] as? String == "answer_failed")
        let reply = try #require(out.first("reply", "advance"))
        #expect(reply["now"] as? String == "2026-03-03T11:00:00+08:00")
        // ...and the hangup's own deadline (30 s after the answer's) ended the call within the hour: had
        // the timers fired at the end of the hour, that deadline would still be ahead.
        #expect(h.call("call-1") == nil)
        #expect(h.now == Instant(parsing: "2026-03-03T11:00")!)
    }

    @Test func theClockDoesNotGoBackAndTakesTimesOrSeconds() throws {
        let h = try Harness()
        h.openDesk()
        let back = h.send(#"{"event":"advance","to":"2026-03-03T09:00:00+08:00"}"#)
        #expect(back.first { $0["error"] != nil }?["code"] as? String == "refused")
        #expect(h.send(#"{"event":"advance","to":"2026-03-04T10:00"}"#).first("reply", "advance") != nil)
        #expect(h.now == Instant(parsing: "2026-03-04T10:00")!)
        let unix = 1_772_676_000.5  // 2026-03-05T10:00:00.5+08:00
        #expect(h.send(#"{"event":"advance","to":\#(unix)}"#).first("reply", "advance") != nil)
        #expect(h.now.seconds == unix + 8 * 3600)
        #expect(h.send(#"{"event":"advance","by":-1}"#).first { $0["error"] != nil }?["field"] as? String == "by")
        // At most a year at a time: a clock sent to the year 9999 (or past any date) could never come
        // back, and every deadline would have passed. (1e25 once crashed the server.)
        for far in [#""to":1e25"#, #""to":1e18"#, #""to":"9999-12-31T23:59:59+08:00""#, #""by":4e7"#] {
            let e = h.send(#"{"event":"advance",\#(far)}"#).first { $0["error"] != nil }
            #expect(e?["code"] as? String == "wrong_type", "\(far)")
        }
        #expect(h.send(#"{"event":"ping"}"#).first("reply", "pong") != nil)
    }

    @Test func aWallClockIsNotAdvanced() throws {
        let h = try Harness(clock: .wall)
        h.openDesk()
        let e = try #require(h.send(#"{"event":"advance","by":60}"#).first { $0["error"] != nil })
        #expect(e["code"] as? String == "refused")
        #expect((e["error"] as? String)?.contains("--clock manual") == true)
    }

    @Test func onlyAPeerAllowedToMayAdvance() throws {
        var options = Switchboard.Options()
        options.peers = try PeerIdentityTests.directory()
        let h = try Harness(options: options)
        let adapter = h.connect(hello: PeerIdentityTests.hello("ast-1"))
        #expect(
            h.send(#"{"event":"advance","by":60}"#, on: adapter).first { $0["error"] != nil }?["code"] as? String
                == "not_permitted")
        let desk = h.connect(hello: PeerIdentityTests.hello("desk"))
        #expect(h.send(#"{"event":"advance","by":60}"#, on: desk).first("reply", "advance") != nil)
    }
}
