internal import Foundation
package import HotlineBackend
internal import NIOCore
internal import NIOPosix

/// A line relay between an operator desktop and `hotline serve`, which reports every line it passes.
///
/// `hotline rehearse --serve` puts it in front of the live backend: the trainee's own desktop connects
/// to the relay as to the centre, every line goes through (the server validates and answers it), and
/// the rehearsal scores the lines the server accepted. Each desktop connection gets its own connection
/// to the server, so the server's `input_line` numbers match the desktop's lines.
///
/// The server runs with a peers file, and the relay signs each desk's `hello` with the desk's name and
/// secret: whatever a desk says, it is that one desktop peer, with that peer's rights only (no other
/// role, no clock). A hello the relay cannot read goes through unsigned, and the server refuses it.
package final class DeskRelay: @unchecked Sendable {
    /// A line that passed: from the desktop (`toServer`) or from the server, with the desktop
    /// connection's number and, for a desktop line, its number on that connection.
    package struct Passed: Sendable {
        package var connection: Int
        package var toServer: Bool
        package var line: Int
        package var bytes: [UInt8]
    }

    private let group: MultiThreadedEventLoopGroup
    private var channel: (any Channel)?
    /// Where the relay listens, as bound (a port 0 becomes the port chosen).
    package private(set) var address: Listener

    // `condition` guards `passed`.
    private let condition = NSCondition()
    private var passed: [Passed] = []
    private var connections = 0

    /// The name and secret every desk's hello is signed with.
    let identity: (name: String, secret: String)

    /// Listens on `address` and relays each connection to the server at `server`, signing each desk's
    /// hello as `identity`.
    package init(listening address: Listener, server: Listener, identity: (name: String, secret: String)) throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.address = address
        self.identity = identity
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [weak self] desk in
                guard let self else { return desk.eventLoop.makeSucceededVoidFuture() }
                return self.connect(desk, to: server)
            }
        do {
            switch address {
            case .tcp(let host, let port):
                let bound = try bootstrap.bind(host: host, port: port).wait()
                channel = bound
                self.address = .tcp(host: host, port: bound.localAddress?.port ?? port)
            case .unix(let path):
                channel = try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait()
            case .stdio:
                throw DriveError("the desk listens on tcp:HOST:PORT or unix:PATH")
            }
        } catch let error as DriveError {
            try? group.syncShutdownGracefully()
            throw error
        } catch let error as IOError {
            try? group.syncShutdownGracefully()
            throw DriveError("cannot listen on \(address): \(String(cString: strerror(error.errnoCode)))")
        } catch {
            try? group.syncShutdownGracefully()
            throw DriveError("cannot listen on \(address): \(error)")
        }
    }

    /// The lines passed since the last call, in order.
    package func take() -> [Passed] {
        condition.lock()
        defer { condition.unlock() }
        let lines = passed
        passed.removeAll()
        return lines
    }

    /// Waits up to `timeout` seconds for a line to pass.
    package func wait(timeout: Double) {
        condition.lock()
        defer { condition.unlock() }
        if passed.isEmpty { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
    }

    package func close() {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    fileprivate func report(_ line: Passed) {
        condition.lock()
        passed.append(line)
        condition.signal()
        condition.unlock()
    }

    /// Opens the desk's own connection to the server and joins the two, line by line.
    private func connect(_ desk: any Channel, to server: Listener) -> EventLoopFuture<Void> {
        condition.lock()
        connections += 1
        let number = connections
        condition.unlock()
        let toDesk = RelayHandler(relay: self, connection: number, toServer: false, peer: desk)
        let client = ClientBootstrap(group: desk.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFramer(limit: 16 * 1024 * 1024)))
                    try channel.pipeline.syncOperations.addHandler(toDesk)
                }
            }
        let connected: EventLoopFuture<any Channel>
        switch server {
        case .unix(let path): connected = client.connect(unixDomainSocketPath: path)
        case .tcp(let host, let port): connected = client.connect(host: host, port: port)
        case .stdio: return desk.eventLoop.makeFailedFuture(DriveError("the server is on a socket"))
        }
        return connected.flatMap { upstream in
            desk.eventLoop.makeCompletedFuture {
                try desk.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(LineFramer(limit: 16 * 1024 * 1024)))
                try desk.pipeline.syncOperations.addHandler(
                    RelayHandler(relay: self, connection: number, toServer: true, peer: upstream))
            }
        }
    }
}

/// Passes each line read on its channel to `peer`, reporting it; either side closing closes the other.
private final class RelayHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = LineSplitter.Framed
    let relay: DeskRelay
    let connection: Int
    let toServer: Bool
    let peer: any Channel
    private var lines = 0

    init(relay: DeskRelay, connection: Int, toServer: Bool, peer: any Channel) {
        self.relay = relay
        self.connection = connection
        self.toServer = toServer
        self.peer = peer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(var bytes) = unwrapInboundIn(data) else {
            // Over 16 MiB: no desk sends such a line; the connection is closed rather than misnumbered.
            context.close(promise: nil)
            return
        }
        if toServer {
            lines += 1
            if var hello = Self.hello(bytes) {
                hello["name"] = relay.identity.name
                hello["secret"] = relay.identity.secret
                if let signed = try? JSONSerialization.data(withJSONObject: hello) { bytes = Array(signed) }
            }
        }
        relay.report(.init(connection: connection, toServer: toServer, line: toServer ? lines : 0, bytes: bytes))
        var buffer = peer.allocator.buffer(capacity: bytes.count + 1)
        buffer.writeBytes(bytes)
        buffer.writeInteger(UInt8(ascii: "\n"))
        peer.writeAndFlush(buffer, promise: nil)
    }

    /// The line as an object when it is a hello.
    private static func hello(_ bytes: [UInt8]) -> [String: Any]? {
        // Cheap first: only a line that mentions hello is parsed.
        guard bytes.count < 65_536, String(decoding: bytes, as: UTF8.self).contains("hello") || bytes.contains(92),
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
            object["event"] as? String == "hello"
        else { return nil }
        return object
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
