import ConduitCore
import ConduitStore
import Hummingbird
import Logging

/// An error that says how it is answered: its status, code, message and parameter, as an
/// ``APIError``. Every error a route may throw conforms, next to its own definition of meaning;
/// adding an error means adding a conformance (or a case), never editing a central switch.
public protocol APIErrorConvertible: Error {
    /// The answer for this error.
    var apiError: APIError { get }
}

extension APIError: APIErrorConvertible {
    public var apiError: APIError { self }
}

extension RequestError: APIErrorConvertible {
    /// 400 with the error's code and the parameter at fault.
    public var apiError: APIError { APIError(status: .badRequest, code: code, message: message, parameter: parameter) }
}

extension AuthenticationError: APIErrorConvertible {
    /// 401 with the reason's code (sent unsigned: the caller is not known).
    public var apiError: APIError { APIError(status: .unauthorized, code: code, message: description) }
}

extension DecisionError: APIErrorConvertible {
    /// 404, 403, 409 (`expired` or `not_pending`) or 400.
    public var apiError: APIError {
        switch self {
        case .notFound: .notFound
        case .forbidden(let why): APIError(status: .forbidden, code: "forbidden", message: why)
        case .notPending(let record):
            APIError(
                status: .conflict, code: record.status == .pending || record.status == .expired ? "expired" : "not_pending",
                message: message)
        case .invalid(let why): APIError(status: .badRequest, code: "invalid_body", message: why)
        }
    }
}

extension StorageFailure: APIErrorConvertible {
    /// 507 `storage_full` or 503 `storage_unavailable`: nothing was stored.
    public var apiError: APIError {
        switch kind {
        case .full:
            APIError(status: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), code: "storage_full", message: description)
        case .unavailable: APIError(status: .serviceUnavailable, code: "storage_unavailable", message: description)
        }
    }
}

extension HTTPError: APIErrorConvertible {
    /// Hummingbird's own errors (an unknown path, a wrong method) in the API's shape.
    public var apiError: APIError { APIError(status: status, code: "http_error", message: body ?? status.reasonPhrase) }
}

extension APIError {
    /// The answer for any error: its own (``APIErrorConvertible``), a storage failure recognised in
    /// the database's error (logged), or 500 `internal_error` (logged; the message says nothing more).
    static func answering(_ error: any Error, logger: Logger) -> APIError {
        if let failure = StorageFailure.classify(error) {
            logger.error("storage failure: \(failure)")
            return failure.apiError
        }
        if let convertible = error as? any APIErrorConvertible { return convertible.apiError }
        logger.error("unexpected error: \(error)")
        return .internalError
    }
}
