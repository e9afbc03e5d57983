import Foundation

/// Signs a server's answer for the request it answers, and lets a client check that it did.
///
/// The response signature covers `@status` and `content-digest` (or `content-type` for a stream),
/// and carries `keyid`, `created`, `tag="conduit-response"` and the request's `nonce`.
public enum ResponseSignature {
    /// The `tag` of every response signature.
    public static let tag = "conduit-response"
    /// The label of every response signature.
    public static let label = "conduit"

    /// Headers to add to a response with `body`: `Content-Digest` and the signature fields.
    public static func sign(
        status: Int, body: some DataProtocol, for request: AuthenticatedRequest, key: [UInt8], now: Int64
    ) throws(AuthenticationError) -> (contentDigest: String, signature: SignatureHeaders) {
        let digest = ContentDigest.headerValue(for: body)
        var message = HTTPMessageComponents.response(status: status)
        message.addField("content-digest", digest)
        let parameters = SignatureParameters(
            components: ["@status", "content-digest"], created: now, nonce: request.nonce, keyid: request.user,
            alg: "hmac-sha256", tag: tag)
        return (digest, try MessageSigner.sign(message, parameters: parameters, key: key, label: label))
    }

    /// Signature fields for a streamed response (Server-Sent Events): it has no digest, so the
    /// signature covers `@status` and `content-type`.
    public static func signStream(
        status: Int, contentType: String, for request: AuthenticatedRequest, key: [UInt8], now: Int64
    ) throws(AuthenticationError) -> SignatureHeaders {
        var message = HTTPMessageComponents.response(status: status)
        message.addField("content-type", contentType)
        let parameters = SignatureParameters(
            components: ["@status", "content-type"], created: now, nonce: request.nonce, keyid: request.user,
            alg: "hmac-sha256", tag: tag)
        return try MessageSigner.sign(message, parameters: parameters, key: key, label: label)
    }

    /// Verifies that a streamed response (signed over `@status` and `content-type`) answers the
    /// request signed with `nonce` by `user`.
    public static func verifyStream(
        status: Int, fields: [String: [String]], user: String, nonce: String, key: [UInt8]
    ) throws(AuthenticationError) {
        let message = HTTPMessageComponents.response(status: status, fields: fields)
        try verifySignature(of: message, covering: ["@status", "content-type"], user: user, nonce: nonce, key: key)
    }

    /// Verifies that a response answers the request signed with `nonce` by `user`.
    public static func verify(
        status: Int, fields: [String: [String]], body: some DataProtocol, user: String, nonce: String, key: [UInt8]
    ) throws(AuthenticationError) {
        let message = HTTPMessageComponents.response(status: status, fields: fields)
        try verifySignature(of: message, covering: ["@status", "content-digest"], user: user, nonce: nonce, key: key)
        guard let digest = message.fieldValue("content-digest") else { throw .missingComponent("content-digest") }
        try ContentDigest.verify(headerValue: digest, body: body)
    }

    /// Checks that `message` carries a response signature for `user`'s request with `nonce`, covering
    /// at least `components`, and that its HMAC verifies.
    private static func verifySignature(
        of message: HTTPMessageComponents, covering components: [String], user: String, nonce: String, key: [UInt8]
    ) throws(AuthenticationError) {
        let candidate = try SignatureVerifier.candidate(in: message)
        let parameters = candidate.parameters
        guard parameters.tag == tag else { throw .responseMismatch("the signature's tag is not \"\(tag)\"") }
        guard parameters.nonce == nonce else { throw .responseMismatch("the signature carries another nonce") }
        guard parameters.keyid == user else { throw .responseMismatch("the signature names another keyid") }
        for component in components where !parameters.components.contains(component) {
            throw .missingComponent(component)
        }
        _ = try SignatureVerifier.verify(candidate, of: message, key: key)
    }
}
