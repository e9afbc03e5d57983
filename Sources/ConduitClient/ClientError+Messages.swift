import AsyncHTTPClient
import ConduitCore
import Foundation
import NIOCore

extension ClientError {
    /// The broker at `url` could not be reached: says why, and what to check.
    static func cannotReach(_ url: URL, _ error: any Error) -> ClientError {
        .unreachable(
            "cannot reach ccc-server at \(url.absoluteString) (\(describe(error))) — is it running, and is that its address? "
                + "(--server / CCC_SERVER)")
    }

    /// The broker refused `user`'s signature (401, `response`'s body): what to do about it.
    static func signatureRefused(user: String, _ response: ConduitResponse) -> ClientError {
        let code = response.json?["error"]?["code"]?.stringValue
        let message = response.errorMessage ?? "401 Unauthorized"
        let advice: String
        switch code {
        case "unknown_key":
            advice =
                "the server has no user \"\(user)\": your secrets file and the server's differ. If ccc-keygen just added "
                + "\"\(user)\", send the running server SIGHUP (kill -HUP <pid>) so it reads the file again; otherwise "
                + "make your file from the server's (ccc-keygen --filter \(user) --output FILE)"
        case "invalid_signature":
            advice =
                "the server holds a different secret for \"\(user)\": your secrets file and the server's differ. After "
                + "ccc-keygen --rotate, make your file again (ccc-keygen --filter \(user) --output FILE) and send the "
                + "running server SIGHUP"
        case "signature_too_old", "signature_in_future":
            advice = "this machine's clock and the server's differ, or the request took too long to arrive"
        default:
            advice = ""
        }
        return .authentication("the server refused the signature: \(message)" + (advice.isEmpty ? "" : " — \(advice)"))
    }

    /// A network error in words.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "timed out" }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset"
            case EHOSTUNREACH, ENETUNREACH: return "no route to the host"
            case ETIMEDOUT: return "timed out"
            default: break
            }
        }
        let text = "\(error)"
        if text.contains("Connection refused") { return "connection refused" }
        return text
    }
}
