import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Caps open connections below the descriptor limit, so the broker answers "busy" instead of
/// running out of descriptors (libdispatch traps when its own `open` fails with EMFILE, and GRDB
/// cannot open readers). A connection past the cap gets `503` with `Retry-After: 1` to its first
/// request and is closed.
public final class ConnectionLimiter: Sendable {
    /// The most connections open at once.
    public let capacity: Int
    private let open = Mutex(0)

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Connections open now.
    public var current: Int { open.withLock { $0 } }

    /// Counts a new connection in; false when it is past the cap (it is still counted until it closes).
    func admit() -> Bool {
        open.withLock { count in
            count += 1
            return count <= capacity
        }
    }

    func release() {
        open.withLock { $0 -= 1 }
    }

    /// The cap for a process allowed `descriptorLimit` descriptors: a reserve of 64 (or a quarter of
    /// a small limit) stays for the database, the handlers' output files and the logs.
    public static func capacity(forDescriptorLimit descriptorLimit: Int) -> Int {
        max(8, descriptorLimit - min(64, descriptorLimit / 4))
    }

    /// Raises the soft limit on open descriptors to the hard one; returns the limit now in force.
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, UInt(Int32.max)))
    }

    /// The pipeline handler for one connection.
    func handler() -> ConnectionLimitHandler { ConnectionLimitHandler(limiter: self) }
}

/// Counts its connection in and out; past the cap, answers the first request 503 and closes.
final class ConnectionLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limiter: ConnectionLimiter
    private var admitted = true
    private var counted = false

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = true
        admitted = limiter.admit()
        if !admitted {
            // Past the cap a connection may ask once; one that asks nothing is closed within a
            // second, so idle sockets cannot keep the descriptors the cap protects.
            context.eventLoop.scheduleTask(in: .seconds(1)) { [weak context] in context?.close(promise: nil) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted { limiter.release() }
        counted = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !admitted else {
            context.fireChannelRead(data)
            return
        }
        guard case .end = unwrapInboundIn(data) else { return }
        let body = #"{"error":{"code":"too_many_connections","message":"the broker has as many connections open as it can serve; retry in a second"}}"#
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields[.retryAfter] = "1"
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.utf8.count)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
