/// The identity a request proved, and the nonce its response must echo.
public struct AuthenticatedRequest: Sendable, Equatable {
    /// The user named by `keyid`.
    public var user: String
    /// The request's nonce; the signed response carries it back.
    public var nonce: String
    /// The label the request was signed under.
    public var label: String

    public init(user: String, nonce: String, label: String) {
        self.user = user
        self.nonce = nonce
        self.label = label
    }
}

/// The server's acceptance rules for signed requests (docs/PROTOCOL.md).
///
/// A request must cover `@method`, `@authority`, `@path` and `@query` (and `content-digest` when it
/// has a body), carry `created`, `nonce` and `keyid`, be fresh, verify, and not be a replay.
public struct RequestAuthenticator: Sendable {
    /// Components every request signature must cover.
    public static let requiredComponents = ["@method", "@authority", "@path", "@query"]

    /// How old `created` may be, in seconds.
    public var maxAge: Int64
    /// How far `created` may be in the future, in seconds.
    public var maxSkew: Int64
    /// The first Unix second whose requests are accepted; earlier ones are refused. `ccc-server`
    /// sets it to the second *after* its start and listens only from then on: accepted nonces are
    /// kept in memory, so without that a request accepted by the previous process in the same
    /// second as a restart (`kill -9`, then a new start) could be replayed.
    public var startedAt: Int64
    /// When set, ``startedAt`` follows steps of the wall clock (see ``ServerStart``).
    public var serverStart: ServerStart?
    /// Seen `(keyid, nonce)` pairs.
    public let nonces: NonceCache

    public init(maxAge: Int64 = 30, maxSkew: Int64 = 5, startedAt: Int64, nonces: NonceCache = NonceCache()) {
        self.maxAge = maxAge
        self.maxSkew = maxSkew
        self.startedAt = startedAt
        self.nonces = nonces
    }

    /// An authenticator for a server that started at `start`.
    public init(maxAge: Int64 = 30, maxSkew: Int64 = 5, start: ServerStart, nonces: NonceCache = NonceCache()) {
        self.init(maxAge: maxAge, maxSkew: maxSkew, startedAt: start.firstAcceptedSecond, nonces: nonces)
        serverStart = start
    }

    /// Authenticates one request.
    /// - Parameters:
    ///   - message: the request's components, including `Signature-Input`, `Signature`, `Content-Digest`.
    ///   - body: the exact body bytes received.
    ///   - secrets: the users known now.
    ///   - now: the current Unix time in seconds.
    public func authenticate(
        _ message: HTTPMessageComponents, body: [UInt8], secrets: Secrets, now: Int64
    ) throws(AuthenticationError) -> AuthenticatedRequest {
        try authenticate(message, body: body, key: { secrets[$0]?.keyBytes }, now: now)
    }

    /// Authenticates one request against the keys `key` knows (a keyid → its HMAC key; nil for an
    /// unknown keyid): the secrets file's users, and the credentials minted for supervised runs.
    public func authenticate(
        _ message: HTTPMessageComponents, body: [UInt8], key: (String) -> [UInt8]?, now: Int64
    ) throws(AuthenticationError) -> AuthenticatedRequest {
        let candidate = try SignatureVerifier.candidate(in: message)
        let parameters = candidate.parameters
        guard let created = parameters.created else { throw .missingParameter("created") }
        guard let nonce = parameters.nonce else { throw .missingParameter("nonce") }
        guard let keyid = parameters.keyid else { throw .missingParameter("keyid") }
        guard !nonce.isEmpty, nonce.utf8.count <= 256 else {
            throw .malformedSignature("the nonce must have 1 to 256 characters")
        }
        if let alg = parameters.alg, alg != "hmac-sha256" { throw .unsupportedAlgorithm(alg) }
        var required = Self.requiredComponents
        if !body.isEmpty || message.fields["content-digest"] != nil { required.append("content-digest") }
        for component in required where !parameters.components.contains(component) {
            throw .missingComponent(component)
        }
        guard let keyBytes = key(keyid) else { throw .unknownKey(keyid) }
        let firstAccepted = serverStart?.firstAcceptedSecond(wallNow: Double(now)) ?? startedAt
        if created < firstAccepted { throw .beforeServerStart(created: created) }
        if now - created > maxAge { throw .tooOld(created: created, maxAge: maxAge) }
        if created - now > maxSkew { throw .inFuture(created: created, maxSkew: maxSkew) }
        if let expires = parameters.expires, expires < now { throw .expired(expires: expires) }

        let verified = try SignatureVerifier.verify(candidate, of: message, key: keyBytes)
        if let digest = message.fieldValue("content-digest") {
            try ContentDigest.verify(headerValue: digest, body: body)
        }
        // Only a verified request may consume its nonce: forged requests cannot burn genuine nonces.
        let rememberUntil = min(created + maxAge, parameters.expires ?? Int64.max)
        guard nonces.insert(keyid: keyid, nonce: nonce, until: rememberUntil, now: now) else { throw .replayed }
        return AuthenticatedRequest(user: keyid, nonce: nonce, label: verified.label)
    }
}
