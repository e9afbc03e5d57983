import ConduitCore

/// Why a request through ``ConduitHTTPClient`` did not produce a verified answer.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration or input is unusable (bad URL, unreadable secrets, not JSON…).
    case usage(String)
    /// The server could not be reached or did not answer in time.
    case unreachable(String)
    /// The server refused the signature (401), or the answer's signature did not verify.
    case authentication(String)

    public var description: String {
        switch self {
        case .usage(let message), .unreachable(let message), .authentication(let message): message
        }
    }
}
