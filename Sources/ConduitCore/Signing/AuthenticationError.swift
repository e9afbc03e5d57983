/// Why a signed message was not accepted. The server answers each with 401 and ``code``.
public enum AuthenticationError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    case malformedSignature(String)
    case unsupportedAlgorithm(String)
    case missingParameter(String)
    case missingComponent(String)
    case unknownKey(String)
    case invalidSignature
    case digestMismatch(String)
    case tooOld(created: Int64, maxAge: Int64)
    case inFuture(created: Int64, maxSkew: Int64)
    case expired(expires: Int64)
    case beforeServerStart(created: Int64)
    case replayed
    /// A response that does not belong to the request it answers (client side).
    case responseMismatch(String)

    /// A stable, machine-readable code for the JSON error body.
    public var code: String {
        switch self {
        case .missingSignature: "missing_signature"
        case .malformedSignature: "malformed_signature"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .missingParameter: "missing_signature_parameter"
        case .missingComponent: "missing_covered_component"
        case .unknownKey: "unknown_key"
        case .invalidSignature: "invalid_signature"
        case .digestMismatch: "content_digest_mismatch"
        case .tooOld: "signature_too_old"
        case .inFuture: "signature_in_future"
        case .expired: "signature_expired"
        case .beforeServerStart: "signature_before_server_start"
        case .replayed: "replayed_nonce"
        case .responseMismatch: "response_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .missingSignature:
            "the request has no Signature-Input and Signature header fields"
        case .malformedSignature(let reason):
            "malformed signature: \(reason)"
        case .unsupportedAlgorithm(let alg):
            "unsupported signature algorithm \"\(alg)\"; use hmac-sha256"
        case .missingParameter(let name):
            "the signature parameters lack \"\(name)\""
        case .missingComponent(let name):
            "the signature does not cover \"\(name)\""
        case .unknownKey(let keyid):
            "unknown keyid \"\(keyid)\""
        case .invalidSignature:
            "the signature does not verify"
        case .digestMismatch(let reason):
            "content digest: \(reason)"
        case .tooOld(let created, let maxAge):
            "the signature was created at \(created), more than \(maxAge) s ago; check the clock and sign each request just before sending it"
        case .inFuture(let created, let maxSkew):
            "the signature was created at \(created), more than \(maxSkew) s in the future; check the clock"
        case .expired(let expires):
            "the signature expired at \(expires)"
        case .beforeServerStart(let created):
            "the signature was created at \(created), before the server started; sign a new request"
        case .replayed:
            "this (keyid, nonce) pair was already used; every request needs a fresh nonce"
        case .responseMismatch(let reason):
            "the response does not answer this request: \(reason)"
        }
    }
}
