import Foundation
import Hummingbird
import Logging

/// One log line per `/v1` request (user, action, decision, status, duration — never a secret) and
/// the count of refusals before authentication, from what the inner layers put in
/// ``ConduitRequestContext/summary``. Runs outside ``SignatureMiddleware``.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = ConduitRequestContext

    /// Where refusals are counted (nil: not counted).
    let metrics: BrokerMetrics?

    public init(metrics: BrokerMetrics? = nil) {
        self.metrics = metrics
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let summary = context.summary
        if let refusal = summary.refusal { metrics?.authenticationFailure(reason: refusal) }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var metadata: Logger.Metadata = [
            "user": "\(summary.user ?? "-")", "action": "\(summary.action ?? "-")",
            "decision": "\(summary.decision ?? "-")", "status": "\(response.status.code)",
            "duration_ms": "\(String(format: "%.2f", milliseconds))",
        ]
        // A refused signature says why (unknown_key, invalid_signature, signature_too_old…).
        if let refusal = summary.refusal { metadata["reason"] = "\(refusal)" }
        context.logger.info("\(request.method) \(request.uri.path) \(response.status.code)", metadata: metadata)
        return response
    }
}
