import ConduitCore
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The per-request context: who signed the request (once ``SignatureMiddleware`` verified it)
/// and what the controller decided, for the single log line each request gets.
public struct ConduitRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified signer; nil before authentication.
    public var identity: AuthenticatedRequest?
    /// Signs answers for ``identity``; set together with it.
    public var responseSigner: ResponseSigner?
    /// Filled by controllers, read by the middleware when it logs the request.
    public let summary = RequestSummary()

    /// The peer's address, for the audit of refused requests.
    public let peerAddress: String?

    /// The peer's IP address alone (no port): what refusals are counted by.
    public let peerHost: String?
    /// Completes when the connection closes: a long wait whose client went away ends at once.
    public let connectionClosed: EventLoopFuture<Void>?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerHost = source.channel.remoteAddress?.ipAddress
        connectionClosed = source.channel.closeFuture
        peerAddress = source.channel.remoteAddress.map { address in
            address.ipAddress.map { ip in address.port.map { "\(ip):\($0)" } ?? ip } ?? "\(address)"
        }
    }

    /// The body limit is enforced by ``SignatureMiddleware`` with its own configured value.
    public var maxUploadSize: Int { 1024 * 1024 }
}

/// What a controller reports about a request for the log line: the action and the decision.
public final class RequestSummary: Sendable {
    private let fields = Mutex<(action: String?, decision: String?)>((nil, nil))

    public init() {}

    public func record(action: String, decision: String) {
        fields.withLock { $0 = (action, decision) }
    }

    public var action: String? { fields.withLock { $0.action } }
    public var decision: String? { fields.withLock { $0.decision } }
}
