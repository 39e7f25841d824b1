package import NIOCore

/// Splits a byte stream into lines of at most `limit` bytes (the newline, and a carriage return before
/// it, removed). A longer line is skipped up to its newline and reported once as `oversized`, so the
/// stream goes on with the next line.
package struct LineSplitter {
    package enum Framed {
        case line([UInt8])
        case oversized
    }

    let limit: Int
    private var partial: [UInt8] = []
    private var discarding = false

    package init(limit: Int = 64 * 1024) { self.limit = limit }

    /// Takes the next bytes of the stream; calls `emit` for each complete line.
    package mutating func feed(_ bytes: some Collection<UInt8>, _ emit: (Framed) -> Void) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let piece = bytes[start..<newline]
            if discarding {
                discarding = false
            } else if partial.count + piece.count > limit {
                emit(.oversized)
            } else {
                var line = partial
                line.append(contentsOf: piece)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                emit(.line(line))
            }
            partial.removeAll(keepingCapacity: true)
            start = bytes.index(after: newline)
        }
        guard !discarding else { return }
        partial.append(contentsOf: bytes[start...])
        if partial.count > limit {
            // No newline within the limit: drop what came and the rest of the line.
            emit(.oversized)
            discarding = true
            partial.removeAll()
        }
    }

    /// The end of the stream: a last line without its newline still counts.
    package mutating func finish(_ emit: (Framed) -> Void) {
        if !discarding && !partial.isEmpty {
            if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
            emit(.line(partial))
        }
        partial.removeAll()
        discarding = false
    }
}

/// `LineSplitter` in a NIO pipeline.
package struct LineFramer: ByteToMessageDecoder {
    package typealias InboundOut = LineSplitter.Framed

    private var splitter: LineSplitter

    package init(limit: Int = 64 * 1024) { splitter = LineSplitter(limit: limit) }

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes > 0 else { return .needMoreData }
        splitter.feed(buffer.readableBytesView) { context.fireChannelRead(NIOAny($0)) }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    package mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        _ = try decode(context: context, buffer: &buffer)
        if seenEOF { splitter.finish { context.fireChannelRead(NIOAny($0)) } }
        return .needMoreData
    }
}
