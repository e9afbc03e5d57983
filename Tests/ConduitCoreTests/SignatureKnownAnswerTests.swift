import ConduitCore
import Foundation
import Testing

/// RFC 9421 Appendix B.2.5: hmac-sha256 over `date`, `@authority`, `content-type` of the test request.
@Suite("RFC 9421 B.2.5 known answer")
struct SignatureKnownAnswerTests {
    /// Appendix B.1.5, the `test-shared-secret` key (base64).
    static let sharedSecret = Array(
        Data(
            base64Encoded:
                "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==")!)

    static let message = HTTPMessageComponents.request(
        method: "POST", target: "/foo?param=Value&Pet=dog", authority: "example.com",
        fields: [
            "Date": ["Tue, 20 Apr 2021 02:07:55 GMT"],
            "Content-Type": ["application/json"],
            "Content-Digest": [
                "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
            ],
        ])

    static let parameters = SignatureParameters(
        components: ["date", "@authority", "content-type"], created: 1_618_884_473, keyid: "test-shared-secret")

    @Test func signatureBaseMatchesTheRFC() throws {
        let base = try SignatureBase.make(for: Self.message, parameters: Self.parameters)
        #expect(
            base == """
                "date": Tue, 20 Apr 2021 02:07:55 GMT
                "@authority": example.com
                "content-type": application/json
                "@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"
                """)
    }

    @Test func signingProducesTheRFCSignature() throws {
        let headers = try MessageSigner.sign(
            Self.message, parameters: Self.parameters, key: Self.sharedSecret, label: "sig-b25")
        #expect(headers.signature == "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:")
        #expect(
            headers.signatureInput
                == #"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#)
    }

    @Test func theRFCSignatureVerifies() throws {
        var message = Self.message
        message.addField(
            "Signature-Input", #"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#)
        message.addField("Signature", "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:")
        let candidate = try SignatureVerifier.candidate(in: message)
        let verified = try SignatureVerifier.verify(candidate, of: message, key: Self.sharedSecret)
        #expect(verified.label == "sig-b25")
        #expect(verified.parameters.keyid == "test-shared-secret")
    }

    @Test func aChangedCoveredFieldBreaksTheRFCSignature() throws {
        var message = Self.message
        message.fields["date"] = ["Tue, 20 Apr 2021 02:07:56 GMT"]
        message.addField(
            "Signature-Input", #"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#)
        message.addField("Signature", "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:")
        let candidate = try SignatureVerifier.candidate(in: message)
        #expect(throws: AuthenticationError.invalidSignature) {
            try SignatureVerifier.verify(candidate, of: message, key: Self.sharedSecret)
        }
    }

    @Test func derivedComponentsFollowSection2_2() throws {
        let message = HTTPMessageComponents.request(method: "get", target: "/a%2Fb?x=%20y", authority: "Example.COM:8080")
        let parameters = SignatureParameters(components: ["@method", "@authority", "@path", "@query"], created: 1)
        let base = try SignatureBase.make(for: message, parameters: parameters)
        #expect(base.hasPrefix("\"@method\": GET\n\"@authority\": example.com:8080\n\"@path\": /a%2Fb\n\"@query\": ?x=%20y\n"))
        let noQuery = HTTPMessageComponents.request(method: "GET", target: "/v1", authority: "h")
        #expect(try SignatureBase.make(for: noQuery, parameters: parameters).contains("\"@query\": ?\n"))
    }
}
