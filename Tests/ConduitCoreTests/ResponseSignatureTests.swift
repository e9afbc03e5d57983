import ConduitCore
import Testing

/// Responses are bound to the request they answer by its nonce.
@Suite("Response signatures")
struct ResponseSignatureTests {
    let key = Array("agent-secret-that-is-long-enough-0123456789".utf8)
    let request = AuthenticatedRequest(user: "agent", nonce: "request-nonce", label: "sig1")
    let body = Array(#"{"id":"1","status":"completed"}"#.utf8)

    func signedFields(status: Int = 200) throws -> [String: [String]] {
        let signed = try ResponseSignature.sign(status: status, body: body, for: request, key: key, now: 1000)
        return [
            "content-digest": [signed.contentDigest], "signature-input": [signed.signature.signatureInput],
            "signature": [signed.signature.signature],
        ]
    }

    @Test func aGenuineResponseVerifies() throws {
        let fields = try signedFields()
        #expect(fields["signature-input"]![0].contains(#"tag="conduit-response""#))
        #expect(fields["signature-input"]![0].contains(#"nonce="request-nonce""#))
        try ResponseSignature.verify(status: 200, fields: fields, body: body, user: "agent", nonce: "request-nonce", key: key)
    }

    @Test func aResponseForAnotherRequestIsRefused() throws {
        #expect(throws: AuthenticationError.self) {
            try ResponseSignature.verify(
                status: 200, fields: try signedFields(), body: body, user: "agent", nonce: "my-nonce", key: key)
        }
    }

    @Test func aChangedStatusIsRefused() throws {
        #expect(throws: AuthenticationError.invalidSignature) {
            try ResponseSignature.verify(
                status: 202, fields: try signedFields(), body: body, user: "agent", nonce: "request-nonce", key: key)
        }
    }

    @Test func aChangedBodyIsRefused() throws {
        #expect(throws: AuthenticationError.self) {
            try ResponseSignature.verify(
                status: 200, fields: try signedFields(), body: Array(#"{"id":"1","status":"denied"}"#.utf8),
                user: "agent", nonce: "request-nonce", key: key)
        }
    }

    @Test func aResponseSignedWithAnotherKeyIsRefused() throws {
        #expect(throws: AuthenticationError.invalidSignature) {
            try ResponseSignature.verify(
                status: 200, fields: try signedFields(), body: body, user: "agent", nonce: "request-nonce",
                key: Array("another-secret-that-is-long-enough-012345".utf8))
        }
    }
}
