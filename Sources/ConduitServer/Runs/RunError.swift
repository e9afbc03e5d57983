import ConduitCore
import HTTPTypes

/// Why a run request was refused. Nothing is stored or started when one is thrown.
public enum RunError: Error, Sendable, Equatable {
    /// No run policy of that name (`runs/NAME.yaml`).
    case unknownPolicy(String)
    /// No project of that name (`--project NAME=PATH`).
    case unknownProject(String)
    /// A malformed body or value.
    case invalid(String)
    /// No such run, or the caller may not see it.
    case notFound
    /// The caller may see it but may not do this (or a run credential asked for something else).
    case forbidden(String)
    /// Not in a state that allows it (e.g. a message to a run that is still active).
    case conflict(String)
    /// The broker cannot start runs yet (it is not listening).
    case unavailable(String)
}

extension RunError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .unknownPolicy(let name):
            APIError(
                status: .badRequest, code: "unknown_run_policy",
                message: "unknown run policy \"\(name)\"; the broker's runs directory holds one file per policy", parameter: "policy")
        case .unknownProject(let name):
            APIError(
                status: .badRequest, code: "unknown_project",
                message: "unknown project \"\(name)\"; projects are named with ccc-server --project NAME=PATH", parameter: "project")
        case .invalid(let why): APIError(status: .badRequest, code: "invalid_body", message: why)
        case .notFound: APIError(status: .notFound, code: "not_found", message: "no such run")
        case .forbidden(let why): APIError(status: .forbidden, code: "forbidden", message: why)
        case .conflict(let why): APIError(status: .conflict, code: "conflict", message: why)
        case .unavailable(let why): APIError(status: .serviceUnavailable, code: "unavailable", message: why)
        }
    }
}
