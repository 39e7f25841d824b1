internal import DequeModule
internal import Foundation
package import HotlineBackend
internal import NIOCore
internal import NIOPosix

/// Why the driver stopped.
package struct DriveError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// A connection to `hotline serve` for a driver that works in lock-step: lines are written in batches
/// and the driver waits for the lines it needs. The socket is read on NIO's event loop; the lines wait
/// in an inbox until the driver's thread takes them.
package final class LineConnection: @unchecked Sendable {
    // `condition` guards `inbox` and `closed`.
    private let condition = NSCondition()
    private var inbox = Deque<[UInt8]>()
    private var closed = false
    private let channel: any Channel
    /// Lines written since the last flush, on the driver's thread only.
    private var outgoing: [UInt8] = []
    /// A name for messages: the peer's name.
    package var label: String

    private init(channel: any Channel, label: String) {
        self.channel = channel
        self.label = label
    }

    /// Connects to `tcp:HOST:PORT` or `unix:PATH` on NIO's shared event loops.
    package static func connect(to address: Listener, label: String) throws -> LineConnection {
        try connect(to: address, group: MultiThreadedEventLoopGroup.singleton, label: label)
    }

    /// Connects to `tcp:HOST:PORT` or `unix:PATH` on `group`.
    static func connect(
        to address: Listener, group: any EventLoopGroup, label: String
    ) throws -> LineConnection {
        let box = InboxBox()
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFramer(limit: 16 * 1024 * 1024)))
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(box: box))
                }
            }
        let channel: any Channel
        do {
            switch address {
            case .tcp(let host, let port): channel = try bootstrap.connect(host: host, port: port).wait()
            case .unix(let path): channel = try bootstrap.connect(unixDomainSocketPath: path).wait()
            case .stdio: throw DriveError("the driver connects to tcp:HOST:PORT or unix:PATH, not stdio")
            }
        } catch let error as DriveError {
            throw error
        } catch {
            throw DriveError("cannot connect to \(address): \(error)")
        }
        let connection = LineConnection(channel: channel, label: label)
        box.connection = connection
        return connection
    }

    /// Queues a line; `flush` sends what is queued.
    package func write(_ line: String) {
        outgoing.append(contentsOf: line.utf8)
        outgoing.append(UInt8(ascii: "\n"))
    }

    package func write(_ line: OutputLine) {
        outgoing.append(contentsOf: line.encoded)
        outgoing.append(UInt8(ascii: "\n"))
    }

    package func flush() {
        guard !outgoing.isEmpty else { return }
        var buffer = channel.allocator.buffer(capacity: outgoing.count)
        buffer.writeBytes(outgoing)
        outgoing.removeAll(keepingCapacity: true)
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// The next line, waiting up to `timeout` seconds; `nil` when none came (or the connection closed).
    package func next(timeout: Double) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while inbox.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        return inbox.popFirst()
    }

    /// Every line that came so far, without waiting.
    package func drain() -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        let lines = Array(inbox)
        inbox.removeAll()
        return lines
    }

    /// Whether the server closed the connection.
    package var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed && inbox.isEmpty
    }

    fileprivate func received(_ line: [UInt8]) {
        condition.lock()
        inbox.append(line)
        condition.signal()
        condition.unlock()
    }

    fileprivate func ended() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    package func close() {
        flush()
        try? channel.close().wait()
    }
}

/// Holds the connection for the handler, which exists before it.
private final class InboxBox: @unchecked Sendable {
    // Set once, before any line can arrive (the driver writes nothing until `connect` returns).
    var connection: LineConnection?
    var early: [[UInt8]] = []
}

private final class InboxHandler: ChannelInboundHandler {
    typealias InboundIn = LineSplitter.Framed
    let box: InboxBox

    init(box: InboxBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let bytes) = unwrapInboundIn(data) else { return }
        if let connection = box.connection {
            for line in box.early { connection.received(line) }
            box.early = []
            connection.received(bytes)
        } else {
            box.early.append(bytes)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        box.connection?.ended()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
