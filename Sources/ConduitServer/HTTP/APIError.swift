import ConduitCore
import ConduitStore
import Hummingbird

/// An error answer: `{"error": {"code": "…", "message": "…", "parameter": "…"}}` with its status.
/// Errors say which answer is theirs through ``APIErrorConvertible``.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var parameter: String?
    /// Seconds after which trying again makes sense (`Retry-After`), for 503s.
    public var retryAfter: Int?

    public init(status: HTTPResponse.Status, code: String, message: String, parameter: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.retryAfter = retryAfter
    }

    /// 503 with `Retry-After`: `what` holds its limit of connections open.
    static func busy(code: String, _ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: code, message: message, retryAfter: 1)
    }

    /// The JSON body.
    public var json: JSONValue {
        var error: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let parameter { error["parameter"] = .string(parameter) }
        return ["error": .object(error)]
    }

    static let notFound = APIError(status: .notFound, code: "not_found", message: "no such record")

    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "body_too_large", message: "the body exceeds \(limit) bytes")
    }

    static let internalError = APIError(
        status: .internalServerError, code: "internal_error", message: "the server failed; see its log")
}
