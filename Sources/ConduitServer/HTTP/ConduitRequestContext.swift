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
    /// Set when the request was signed with a run attempt's credential: what it may do is limited.
    public var runScope: RunScope?
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

/// What the layers learn about a request for its log line and metrics: who sent it (the signature
/// middleware), why it was refused before anyone was known (the same), its action and decision
/// (the controllers). Shared by every copy of the request's context.
public final class RequestSummary: Sendable {
    private struct Fields {
        var user: String?
        var refusal: String?
        var action: String?
        var decision: String?
    }

    private let fields = Mutex(Fields())

    public init() {}

    public func record(action: String, decision: String) {
        fields.withLock {
            $0.action = action
            $0.decision = decision
        }
    }

    /// The authenticated user.
    public func record(user: String) { fields.withLock { $0.user = user } }

    /// The code of a refusal before authentication (401, 413).
    public func record(refusal code: String) { fields.withLock { $0.refusal = code } }

    public var user: String? { fields.withLock { $0.user } }
    public var refusal: String? { fields.withLock { $0.refusal } }
    public var action: String? { fields.withLock { $0.action } }
    public var decision: String? { fields.withLock { $0.decision } }
}
