import ConduitCore
import ConduitStore

/// Why a decision, cancellation, grant or wait was refused. Nothing changed when one is thrown.
public enum DecisionError: Error, Sendable, Equatable {
    /// No such record (or grant), or the caller may not see it.
    case notFound
    /// The caller may see it but may not do this.
    case forbidden(String)
    /// It is no longer pending (decided, expired, canceled…): carries the record as it stands.
    case notPending(ActionRecord)
    /// A malformed body or value.
    case invalid(String)

    /// Words for the error body.
    public var message: String {
        switch self {
        case .notFound: "no such record"
        case .forbidden(let why): why
        case .notPending(let record):
            record.status == .pending
                ? "the request expired at \(record.expires.map(ActionRecord.format) ?? "its deadline"); it can no longer be decided"
                : "the request is no longer pending: it is \(record.status.rawValue)"
        case .invalid(let why): why
        }
    }
}
