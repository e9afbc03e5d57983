import ConduitCore
import ConduitStore
import Hummingbird

/// An error answer: `{"error": {"code": "…", "message": "…", "parameter": "…"}}` with its status.
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

    static func badRequest(_ error: RequestError) -> APIError {
        APIError(status: .badRequest, code: error.code, message: error.message, parameter: error.parameter)
    }

    static func unauthorized(_ error: AuthenticationError) -> APIError {
        APIError(status: .unauthorized, code: error.code, message: error.description)
    }

    static func decision(_ error: DecisionError) -> APIError {
        switch error {
        case .notFound: .notFound
        case .forbidden(let why): APIError(status: .forbidden, code: "forbidden", message: why)
        case .notPending(let record):
            APIError(
                status: .conflict, code: record.status == .pending || record.status == .expired ? "expired" : "not_pending",
                message: error.message)
        case .invalid(let why): APIError(status: .badRequest, code: "invalid_body", message: why)
        }
    }

    static let notFound = APIError(status: .notFound, code: "not_found", message: "no such record")

    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "body_too_large", message: "the body exceeds \(limit) bytes")
    }

    /// 507 `storage_full` or 503 `storage_unavailable`: nothing was stored.
    static func storage(_ failure: StorageFailure) -> APIError {
        switch failure.kind {
        case .full: APIError(status: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), code: "storage_full", message: failure.description)
        case .unavailable: APIError(status: .serviceUnavailable, code: "storage_unavailable", message: failure.description)
        }
    }

    static let internalError = APIError(
        status: .internalServerError, code: "internal_error", message: "the server failed; see its log")
}
