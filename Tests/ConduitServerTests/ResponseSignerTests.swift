import ConduitCore
import ConduitTestSupport
import Hummingbird
import NIOCore
import Testing

@testable import ConduitServer

/// A response not built by `JSONResponse` (the middleware's fallback) is signed after reading its body.
@Suite("Response signer")
struct ResponseSignerTests {
    @Test func aResponseBuiltElsewhereIsSignedOverItsExactBody() async throws {
        let key = Array(BrokerFixture.agentSecret.utf8)
        let signer = ResponseSigner(identity: AuthenticatedRequest(user: "agent", nonce: "n-7", label: "sig1"), key: key)
        let body = #"{"plain":true}"#
        let plain = Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        let signed = try await signer.sign(plain)
        var fields: [String: [String]] = [:]
        for field in signed.headers { fields[field.name.canonicalName, default: []].append(field.value) }
        try ResponseSignature.verify(status: 200, fields: fields, body: Array(body.utf8), user: "agent", nonce: "n-7", key: key)
        let sink = CollectingBodyWriter.BufferSink()
        try await signed.body.write(CollectingBodyWriter(sink: sink))
        #expect(String(buffer: sink.buffer) == body)
    }
}
