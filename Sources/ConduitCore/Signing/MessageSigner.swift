import Crypto
import Foundation

/// The two header fields that carry one signature.
public struct SignatureHeaders: Sendable, Equatable {
    /// The `Signature-Input` value, e.g. `sig1=("@method" …);created=…`.
    public var signatureInput: String
    /// The `Signature` value, e.g. `sig1=:base64:`.
    public var signature: String
}

/// Signs HTTP messages with HMAC-SHA256 (RFC 9421 §3.1, `hmac-sha256`).
public enum MessageSigner {
    /// Signs `message`, covering `parameters.components`, under `label`.
    public static func sign(
        _ message: HTTPMessageComponents, parameters: SignatureParameters, key: [UInt8], label: String = "sig1"
    ) throws(AuthenticationError) -> SignatureHeaders {
        let serialized = try SignatureBase.serialize(parameters.innerList)
        let base = try SignatureBase.make(for: message, parameters: parameters, serializedParameters: serialized)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: key))
        return SignatureHeaders(
            signatureInput: "\(label)=\(serialized)",
            signature: "\(label)=:\(Data(mac).base64EncodedString()):")
    }

    /// A fresh nonce: 128 random bits, base64url.
    public static func newNonce() -> String {
        let key = SymmetricKey(size: .bits128)
        return Base64URL.encode(key.withUnsafeBytes { Data($0) })
    }
}
