import ConduitCore
import Foundation
import Testing

/// What the server accepts and refuses (docs/PROTOCOL.md, "Requests").
@Suite("Request authentication")
struct RequestAuthenticatorTests {
    static let secret = "agent-secret-that-is-long-enough-0123456789"
    static let secrets = Secrets(users: [
        "agent": UserSecret(secret: secret),
        "user": UserSecret(secret: "user-secret-that-is-long-enough-0123456789", canApprove: ["agent"]),
    ])
    static let now: Int64 = 1_800_000_000
    static let body = Array(#"{"action":"list-actions"}"#.utf8)

    /// A correctly signed POST, with knobs to break it.
    static func signedRequest(
        components: [String] = ["@method", "@authority", "@path", "@query", "content-digest"],
        created: Int64 = now, expires: Int64? = nil, nonce: String? = "n-1", keyid: String? = "agent",
        alg: String? = "hmac-sha256", key: String = secret, body: [UInt8] = body,
        afterSigning: (inout HTTPMessageComponents) -> Void = { _ in }
    ) throws -> (HTTPMessageComponents, [UInt8]) {
        var message = HTTPMessageComponents.request(method: "POST", target: "/v1/actions", authority: "127.0.0.1:3015")
        message.addField("Content-Digest", ContentDigest.headerValue(for: body))
        let parameters = SignatureParameters(
            components: components, created: created, expires: expires, nonce: nonce, keyid: keyid, alg: alg)
        let headers = try MessageSigner.sign(message, parameters: parameters, key: Array(key.utf8))
        message.addField("Signature-Input", headers.signatureInput)
        message.addField("Signature", headers.signature)
        afterSigning(&message)
        return (message, body)
    }

    func authenticator(startedAt: Int64 = now - 100) -> RequestAuthenticator {
        RequestAuthenticator(maxAge: 30, maxSkew: 5, startedAt: startedAt)
    }

    @Test func aCorrectlySignedRequestIsAccepted() throws {
        let (message, body) = try Self.signedRequest()
        let result = try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        #expect(result == AuthenticatedRequest(user: "agent", nonce: "n-1", label: "sig1"))
    }

    @Test func aRequestWithoutSignatureIsRefused() {
        let message = HTTPMessageComponents.request(method: "GET", target: "/v1/actions/x", authority: "h")
        #expect(throws: AuthenticationError.missingSignature) {
            try authenticator().authenticate(message, body: [], secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func garbageSignatureHeadersAreMalformed() throws {
        let (message, body) = try Self.signedRequest { $0.fields["signature"] = ["not a dictionary ((("] }
        #expect {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        } throws: { ($0 as? AuthenticationError)?.code == "malformed_signature" }
    }

    @Test(arguments: ["@method", "@authority", "@path", "@query", "content-digest"])
    func everyRequiredComponentMustBeCovered(_ missing: String) throws {
        let components = ["@method", "@authority", "@path", "@query", "content-digest"].filter { $0 != missing }
        let (message, body) = try Self.signedRequest(components: components)
        #expect(throws: AuthenticationError.missingComponent(missing)) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test(arguments: ["created", "nonce", "keyid"])
    func requiredParametersMustBePresent(_ missing: String) throws {
        let (message, body) = try Self.signedRequest(
            created: missing == "created" ? 0 : Self.now, nonce: missing == "nonce" ? nil : "n-1",
            keyid: missing == "keyid" ? nil : "agent"
        ) { message in
            if missing == "created" {
                // Remove the created parameter from the header text.
                message.fields["signature-input"] = message.fields["signature-input"]!.map {
                    $0.replacingOccurrences(of: ";created=0", with: "")
                }
            }
        }
        #expect(throws: AuthenticationError.missingParameter(missing)) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    /// A request broken one way, and the refusal it must get.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let request: @Sendable () throws -> (HTTPMessageComponents, [UInt8])
        let error: AuthenticationError
    }

    static let refusals: [Refusal] = [
        Refusal(testDescription: "an unknown keyid", request: { try signedRequest(keyid: "mallory") }, error: .unknownKey("mallory")),
        Refusal(
            testDescription: "a signature made with another secret",
            request: { try signedRequest(key: "user-secret-that-is-long-enough-0123456789") }, error: .invalidSignature),
        Refusal(
            testDescription: "another algorithm", request: { try signedRequest(alg: "rsa-pss-sha512") },
            error: .unsupportedAlgorithm("rsa-pss-sha512")),
        Refusal(
            testDescription: "a path changed after signing", request: { try signedRequest { $0.path = "/v1/actions/other" } },
            error: .invalidSignature),
        Refusal(
            testDescription: "a query changed after signing", request: { try signedRequest { $0.query = "wait=300" } },
            error: .invalidSignature),
    ]

    @Test(arguments: refusals)
    func aBrokenRequestIsRefusedWithItsReason(_ refusal: Refusal) throws {
        let (message, body) = try refusal.request()
        #expect(throws: refusal.error) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func aTamperedBodyFailsTheDigest() throws {
        let (message, _) = try Self.signedRequest()
        let tampered = Array(#"{"action":"open-terminal"}"#.utf8)
        #expect {
            try authenticator().authenticate(message, body: tampered, secrets: Self.secrets, now: Self.now)
        } throws: { ($0 as? AuthenticationError)?.code == "content_digest_mismatch" }
    }

    @Test func aDigestWithoutSha256IsRefused() throws {
        let (message, body) = try Self.signedRequest { $0.fields["content-digest"] = ["sha-512=:AAAA:"] }
        #expect(throws: AuthenticationError.self) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func aSignatureOlderThanMaxAgeIsRefused() throws {
        let (message, body) = try Self.signedRequest(created: Self.now - 31)
        #expect(throws: AuthenticationError.tooOld(created: Self.now - 31, maxAge: 30)) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
        let (fresh, freshBody) = try Self.signedRequest(created: Self.now - 30, nonce: "n-2")
        #expect(throws: Never.self) {
            try authenticator().authenticate(fresh, body: freshBody, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func aSignatureFromTooFarInTheFutureIsRefused() throws {
        let (message, body) = try Self.signedRequest(created: Self.now + 6)
        #expect(throws: AuthenticationError.inFuture(created: Self.now + 6, maxSkew: 5)) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func anExpiredSignatureIsRefused() throws {
        let (message, body) = try Self.signedRequest(created: Self.now - 5, expires: Self.now - 1)
        #expect(throws: AuthenticationError.expired(expires: Self.now - 1)) {
            try authenticator().authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func aSignatureCreatedBeforeTheServerStartedIsRefused() throws {
        let (message, body) = try Self.signedRequest(created: Self.now - 2)
        #expect(throws: AuthenticationError.beforeServerStart(created: Self.now - 2)) {
            try authenticator(startedAt: Self.now - 1).authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func aReplayedNonceIsRefused() throws {
        let authenticator = authenticator()
        let (message, body) = try Self.signedRequest()
        _ = try authenticator.authenticate(message, body: body, secrets: Self.secrets, now: Self.now)
        #expect(throws: AuthenticationError.replayed) {
            try authenticator.authenticate(message, body: body, secrets: Self.secrets, now: Self.now + 1)
        }
    }

    @Test func aForgedRequestDoesNotBurnTheNonce() throws {
        let authenticator = authenticator()
        let (forged, body) = try Self.signedRequest(key: "not-the-secret-but-long-enough-0123456789")
        #expect(throws: AuthenticationError.invalidSignature) {
            try authenticator.authenticate(forged, body: body, secrets: Self.secrets, now: Self.now)
        }
        let (genuine, genuineBody) = try Self.signedRequest()
        #expect(throws: Never.self) {
            try authenticator.authenticate(genuine, body: genuineBody, secrets: Self.secrets, now: Self.now)
        }
    }

    @Test func theSameNonceFromAnotherUserIsNotAReplay() throws {
        let authenticator = authenticator()
        let (first, body) = try Self.signedRequest()
        _ = try authenticator.authenticate(first, body: body, secrets: Self.secrets, now: Self.now)
        let (second, secondBody) = try Self.signedRequest(keyid: "user", key: "user-secret-that-is-long-enough-0123456789")
        #expect(try authenticator.authenticate(second, body: secondBody, secrets: Self.secrets, now: Self.now).user == "user")
    }

    @Test func aGetWithoutBodyNeedsNoDigest() throws {
        var message = HTTPMessageComponents.request(method: "GET", target: "/v1/actions/abc", authority: "h:1")
        let parameters = SignatureParameters(
            components: RequestAuthenticator.requiredComponents, created: Self.now, nonce: "g", keyid: "agent")
        let headers = try MessageSigner.sign(message, parameters: parameters, key: Array(Self.secret.utf8))
        message.addField("Signature-Input", headers.signatureInput)
        message.addField("Signature", headers.signature)
        #expect(try authenticator().authenticate(message, body: [], secrets: Self.secrets, now: Self.now).user == "agent")
    }
}
