internal import Foundation
internal import HotlineStore
internal import NIOCore
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// `--stdio`: one peer on standard input and output, whatever they are (a terminal, a pipe, a file).
///
/// epoll cannot watch regular files, so standard input is read by a thread of its own, which hands each
/// batch of lines to the event loop and waits for it to be taken (the input never runs ahead of the
/// switchboard); output goes to a writer thread, bounded like a socket's.
final class StdioTransport: FlushableLink, @unchecked Sendable {
    let label = "stdio"
    private let loop: any EventLoop
    private let host: NIOLoopBound<SwitchboardHost>
    private let limit: Int
    private let outputLimit: Int
    private let ended: EventLoopPromise<Void>
    // Output, from the loop to the writer thread.
    private let outbox = Mutex(Outbox())
    private let wake = DispatchSemaphore(value: 0)
    // Loop-confined.
    private var pending: [UInt8] = []
    private var closed = false

    private struct Outbox: ~Copyable {
        var chunks: [[UInt8]] = []
        var bytes = 0
        var finished = false
    }

    init(
        host: NIOLoopBound<SwitchboardHost>, loop: any EventLoop, lineLimit: Int, outputLimit: Int,
        ended: EventLoopPromise<Void>
    ) {
        self.host = host
        self.loop = loop
        self.limit = lineLimit
        self.outputLimit = outputLimit
        self.ended = ended
    }

    /// Starts the reader and writer threads; the peer connects at once.
    func start() {
        host.value.opened(self)
        let writer = Thread { [self] in writeLoop() }
        writer.name = "hotline-stdout"
        writer.start()
        let reader = Thread { [self] in readLoop() }
        reader.name = "hotline-stdin"
        reader.start()
    }

    private func readLoop() {
        var splitter = LineSplitter(limit: limit)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            var batch: [LineSplitter.Framed] = []
            if n <= 0 {
                splitter.finish { batch.append($0) }
                deliver(batch)
                break
            }
            splitter.feed(buffer[0..<n]) { batch.append($0) }
            deliver(batch)
        }
        inputEnded()
    }

    /// Hands lines to the switchboard and waits until it has taken them.
    private func deliver(_ batch: [LineSplitter.Framed]) {
        guard !batch.isEmpty else { return }
        let host = self.host
        try? loop.submit { [self] in
            for framed in batch { host.value.receiveLine(framed, from: self) }
            host.value.flushAll()
        }.wait()
    }

    /// The end of input: the work it started lands (cases on disk, their acknowledgements written),
    /// then the server stops.
    private func inputEnded() {
        let host = self.host
        let commit = (try? loop.submit { host.value.board.commit }.wait())
        commit?.flush()
        loop.execute { [self] in
            host.value.tick()
            host.value.flushAll()
            host.value.closed(self, socket: false)
            finishOutput()
            ended.succeed()
        }
    }

    // MARK: PeerLink (on the loop)

    func send(_ line: OutputLine) {
        guard !closed else { return }
        if pending.isEmpty { host.value.markDirty(self) }
        pending += line.encoded
        pending.append(UInt8(ascii: "\n"))
    }

    func flush() {
        guard !pending.isEmpty else { return }
        let chunk = pending
        pending = []
        let over = outbox.withLock { o -> Bool in
            o.chunks.append(chunk)
            o.bytes += chunk.count
            return o.bytes > outputLimit
        }
        wake.signal()
        if over {
            // Nobody reads our output: stop writing rather than grow without bound.
            closed = true
            FileHandle.standardError.write(Data("hotline: standard output is not being read; output stopped\n".utf8))
        }
    }

    func close() {
        guard !closed else { return }
        flush()
        closed = true
    }

    /// Lets the writer finish what it has and stop.
    func finishOutput() {
        flush()
        outbox.withLock { $0.finished = true }
        wake.signal()
    }

    private func writeLoop() {
        while true {
            wake.wait()
            let (chunks, finished) = outbox.withLock { o -> ([[UInt8]], Bool) in
                let c = o.chunks
                o.chunks = []
                o.bytes = 0
                return (c, o.finished)
            }
            for chunk in chunks {
                var bytes = chunk
                var offset = 0
                while offset < bytes.count {
                    let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return }
                    offset += n
                }
                bytes.removeAll()
            }
            if finished { return }
        }
    }
}
