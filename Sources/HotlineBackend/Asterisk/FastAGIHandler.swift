internal import NIOCore

/// One FastAGI connection in the NIO pipeline: admitted by its address, then its lines go to its
/// session. A connection that does not finish its header in time is closed.
final class FastAGIHandler: ChannelInboundHandler {
    typealias InboundIn = LineSplitter.Framed

    unowned let front: AsteriskFront
    private var session: AGISession?
    private var headerTimer: Scheduled<Void>?
    /// Seconds Asterisk has to send its header block.
    static let headerTimeout: Int64 = 10

    init(front: AsteriskFront) { self.front = front }

    func channelActive(context: ChannelHandlerContext) {
        let remote = context.channel.remoteAddress
        guard let adapter = front.admit(address: remote?.ipAddress) else {
            context.close(promise: nil)
            return
        }
        let s = AGISession(
            channel: context.channel, front: front, adapter: adapter,
            label: "fastagi \(remote?.ipAddress ?? "?"):\(remote?.port ?? 0)")
        session = s
        front.headerStarted(s)
        let me = NIOLoopBound(s, eventLoop: context.eventLoop)
        headerTimer = context.eventLoop.scheduleTask(in: .seconds(Self.headerTimeout)) {
            guard case .header = me.value.role else { return }
            me.value.fail("no complete AGI header within \(Self.headerTimeout) s")
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session else { return }
        session.reading = true
        switch unwrapInboundIn(data) {
        case .line(let bytes):
            session.receive(bytes)
            if case .header = session.role {} else { headerTimer?.cancel() }
        case .oversized: session.fail("a line longer than the AGI limit")
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let session, session.reading {
            session.reading = false
            session.pump()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        headerTimer?.cancel()
        if let session { front.connectionClosed(session) }
        session = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
