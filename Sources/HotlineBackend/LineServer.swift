internal import DequeModule
internal import Foundation
package import HotlineCore
package import HotlineStore
package import Logging
internal import NIOCore
internal import NIOPosix
internal import ServiceLifecycle

#if canImport(Glibc)
    internal import Glibc
#endif

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

    /// Whether `host` is a literal loopback address (127.0.0.0/8 or ::1). A name is not: it may
    /// resolve to anything.
    package static func isLoopback(_ host: String) -> Bool {
        if host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in p.count <= 3 && !p.isEmpty && p.allSatisfy(\.isNumber) && Int(p)! <= 255 }
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
        /// How the clock runs, and where an accelerated or manual clock starts.
        package var clock: ClockMode = .wall
        package var clockStart: Instant?
        /// A line longer than this is refused (and skipped).
        package var lineLimit = 64 * 1024
        /// A peer that cannot take more than this many bytes of output is cut off.
        package var outputLimit = 16 * 1024 * 1024
        /// Connections at once over sockets; one more is told so and closed.
        package var maxConnections = 256
        /// Real seconds a socket connection has to say hello before it is closed.
        package var helloTimeout: Double = 5
        /// Real time one connection's lines may hold the event loop before the others have a turn.
        package var turn: Double = 0.001
        /// Where Asterisk's FastAGI connections come in (`--fastagi`), and how the front talks to it.
        package var fastagi: [Listener] = []
        package var asterisk = AsteriskSettings()
        /// With a peers file: the adapter name of each address a `fastagi_from` admits.
        package var fastagiAdmitted: [String: String] = [:]

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
        let logger = self.logger
        let host = try await loop.submit { [model, store, settings] in
            try Self.makeHost(model: model, store: store, settings: settings, loop: loop, logger: logger)
        }.get()
        let stopped = loop.makePromise(of: Void.self)
        var channels: [any Channel] = []
        var sockets: [UnixSocketFile] = []
        do {
            for listener in settings.listeners where listener != .stdio {
                if case .unix(let path) = listener { sockets.append(try UnixSocketFile.claim(path)) }
                let channel = try await bind(listener, host: host, group: group)
                if case .unix = listener { try sockets[sockets.count - 1].secure() }
                channels.append(channel)
            }
            if !settings.fastagi.isEmpty {
                let front = try await loop.submit { [settings] in
                    NIOLoopBound(
                        AsteriskFront(
                            settings: settings.asterisk, host: host.value,
                            admitted: settings.fastagiAdmitted),
                        eventLoop: loop)
                }.get()
                for listener in settings.fastagi {
                    channels.append(try await bindFastAGI(listener, front: front, group: group))
                }
            }
        } catch {
            stopped.succeed()
            for c in channels { try? await c.close() }
            for s in sockets { s.remove() }
            try? await group.shutdownGracefully()
            throw error as? ServeError ?? ServeError("cannot listen: \(error)")
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
        // the next one is due; an idle server sleeps. A manual clock moves only on `advance`.
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
        for s in sockets { s.remove() }
        try await group.shutdownGracefully()
        logger.info("stopped")
    }

    /// The switchboard on its clock, and the host that connects it to the event loop.
    private static func makeHost(
        model: CityModel, store: CaseStore, settings: Settings, loop: any EventLoop, logger: Logger
    ) throws -> NIOLoopBound<SwitchboardHost> {
        let later = HostReference()
        let clock = ServerClock(mode: settings.clock, utcOffsetHours: model.utcOffsetHours, start: settings.clockStart)
        let wake: @Sendable () -> Void = {
            // What the store hands back (acknowledgements of durable changes) runs on the loop and is
            // flushed to the peers at once.
            loop.execute {
                guard let host = later.host else { return }
                host.board.runAcks()
                host.flushAll()
            }
        }
        let setClock: ((Instant) -> Void)? = settings.clock == .manual ? { clock.set($0) } : nil
        let board = try Switchboard(
            model: model, store: store, options: settings.options, clock: { clock.now() },
            clockMode: settings.clock, setClock: setClock, wake: wake, log: { logger.info("\($0)") })
        let host = SwitchboardHost(board: board, clock: clock, settings: settings, loop: loop)
        later.host = host
        return NIOLoopBound(host, eventLoop: loop)
    }

    /// A FastAGI listener: Asterisk connects once per channel; lines are AGI, not JSON.
    private func bindFastAGI(
        _ listener: Listener, front: NIOLoopBound<AsteriskFront>, group: MultiThreadedEventLoopGroup
    ) async throws -> any Channel {
        guard case .tcp(let hostName, let port) = listener else {
            throw ServeError("--fastagi takes tcp:HOST:PORT, not \(listener)")
        }
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                // No read timeout on a call (a conference lasts as long as it lasts): TCP keepalive
                // finds a dead peer instead.
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Asterisk reads at most 8192 bytes of a command; its replies and header lines are
                        // shorter than this.
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFramer(limit: 16 * 1024)))
                        try channel.pipeline.syncOperations.addHandler(FastAGIHandler(front: front.value))
                    }
                }
                .bind(host: hostName, port: port).get()
            onBound("fastagi tcp:\(hostName):\(channel.localAddress?.port ?? port)")
            return channel
        } catch let error as IOError {
            throw ServeError("cannot listen on fastagi \(listener): \(String(cString: strerror(error.errnoCode)))")
        } catch {
            throw ServeError("cannot listen on fastagi \(listener): \(error)")
        }
    }

    private func bind(
        _ listener: Listener, host: NIOLoopBound<SwitchboardHost>, group: MultiThreadedEventLoopGroup
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
        do {
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
                let previous = umask(0o177)
                defer { umask(previous) }
                let channel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.backlog, value: 256)
                    .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
                    .childChannelInitializer(initialise)
                    .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false).get()
                onBound("unix:\(path)")
                return channel
            }
        } catch let error as IOError {
            throw ServeError("cannot listen on \(listener): \(String(cString: strerror(error.errnoCode)))")
        } catch {
            throw ServeError("cannot listen on \(listener): \(error)")
        }
    }
}

/// A Unix socket file the server owns: it never deletes a live server's socket, creates its own
/// 0600 whatever the umask, and removes it at the end only if it is still its own.
struct UnixSocketFile: Sendable {
    let path: String
    var inode: UInt64 = 0

    /// Makes way for a new socket at `path`: a stale socket (nobody listening) is removed; a live one,
    /// or a file that is not a socket, stops the server.
    static func claim(_ path: String) throws -> UnixSocketFile {
        // A path too long for a socket address is refused before anything is touched: it could not be
        // probed, and a live socket must never be taken for a stale one.
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw ServeError(
                "cannot listen on unix:\(path): the path is longer than a socket address holds (\(MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1) bytes)"
            )
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw ServeError(
                    "cannot listen on unix:\(path): it is a file, not a socket; remove it or choose another path")
            }
            if Self.isLive(path) {
                throw ServeError("cannot listen on unix:\(path): another server is listening there")
            }
            unlink(path)
        }
        return UnixSocketFile(path: path)
    }

    /// Whether a server accepts connections at `path`.
    private static func isLive(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// The socket is 0600 (bound under a 0177 umask, and set again), and remembered by its inode.
    mutating func secure() throws {
        chmod(path, 0o600)
        var info = stat()
        guard lstat(path, &info) == 0 else { throw ServeError("cannot listen on unix:\(path): the socket vanished") }
        inode = UInt64(info.st_ino)
    }

    /// Removes the socket file if it is still the one this server made.
    func remove() {
        var info = stat()
        guard inode != 0, lstat(path, &info) == 0, UInt64(info.st_ino) == inode else { return }
        unlink(path)
    }
}

/// The host, for closures made before it exists; only read on the event loop.
final class HostReference: @unchecked Sendable {
    weak var host: SwitchboardHost?
}

/// The switchboard and the connections' output, on the event loop.
final class SwitchboardHost {
    let board: Switchboard
    let clock: ServerClock
    let settings: LineServer.Settings
    let loop: any EventLoop
    private var dirty: [ObjectIdentifier: any FlushableLink] = [:]
    private var links: [ObjectIdentifier: any FlushableLink] = [:]
    /// Input line numbers, by connection.
    private var lineNumbers: [ObjectIdentifier: Int] = [:]
    /// Socket connections open now (stdio is not counted).
    private(set) var sockets = 0

    init(board: Switchboard, clock: ServerClock, settings: LineServer.Settings, loop: any EventLoop) {
        self.board = board
        self.clock = clock
        self.settings = settings
        self.loop = loop
    }

    /// A socket connection wants in; false when the server is full.
    func admit() -> Bool {
        guard sockets < settings.maxConnections else { return false }
        sockets += 1
        return true
    }

    func opened(_ link: any FlushableLink) {
        links[ObjectIdentifier(link)] = link
        board.connect(link)
    }

    func closed(_ link: any FlushableLink, socket: Bool) {
        guard links.removeValue(forKey: ObjectIdentifier(link)) != nil else { return }
        if socket { sockets -= 1 }
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
        // A link's flush may write to others (the FastAGI front answers within it): their lines are
        // flushed in the next round, never dropped.
        while !dirty.isEmpty {
            let batch = dirty
            dirty.removeAll(keepingCapacity: true)
            for link in batch.values { link.flush() }
        }
        rearm()
    }

    func tick() {
        board.tick()
        flushAll()
    }

    private var wake: Scheduled<Void>?
    private var wakeAt: Instant?
    private var stopped = false

    /// Makes sure the loop wakes when the switchboard's next timer is due (never for a manual clock,
    /// which only `advance` moves).
    private func rearm() {
        guard !stopped, let next = board.nextTimer, let delay = clock.realDelay(until: next) else { return }
        if let at = wakeAt, at <= next { return }
        wake?.cancel()
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

    /// Run when the server stops (the FastAGI front logs its figures).
    var atStop: [() -> Void] = []

    func closeAll() {
        for report in atStop { report() }
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
        // The bytes really waiting for the peer: queued in the channel, and this batch's. A peer that
        // reads, however slowly it is asked for much, keeps this down; one that stops does not.
        if !channel.isWritable,
            (try? channel.syncOptions?.getOption(.bufferedWritableBytes)).map({ $0 + (pending?.readableBytes ?? 0) })
                ?? 0 > host.settings.outputLimit
        {
            pending = nil
            cutOff()
            return
        }
        if pending == nil {
            pending = channel.allocator.buffer(capacity: 4096)
            host.markDirty(self)
        }
        pending!.writeBytes(bytes)
        pending!.writeInteger(UInt8(ascii: "\n"))
    }

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
        // Half-close first, so that the lines already written (an error among them) are not reset away.
        let channel = self.channel
        channel.close(mode: .output, promise: nil)
        channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
    }

    /// One error line, then the connection closes (a full server, a peer that never said hello).
    func refuse(code: String, _ message: String) {
        guard !closing else { return }
        var out = OutputLine("error", message)
        out.add("code", code)
        pending = nil
        closing = true
        var buffer = channel.allocator.buffer(capacity: 160)
        buffer.writeString(out.text + "\n")
        let channel = self.channel
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(mode: .output, promise: nil) }
        channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
    }
}

/// Feeds a connection's lines to the switchboard, a turn at a time: a peer that sends a flood of
/// requests holds the event loop for at most `Settings.turn` before the other connections are served,
/// and is not read further until its backlog is worked off.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = LineSplitter.Framed

    let link: ChannelLink
    unowned let host: SwitchboardHost
    private var backlog = Deque<LineSplitter.Framed>()
    private var turnScheduled = false
    private var admitted = false
    private var helloTimer: Scheduled<Void>?

    init(link: ChannelLink, host: SwitchboardHost) {
        self.link = link
        self.host = host
    }

    func channelActive(context: ChannelHandlerContext) {
        guard host.admit() else {
            link.refuse(
                code: "too_many_connections",
                "the server has \(host.settings.maxConnections) connections already (--max-connections); try again later"
            )
            return
        }
        admitted = true
        host.opened(link)
        let timeout = host.settings.helloTimeout
        let me = NIOLoopBound(self, eventLoop: context.eventLoop)
        helloTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout * 1e9))) {
            let handler = me.value
            guard !handler.host.board.hasSaidHello(handler.link) else { return }
            handler.link.refuse(code: "hello_timeout", "no hello within \(timeout) s; the connection is closed")
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A peer that was cut off is not served any more; its input is read and dropped until it goes.
        guard admitted, !link.closing else { return }
        backlog.append(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        takeTurn(context: context)
        context.fireChannelReadComplete()
    }

    /// Works off the backlog until the turn is used up; the rest waits for the next turn, and the
    /// connection is not read meanwhile.
    private func takeTurn(context: ChannelHandlerContext) {
        let start = DispatchTime.now().uptimeNanoseconds
        let budget = UInt64(host.settings.turn * 1e9)
        while let line = backlog.popFirst() {
            guard !link.closing else {
                backlog.removeAll()
                break
            }
            host.receiveLine(line, from: link)
            if DispatchTime.now().uptimeNanoseconds - start > budget { break }
        }
        host.flushAll()
        if backlog.isEmpty {
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        } else {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
            guard !turnScheduled else { return }
            turnScheduled = true
            let me = NIOLoopBound(self, eventLoop: context.eventLoop)
            let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
            // Not `execute`: the event loop runs the tasks queued while it runs tasks before it looks
            // at the sockets again, so a task that queues itself would shut out every other peer. A
            // task due a tenth of a millisecond later lets the loop serve the sockets first.
            context.eventLoop.scheduleTask(in: .microseconds(100)) {
                me.value.turnScheduled = false
                me.value.takeTurn(context: ctx.value)
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        helloTimer?.cancel()
        backlog.removeAll()
        if admitted { host.closed(link, socket: true) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
