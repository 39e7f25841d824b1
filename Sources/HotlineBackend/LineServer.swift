internal import Foundation
package import HotlineCore
package import HotlineStore
package import Logging
internal import NIOCore
internal import NIOPosix
internal import ServiceLifecycle

/// Why the server could not start.
package struct ServeError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}

/// Where `hotline serve` listens.
package enum Listener: Hashable, Sendable, CustomStringConvertible {
    case stdio
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// Parses `tcp:HOST:PORT`, `tcp:PORT` (loopback), `unix:PATH`.
    package init?(parsing text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("tcp:") {
            let rest = text.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":") else {
                guard let port = Int(rest), (0...65535).contains(port) else { return nil }
                self = .tcp(host: "127.0.0.1", port: port)
                return
            }
            var host = String(rest[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port), !host.isEmpty else {
                return nil
            }
            self = .tcp(host: host, port: port)
        } else {
            return nil
        }
    }

    package var description: String {
        switch self {
        case .stdio: "stdio"
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// `hotline serve`: the switchboard behind its listeners, on one event loop, under swift-service-lifecycle
/// (SIGTERM and SIGINT stop it gracefully: listeners close, every acknowledged case is on disk).
package final class LineServer: Service, Sendable {
    package struct Settings: Sendable {
        package var listeners: [Listener]
        package var options: Switchboard.Options
        /// A line longer than this is refused (and skipped).
        package var lineLimit = 64 * 1024
        /// A peer that cannot take more than this many bytes of output is cut off.
        package var outputLimit = 16 * 1024 * 1024

        package init(listeners: [Listener], options: Switchboard.Options = .init()) {
            self.listeners = listeners
            self.options = options
        }
    }

    private let model: CityModel
    private let store: CaseStore
    private let settings: Settings
    private let logger: Logger
    /// Called with each bound address (`tcp:127.0.0.1:4573`), e.g. to print it.
    private let onBound: @Sendable (String) -> Void

    package init(
        model: CityModel, store: CaseStore, settings: Settings, logger: Logger,
        onBound: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.model = model
        self.store = store
        self.settings = settings
        self.logger = logger
        self.onBound = onBound
    }

    package func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let offset = Double(model.utcOffsetHours) * 3600
        let logger = self.logger
        let host = try await loop.submit { [model, store, settings] in
            // What the store hands back (acknowledgements of stored cases) runs on the loop and is
            // flushed to the peers at once.
            let later = HostReference()
            let board = try Switchboard(
                model: model, store: store, options: settings.options,
                clock: { Instant(seconds: Date().timeIntervalSince1970 + offset) },
                hop: { work in
                    loop.execute {
                        work()
                        later.host?.flushAll()
                    }
                },
                log: { logger.info("\($0)") })
            let host = SwitchboardHost(board: board, settings: settings, loop: loop)
            later.host = host
            return NIOLoopBound(host, eventLoop: loop)
        }.get()
        let stopped = loop.makePromise(of: Void.self)
        var channels: [any Channel] = []
        do {
            for listener in settings.listeners where listener != .stdio {
                channels.append(try await bind(listener, host: host, group: group, stopped: stopped))
            }
        } catch {
            stopped.succeed()
            for c in channels { try? await c.close() }
            try? await group.shutdownGracefully()
            throw ServeError("cannot listen: \(error)")
        }
        if settings.listeners.contains(.stdio) {
            let settings = self.settings
            try await loop.submit {
                StdioTransport(
                    host: host, loop: loop, lineLimit: settings.lineLimit, outputLimit: settings.outputLimit,
                    ended: stopped
                ).start()
            }.get()
        }
        // Timers (command deadlines, announcements, wrap-up, case deadlines) wake the loop exactly when
        // the next one is due; an idle server sleeps.
        try await loop.submit { host.value.tick() }.get()
        try await withGracefulShutdownHandler {
            try await stopped.futureResult.get()
        } onGracefulShutdown: {
            stopped.succeed()
        }
        try await loop.submit { host.value.stopTimers() }.get()
        for c in channels { try? await c.close() }
        // Every acknowledged case is on disk already; this waits for those still in flight.
        let commit = try await loop.submit {
            host.value.closeAll()
            return host.value.board.commit
        }.get()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                commit.flush()
                done.resume()
            }
        }
        for case .unix(let path) in settings.listeners { try? FileManager.default.removeItem(atPath: path) }
        try await group.shutdownGracefully()
        logger.info("stopped")
    }

    private func bind(
        _ listener: Listener, host: NIOLoopBound<SwitchboardHost>, group: MultiThreadedEventLoopGroup,
        stopped: EventLoopPromise<Void>
    ) async throws -> any Channel {
        let settings = self.settings
        let initialise: @Sendable (any Channel) -> EventLoopFuture<Void> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let link = ChannelLink(channel: channel, host: host.value, label: listener.description)
                try channel.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(LineFramer(limit: settings.lineLimit)))
                try channel.pipeline.syncOperations.addHandler(
                    ConnectionHandler(link: link, host: host.value))
            }
        }
        switch listener {
        case .stdio:
            preconditionFailure("stdio is not a socket listener")
        case .tcp(let hostName, let port):
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: false)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
                .childChannelInitializer(initialise)
                .bind(host: hostName, port: port).get()
            onBound("tcp:\(hostName):\(channel.localAddress?.port ?? port)")
            return channel
        case .unix(let path):
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
                .childChannelInitializer(initialise)
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            onBound("unix:\(path)")
            return channel
        }
    }
}

/// The host, for closures made before it exists; only read on the event loop.
final class HostReference: @unchecked Sendable {
    weak var host: SwitchboardHost?
}

/// The switchboard and the connections' output, on the event loop.
final class SwitchboardHost {
    let board: Switchboard
    let settings: LineServer.Settings
    let loop: any EventLoop
    private var dirty: [ObjectIdentifier: any FlushableLink] = [:]
    private var links: [ObjectIdentifier: any FlushableLink] = [:]
    /// Input line numbers, by connection.
    private var lineNumbers: [ObjectIdentifier: Int] = [:]

    init(board: Switchboard, settings: LineServer.Settings, loop: any EventLoop) {
        self.board = board
        self.settings = settings
        self.loop = loop
    }

    func opened(_ link: any FlushableLink) {
        links[ObjectIdentifier(link)] = link
        board.connect(link)
    }

    func closed(_ link: any FlushableLink) {
        guard links.removeValue(forKey: ObjectIdentifier(link)) != nil else { return }
        dirty[ObjectIdentifier(link)] = nil
        lineNumbers[ObjectIdentifier(link)] = nil
        board.disconnect(link)
        flushAll()
    }

    /// One framed input line of a connection.
    func receiveLine(_ framed: LineSplitter.Framed, from link: any FlushableLink) {
        let number = lineNumbers[ObjectIdentifier(link), default: 0] + 1
        lineNumbers[ObjectIdentifier(link)] = number
        switch framed {
        case .line(let bytes): board.receive(bytes, from: link, number: number)
        case .oversized: board.receiveOversized(from: link, number: number, limit: settings.lineLimit)
        }
    }

    func markDirty(_ link: any FlushableLink) { dirty[ObjectIdentifier(link)] = link }

    func log(_ text: String) { board.log(text) }

    /// Flushes every connection written to since the last flush: one system call per connection per
    /// batch of input, not per line.
    func flushAll() {
        for link in dirty.values { link.flush() }
        dirty.removeAll(keepingCapacity: true)
        rearm()
    }

    func tick() {
        board.tick()
        flushAll()
    }

    private var wake: Scheduled<Void>?
    private var wakeAt: Instant?
    private var stopped = false

    /// Makes sure the loop wakes when the switchboard's next timer is due.
    private func rearm() {
        guard !stopped, let next = board.nextTimer else { return }
        if let at = wakeAt, at <= next { return }
        wake?.cancel()
        let delay = max(0, next - board.clock())
        wakeAt = next
        // At most a minute: a wall clock that jumps is looked at again soon.
        let me = NIOLoopBound(self, eventLoop: loop)
        wake = loop.scheduleTask(in: .nanoseconds(Int64(min(delay, 60) * 1e9) + 1_000_000)) {
            me.value.wakeAt = nil
            me.value.wake = nil
            me.value.tick()
        }
    }

    func stopTimers() {
        stopped = true
        wake?.cancel()
        wake = nil
    }

    func closeAll() {
        flushAll()
        for link in links.values { link.close() }
    }
}

/// A peer whose output is written line by line and flushed once per batch.
protocol FlushableLink: PeerLink {
    func flush()
}

/// A connection as the switchboard's peer: lines written to its channel, flushed per batch; a peer that
/// stops reading is cut off before its output grows without bound.
final class ChannelLink: FlushableLink {
    let channel: any Channel
    unowned let host: SwitchboardHost
    let label: String
    private(set) var closing = false
    /// Bytes written while the channel was over its high-water mark.
    var backlog = 0

    init(channel: any Channel, host: SwitchboardHost, label: String) {
        self.channel = channel
        self.host = host
        self.label = label
    }

    /// Output of this batch, written to the channel in one piece at `flush`.
    private var pending: ByteBuffer?

    func send(_ line: OutputLine) {
        guard !closing else { return }
        let bytes = line.encoded
        if !channel.isWritable {
            backlog += bytes.count + 1
            if backlog > host.settings.outputLimit {
                pending = nil
                cutOff()
                return
            }
        }
        if pending == nil {
            pending = channel.allocator.buffer(capacity: 4096)
            host.markDirty(self)
        }
        pending!.writeBytes(bytes)
        pending!.writeInteger(UInt8(ascii: "\n"))
    }

    func writable() { backlog = 0 }

    func flush() {
        guard let buffer = pending else { return }
        pending = nil
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// Cuts off a peer that does not read its output: nothing more is queued for it but an error line,
    /// and the connection closes once that line is out, or after ten seconds whatever the peer does.
    private func cutOff() {
        closing = true
        var out = OutputLine(
            "error", "output not read: more than \(host.settings.outputLimit) bytes waiting; disconnected")
        out.add("code", "slow_peer")
        var buffer = channel.allocator.buffer(capacity: 128)
        buffer.writeString(out.text + "\n")
        let channel = self.channel
        // Half-close after the error line: a full close with the peer's input unread would reset the
        // connection and throw away the lines still in flight, the error among them.
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(mode: .output, promise: nil) }
        channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
        host.log("\(label): peer cut off, more than \(host.settings.outputLimit) bytes of output unread")
    }

    func close() {
        guard !closing else { return }
        flush()
        closing = true
        channel.close(mode: .all, promise: nil)
    }
}

/// Feeds a connection's lines to the switchboard.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = LineSplitter.Framed

    let link: ChannelLink
    unowned let host: SwitchboardHost
    init(link: ChannelLink, host: SwitchboardHost) {
        self.link = link
        self.host = host
    }

    func channelActive(context: ChannelHandlerContext) {
        host.opened(link)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A peer that was cut off is not served any more; its input is read and dropped until it goes.
        guard !link.closing else { return }
        host.receiveLine(unwrapInboundIn(data), from: link)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        host.flushAll()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { link.writable() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        host.closed(link)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
