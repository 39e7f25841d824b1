// A load generator for `hotline serve`: scripted calls over one TCP (or Unix) connection that is PBX
// adapter and operator desktop at once, as fast as the server answers, with a bounded number of calls
// in flight. Prints one JSON document: line events sent per second, command latency percentiles
// (from the event that asks for a command to the command), registrations acknowledged per second.
//
//   hotline-load ADDRESS [--calls N] [--concurrency C] [--operators K] [--action direct|work_order]
//                        [--hold] [--duration S]
//
// --hold: offer --calls calls and keep them all in progress (queued or talking), then report and wait
// for a line on stdin before hanging them up (the script reads the server's memory meanwhile).
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var address = ""
    var calls = 100_000
    var concurrency = 64
    var operators = 400
    var action = "direct"
    var hold = false
    var duration = 0.0

    init() {
        var args = CommandLine.arguments.dropFirst()
        guard let first = args.popFirst() else { fail("usage: hotline-load ADDRESS [options]") }
        address = first
        while let a = args.popFirst() {
            guard let v = args.first else {
                if a == "--hold" { hold = true; continue }
                fail("\(a) needs a value")
            }
            switch a {
            case "--calls": calls = Int(v)!
            case "--concurrency": concurrency = Int(v)!
            case "--operators": operators = Int(v)!
            case "--action": action = v
            case "--duration": duration = Double(v)!
            case "--hold": hold = true; continue
            default: fail("unknown option \(a)")
            }
            args.removeFirst()
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("hotline-load: \(message)\n".utf8))
    exit(2)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func connectTo(_ address: String) -> Int32 {
    if address.hasPrefix("unix:") {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(address.dropFirst(5).utf8)) }
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r != 0 { fail("cannot connect to \(address)") }
        return fd
    }
    let parts = address.split(separator: ":")
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(parts.last!)!.bigEndian
    addr.sin_addr.s_addr = inet_addr(parts.count == 3 ? String(parts[1]) : "127.0.0.1")
    let r = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    if r != 0 { fail("cannot connect to \(address)") }
    return fd
}

final class Connection {
    let fd: Int32
    var out: [UInt8] = []
    var input: [UInt8] = []
    var start = 0
    var sentLines = 0

    init(_ fd: Int32) {
        self.fd = fd
        out.reserveCapacity(1 << 20)
        input.reserveCapacity(1 << 20)
    }

    func queue(_ line: String) {
        out.append(contentsOf: line.utf8)
        out.append(10)
        sentLines += 1
    }

    func flush() {
        var offset = 0
        while offset < out.count {
            let n = out[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { fail("the server closed the connection") }
            offset += n
        }
        out.removeAll(keepingCapacity: true)
    }

    /// Reads what is there (waiting up to `timeout` seconds) and hands out complete lines.
    func read(timeout: Double, _ line: (ArraySlice<UInt8>) -> Void) {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { fail("the server closed the connection") }
        input.append(contentsOf: chunk[0..<n])
        while let nl = input[start...].firstIndex(of: 10) {
            line(input[start..<nl])
            start = nl + 1
        }
        if start > 0 {
            input.removeSubrange(..<start)
            start = 0
        }
    }
}

/// The fields the generator needs from a line: a byte scan for `"name":"` instead of a JSON parse
/// (the generator must stay much cheaper than the server it measures).
var keyCache: [String: [UInt8]] = [:]
func field(_ name: String, in line: ArraySlice<UInt8>) -> String? {
    let key: [UInt8]
    if let k = keyCache[name] { key = k } else { key = Array("\"\(name)\":\"".utf8); keyCache[name] = key }
    return line.withUnsafeBufferPointer { buf -> String? in
        let n = buf.count, m = key.count
        guard n >= m else { return nil }
        var i = 0
        outer: while i <= n - m {
            if buf[i] != key[0] { i += 1; continue }
            for k in 1..<m where buf[i + k] != key[k] { i += 1; continue outer }
            let from = i + m
            var end = from
            while end < n && buf[end] != UInt8(ascii: "\"") { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: buf[from..<end]), as: UTF8.self)
        }
        return nil
    }
}

let o = Options()
let c = Connection(connectTo(o.address))
c.queue(#"{"event":"hello","roles":["pbx","desktop"],"v":1,"name":"load"}"#)
for k in 0..<o.operators {
    c.queue(#"{"event":"login","operator":"op\#(k)"}"#)
    c.queue(#"{"event":"ready","operator":"op\#(k)"}"#)
}
c.flush()
var replies = 0
while replies < 1 + 2 * o.operators {
    c.read(timeout: 5) { _ in replies += 1 }
}

var latencies: [Double] = []
latencies.reserveCapacity(o.calls * 4)
var askedAt: [String: Double] = [:]
var started = 0
var finished = 0
var registered = 0
var inProgress = Set<String>()
var errors = 0
let begin = now()
let sentBefore = c.sentLines

func startCall() {
    started += 1
    let id = "L\(started)"
    inProgress.insert(id)
    askedAt[id] = now()
    c.queue(#"{"event":"offer","call":"\#(id)","from":"1380000\#(started % 10000)"}"#)
}

func handle(_ line: ArraySlice<UInt8>) {
    let t = now()
    if let command = field("command", in: line), let call = field("call", in: line), let id = field("id", in: line) {
        if let asked = askedAt.removeValue(forKey: call) { latencies.append(t - asked) }
        switch command {
        case "answer", "play", "bridge":
            if command != "bridge" { askedAt[call] = t }
            c.queue(#"{"event":"result","call":"\#(call)","command_id":"\#(id)","status":"ok"}"#)
        case "queue":
            c.queue(#"{"event":"result","call":"\#(call)","command_id":"\#(id)","status":"ok"}"#)
        case "collect":
            c.queue(#"{"event":"result","call":"\#(call)","command_id":"\#(id)","status":"timeout"}"#)
        default:
            c.queue(#"{"event":"result","call":"\#(call)","command_id":"\#(id)","status":"ok"}"#)
        }
        return
    }
    if field("notice", in: line) == "call", let call = field("call", in: line), let op = field("operator", in: line) {
        if o.hold { return }
        let action = o.action == "direct" ? #""action":"direct""# : #""action":"work_order","category":"0204","territory":"dongan-xinan""#
        c.queue(#"{"event":"disposition","operator":"\#(op)","call":"\#(call)",\#(action)}"#)
        return
    }
    if field("reply", in: line) == "disposition", let call = field("call", in: line) {
        if field("case", in: line) != nil { registered += 1 }
        c.queue(#"{"event":"hangup","call":"\#(call)"}"#)
        if let op = opOf[call] { c.queue(#"{"event":"wrap_up_done","operator":"\#(op)"}"#) }
        inProgress.remove(call)
        finished += 1
        if started < o.calls { startCall() }
        return
    }
    if field("error", in: line) != nil { errors += 1 }
}

// The operator of each call, from its notice (for wrap_up_done).
var opOf: [String: String] = [:]
func handleLine(_ line: ArraySlice<UInt8>) {
    if field("notice", in: line) == "call", let call = field("call", in: line), let op = field("operator", in: line) {
        opOf[call] = op
    }
    if field("reply", in: line) == "disposition", let call = field("call", in: line) {
        handle(line)
        opOf[call] = nil
        return
    }
    handle(line)
}

for _ in 0..<min(o.concurrency, o.calls) { startCall() }
c.flush()
let limit = o.duration > 0 ? begin + o.duration : Double.infinity
if o.hold {
    // Keep every call in progress: offer them all, answer the IVR, let them wait or talk.
    while started < o.calls { startCall() }
    c.flush()
    var quiet = 0
    while quiet < 20 {
        let before = latencies.count
        c.read(timeout: 0.1) { handleLine($0) }
        c.flush()
        quiet = latencies.count == before ? quiet + 1 : 0
    }
    print(#"{"calls_in_progress":\#(inProgress.count),"errors":\#(errors)}"#)
    fflush(stdout)
    _ = readLine()
    exit(0)
}
while finished < o.calls && now() < limit {
    c.read(timeout: 5) { handleLine($0) }
    c.flush()
}
let elapsed = now() - begin
latencies.sort()
func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
let events = c.sentLines - sentBefore
print(
    #"{"calls":\#(finished),"line_events":\#(events),"seconds":\#(String(format: "%.3f", elapsed)),"events_per_s":\#(Int(Double(events) / elapsed)),"# +
    #""commands_timed":\#(latencies.count),"latency_ms":{"p50":\#(String(format: "%.3f", pct(0.5))),"p90":\#(String(format: "%.3f", pct(0.9))),"p99":\#(String(format: "%.3f", pct(0.99))),"max":\#(String(format: "%.3f", pct(1)))},"# +
    #""registrations":\#(registered),"registrations_per_s":\#(Int(Double(registered) / elapsed)),"errors":\#(errors)}"#)
