import ConduitCore
import Testing

/// The worked examples of docs/PROTOCOL.md, recomputed: the document and the code agree.
@Suite("docs/PROTOCOL.md examples")
struct ProtocolDocumentTests {
    static let key = Array("EXAMPLE-ONLY-agent-secret-replace-with-ccc-keygen-0000".utf8)
    static let nonce = "3q2-7wAAAAAAAAAAAAAAAA"

    @Test func theRequestExampleSignsAsDocumented() throws {
        let body = Array(#"{"action":"edit-file","filename":"hello.txt"}"#.utf8)
        #expect(ContentDigest.headerValue(for: body) == "sha-256=:P7PJ28vjR7BwHxT4AJVEYpGtFqXHOo+dT8IdOmz0k+k=:")
        var message = HTTPMessageComponents.request(method: "POST", target: "/v1/actions", authority: "127.0.0.1:3015")
        message.addField("Content-Digest", ContentDigest.headerValue(for: body))
        let parameters = SignatureParameters(
            components: RequestAuthenticator.requiredComponents + ["content-digest"], created: 1_763_726_400,
            nonce: Self.nonce, keyid: "agent", alg: "hmac-sha256")
        let headers = try MessageSigner.sign(message, parameters: parameters, key: Self.key)
        #expect(headers.signature == "sig1=:fAVSC2Zpz3DsI4J1vg0kzaxVBBhGe+Umqg0qlRS6VHg=:")
        #expect(
            headers.signatureInput
                == #"sig1=("@method" "@authority" "@path" "@query" "content-digest");created=1763726400;nonce="3q2-7wAAAAAAAAAAAAAAAA";keyid="agent";alg="hmac-sha256""#
        )
    }

    @Test func theResponseExampleSignsAsDocumented() throws {
        let body = Array(
            #"{"action":"edit-file","id":"0b0c6a2e-2f4e-4a53-9d44-3c1f0e8f7a11","result":{"exitCode":0,"stderr":"","stdout":""},"status":"completed"}"#
                .utf8)
        let signed = try ResponseSignature.sign(
            status: 200, body: body, for: AuthenticatedRequest(user: "agent", nonce: Self.nonce, label: "sig1"),
            key: Self.key, now: 1_763_726_400)
        #expect(signed.contentDigest == "sha-256=:EuUD/qcQlGxZMeoVttKCOvXtosuPST3AEEREjsX9Yps=:")
        #expect(signed.signature.signature == "conduit=:UqL5QVm7juOydTgczvDOEbebrXid8D14PDufAi2Bh4k=:")
    }
}
