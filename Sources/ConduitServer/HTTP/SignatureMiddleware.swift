import ConduitCore
import ConduitStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Authenticates every request under `/v1` (RFC 9421, docs/PROTOCOL.md), signs every answer, and
/// audits what it refuses; ``RequestLogMiddleware`` (outside it) logs and counts.
///
/// - A body above the limit: 413, unsigned (refused before authentication).
/// - A signature that is missing, malformed, stale, replayed or wrong: 401, unsigned.
/// - Otherwise the request reaches its route with ``ConduitRequestContext/identity`` set, and the
///   answer — success or error — is signed with the requester's secret, echoing its nonce.
public struct SignatureMiddleware: RouterMiddleware {
    public typealias Context = ConduitRequestContext

    let state: BrokerState
    let authenticator: RequestAuthenticator
    let bodyLimit: Int
    /// Where refusals are audited (nil: not audited).
    let store: ConduitStore?
    /// How many refusals are audited in full (the rest are summarised).
    let refusals: RefusalBudget

    /// The credentials of active run attempts (keyids the secrets file does not know).
    let runCredentials: RunCredentials?

    public init(
        state: BrokerState, authenticator: RequestAuthenticator, bodyLimit: Int, store: ConduitStore? = nil,
        refusals: RefusalBudget = RefusalBudget(), runCredentials: RunCredentials? = nil
    ) {
        self.runCredentials = runCredentials
        self.state = state
        self.authenticator = authenticator
        self.bodyLimit = bodyLimit
        self.store = store
        self.refusals = refusals
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        let response: Response
        var user: String?
        do {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: bodyLimit)
            } catch {
                throw APIError.bodyTooLarge(limit: bodyLimit)
            }
            let secrets = state.snapshot.secrets
            let credentials = runCredentials
            var identity: AuthenticatedRequest
            do {
                identity = try authenticator.authenticate(
                    Self.components(of: request), body: Array(buffer: body),
                    key: { secrets[$0]?.keyBytes ?? credentials?[$0]?.key }, now: Int64(Date().timeIntervalSince1970))
            } catch {
                throw error.apiError
            }
            var context = context
            let signer: ResponseSigner
            if let secret = secrets[identity.user] {
                signer = ResponseSigner(identity: identity, key: secret.keyBytes)
            } else if let credential = credentials?[identity.user] {
                // An attempt's credential acts as the run's submitter, within the run's scope; the
                // answer is signed for the keyid that asked.
                signer = ResponseSigner(identity: identity, key: credential.key)
                identity.user = credential.submitter
                context.runScope = credential.scope
            } else {
                throw APIError.internalError
            }
            user = identity.user
            context.summary.record(user: identity.user)
            context.identity = identity
            context.responseSigner = signer
            do {
                if let scope = context.runScope, !RunScope.allows(method: request.method.rawValue, path: request.uri.path) {
                    throw RunError.forbidden(
                        "the credential of attempt \(scope.attempt) of run \(scope.run) may only submit tool-use and the catalog's actions, and read or withdraw its own requests")
                }
                let answer = try await next(request, context)
                // Controllers sign where they build the body; anything else is signed here.
                response = answer.headers[.signature] != nil ? answer : try await signer.sign(answer)
            } catch {
                let failure = APIError.answering(error, logger: context.logger)
                var answer = try JSONResponse.make(failure.status, failure.json, signer: signer)
                if let seconds = failure.retryAfter { answer.headers[.retryAfter] = String(seconds) }
                response = answer
            }
        } catch {
            // Refusals before authentication (401, 413) and a failure to sign go out unsigned.
            let failure = APIError.answering(error, logger: context.logger)
            if user == nil {
                context.summary.record(refusal: failure.code)
                await auditRefusal(request, failure: failure, context: context)
            }
            response = (try? JSONResponse.make(failure.status, failure.json)) ?? Response(status: failure.status)
        }
        return response
    }

    /// Records a request refused before authentication: the keyid it claims (if its signature
    /// fields parse), the peer, the reason — never the signature or anything secret.
    ///
    /// Nobody has proved who they are here, so what one refusal stores is bounded (each text field
    /// cut to ``AuditField/limit`` bytes, marked as cut) and so is how many are stored
    /// (``RefusalBudget``: a few per peer and window in full, the rest as one summary row).
    private func auditRefusal(_ request: Request, failure: APIError, context: Context) async {
        guard let store else { return }
        let now = Date()
        let admission = refusals.admit(peer: context.peerHost ?? "unknown", now: Int64(now.timeIntervalSince1970))
        if let summary = admission.summary { await Self.auditSummary(summary, store: store, logger: context.logger) }
        guard admission.record else { return }
        let claimed = try? SignatureVerifier.candidate(in: Self.components(of: request)).parameters.keyid
        var detail: [String: JSONValue] = [
            "method": .string(AuditField.cut(request.method.rawValue)), "path": .string(AuditField.cut(request.uri.path)),
            "reason": .string(AuditField.cut(failure.message)), "status": .integer(Int64(failure.status.code)),
        ]
        if let peer = context.peerAddress { detail["peer"] = .string(AuditField.cut(peer)) }
        let entry = AuditEntry(
            timeMilliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), event: AuditEvent.requestRefused.rawValue,
            user: claimed.map { AuditField.cut($0) }, outcome: failure.code, detail: .object(detail))
        do {
            try await store.audit(entry)
        } catch {
            context.logger.error("could not audit a refused request: \(error)")
        }
    }

    /// One row for the refusals of a window that were counted but not recorded.
    static func auditSummary(_ summary: RefusalBudget.Summary, store: ConduitStore, logger: Logger) async {
        let peers = summary.peers.mapValues { JSONValue.integer(Int64($0)) }
        let entry = AuditEntry(
            timeMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)),
            event: AuditEvent.requestRefusedSummary.rawValue, user: nil, outcome: "suppressed",
            detail: [
                "suppressed": .integer(Int64(summary.suppressed)), "peers": .object(peers),
                "peerCount": .integer(Int64(summary.peerCount)),
                "from": .string(ActionRecord.format(Date(timeIntervalSince1970: TimeInterval(summary.from)))),
                "until": .string(ActionRecord.format(Date(timeIntervalSince1970: TimeInterval(summary.until)))),
                "reason": .string("\(summary.suppressed) more refusals from \(summary.peerCount) peer(s) were counted, not recorded one by one"),
            ])
        do {
            try await store.audit(entry)
        } catch {
            logger.error("could not audit a summary of refused requests: \(error)")
        }
    }

    /// The request as RFC 9421 sees it: raw target (percent-encoding kept), authority, header fields.
    static func components(of request: Request) -> HTTPMessageComponents {
        var fields: [String: [String]] = [:]
        for field in request.headers {
            fields[field.name.canonicalName, default: []].append(field.value)
        }
        return .request(
            method: request.method.rawValue, target: request.head.path ?? "/", authority: request.head.authority ?? "",
            fields: fields)
    }
}

extension HTTPField.Name {
    static let signature = Self("Signature")!
    static let signatureInput = Self("Signature-Input")!
    static let contentDigest = Self("Content-Digest")!
}
