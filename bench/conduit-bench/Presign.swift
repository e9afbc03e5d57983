import ConduitClient
import ConduitCore
import Foundation

/// Signs `count` requests `POST /v1/actions {"action": ACTION}` ahead of time, each with its own
/// nonce, for wrk to replay (bench/signed.lua): one line per request,
/// `Signature-Input<TAB>Signature<TAB>Content-Digest`. The signer is ConduitCore's, the one the
/// interoperability tests check against Python's independent http-message-signatures.
enum Presign {
    static func run(server: String, credentials: ClientCredentials, action: String, count: Int, output: String) throws {
        guard let url = URL(string: server), let host = url.host else { throw ClientError.usage("bad --server \(server)") }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        let body = Array(JSONValue.object(["action": .string(action)]).serialized())
        let digest = ContentDigest.headerValue(for: body)
        let created = Int64(Date().timeIntervalSince1970)
        var text = ""
        text.reserveCapacity(count * 260)
        for _ in 0..<count {
            var message = HTTPMessageComponents.request(method: "POST", target: "/v1/actions", authority: authority)
            message.addField("content-digest", digest)
            let parameters = SignatureParameters(
                components: RequestAuthenticator.requiredComponents + ["content-digest"], created: created,
                nonce: MessageSigner.newNonce(), keyid: credentials.user, alg: "hmac-sha256")
            let signature = try MessageSigner.sign(message, parameters: parameters, key: credentials.key)
            text += signature.signatureInput + "\t" + signature.signature + "\t" + digest + "\n"
        }
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }
}
