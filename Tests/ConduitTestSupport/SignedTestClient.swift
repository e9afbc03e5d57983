import ConduitCore
import ConduitServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Signs requests for the in-process router as a real client would, and checks answers' signatures.
public struct SignedTestClient: Sendable {
    public let client: any TestClientProtocol
    public let user: String
    public let secret: String
    public var authority = "localhost"

    public init(client: any TestClientProtocol, user: String, secret: String) {
        self.client = client
        self.user = user
        self.secret = secret
    }

    /// An answer: its status, its body as JSON (`null` if it is not JSON), whether it was signed
    /// (a signature that does not verify throws instead).
    public struct Answer: Sendable {
        public var status: HTTPResponse.Status
        public var json: JSONValue
        public var signed: Bool
    }

    /// Sends a signed request; `body` is sent verbatim. `tamper` may change headers after signing.
    public func send(
        _ method: HTTPRequest.Method, _ target: String, body: String? = nil, nonce: String = MessageSigner.newNonce(),
        created: Int64 = Int64(Date().timeIntervalSince1970), tamper: (inout HTTPFields) -> Void = { _ in }
    ) async throws -> Answer {
        var message = HTTPMessageComponents.request(method: method.rawValue, target: target, authority: authority)
        var components = RequestAuthenticator.requiredComponents
        var headers: HTTPFields = [:]
        if let body {
            let digest = ContentDigest.headerValue(for: Array(body.utf8))
            message.addField("content-digest", digest)
            headers[HTTPField.Name("Content-Digest")!] = digest
            components.append("content-digest")
        }
        let signature = try MessageSigner.sign(
            message,
            parameters: SignatureParameters(components: components, created: created, nonce: nonce, keyid: user, alg: "hmac-sha256"),
            key: Array(secret.utf8))
        headers[HTTPField.Name("Signature-Input")!] = signature.signatureInput
        headers[HTTPField.Name("Signature")!] = signature.signature
        tamper(&headers)
        let response = try await client.execute(
            uri: target, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return try Self.answer(response, user: user, nonce: nonce, secret: secret)
    }

    public static func answer(_ response: TestResponse, user: String, nonce: String, secret: String) throws -> Answer {
        let bytes = Array(buffer: response.body)
        var fields: [String: [String]] = [:]
        for field in response.headers { fields[field.name.canonicalName, default: []].append(field.value) }
        var signed = false
        if fields["signature"] != nil {
            try ResponseSignature.verify(
                status: Int(response.status.code), fields: fields, body: bytes, user: user, nonce: nonce,
                key: Array(secret.utf8))
            signed = true
        }
        return Answer(status: response.status, json: (try? JSONValue.parse(bytes)) ?? .null, signed: signed)
    }
}
