import ConduitCore
import Foundation
import RawStructuredFieldValues

/// In-process timings of the per-request building blocks (`conduit-bench --micro`).
enum Micro {
    static func time(_ name: String, iterations: Int = 20_000, _ body: () throws -> Void) rethrows {
        for _ in 0..<1000 { try body() }
        let start = ContinuousClock.now
        for _ in 0..<iterations { try body() }
        let elapsed = ContinuousClock.now - start
        let micros = (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
            / Double(iterations)
        print(name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%8.2f µs", micros))
    }

    static func run() throws {
        let secret = "agent-secret-that-is-long-enough-0123456789"
        let key = Array(secret.utf8)
        let secrets = Secrets(users: ["agent": UserSecret(secret: secret)])
        let body = Array(#"{"action":"noop"}"#.utf8)
        var message = HTTPMessageComponents.request(method: "POST", target: "/v1/actions", authority: "127.0.0.1:3015")
        message.addField("Content-Digest", ContentDigest.headerValue(for: body))
        let now = Int64(Date().timeIntervalSince1970)
        func signed(_ nonce: String) throws -> HTTPMessageComponents {
            var copy = message
            let headers = try MessageSigner.sign(
                message,
                parameters: SignatureParameters(
                    components: RequestAuthenticator.requiredComponents + ["content-digest"], created: now,
                    nonce: nonce, keyid: "agent", alg: "hmac-sha256"), key: key)
            copy.addField("Signature-Input", headers.signatureInput)
            copy.addField("Signature", headers.signature)
            return copy
        }
        let sample = try signed("fixed")
        try time("MessageSigner.sign (request)") { _ = try signed("n") }
        let inputValue = Array(sample.fieldValue("signature-input")!.utf8)
        try time("SF parse Signature-Input") {
            var parser = StructuredFieldValueParser(inputValue)
            _ = try parser.parseDictionaryFieldValue()
        }
        let sigValue = Array(sample.fieldValue("signature")!.utf8)
        try time("SF parse Signature") {
            var parser = StructuredFieldValueParser(sigValue)
            _ = try parser.parseDictionaryFieldValue()
        }
        try time("SignatureVerifier.candidate") { _ = try SignatureVerifier.candidate(in: sample) }
        let candidate = try SignatureVerifier.candidate(in: sample)
        try time("SignatureVerifier.verify (HMAC)") { _ = try SignatureVerifier.verify(candidate, of: sample, key: key) }
        try time("ContentDigest.verify") {
            try ContentDigest.verify(headerValue: sample.fieldValue("content-digest")!, body: body)
        }
        let authenticator = RequestAuthenticator(startedAt: now - 10)
        var counter = 0
        let messages = try (0..<21_000).map { try signed("nonce-\($0)") }
        try time("RequestAuthenticator.authenticate") {
            _ = try authenticator.authenticate(messages[counter], body: body, secrets: secrets, now: now)
            counter += 1
        }
        let request = AuthenticatedRequest(user: "agent", nonce: "n", label: "sig1")
        let answer = Array(#"{"action":"noop","id":"0b0c6a2e-2f4e-4a53-9d44-3c1f0e8f7a11","result":{},"status":"completed"}"#.utf8)
        try time("ResponseSignature.sign") { _ = try ResponseSignature.sign(status: 200, body: answer, for: request, key: key, now: now) }
        let signedAnswer = try ResponseSignature.sign(status: 200, body: answer, for: request, key: key, now: now)
        let fields = [
            "content-digest": [signedAnswer.contentDigest], "signature-input": [signedAnswer.signature.signatureInput],
            "signature": [signedAnswer.signature.signature],
        ]
        try time("ResponseSignature.verify") {
            try ResponseSignature.verify(status: 200, fields: fields, body: answer, user: "agent", nonce: "n", key: key)
        }
        try time("ActionRequest(body:)") { _ = try ActionRequest(body: body) }
        let json: JSONValue = ["id": "0b0c6a2e-2f4e-4a53-9d44-3c1f0e8f7a11", "action": "noop", "status": "completed", "result": [:]]
        time("JSONValue.serialized") { _ = json.serialized() }
        time("UUID().uuidString") { _ = UUID().uuidString.lowercased() }
        time("MessageSigner.newNonce") { _ = MessageSigner.newNonce() }
    }
}
