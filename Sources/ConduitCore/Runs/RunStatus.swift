/// Where a run stands: `pending` → `queued` → `running` ⇄ `waiting` → `checking` → a final status.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
    /// Its start waits for a person (run policy `queue`).
    case pending
    /// Allowed to start; waiting for a free slot (`--max-active-runs`).
    case queued
    /// Its runner is working.
    case running
    /// One of its tool calls waits for a person.
    case waiting
    /// Its checks are running on what the attempt left.
    case checking
    /// An attempt finished and every check passed.
    case succeeded
    /// The runner failed, a check failed with no retry left, the attempt timed out, or the broker
    /// stopped while it was active (`interrupted`).
    case failed
    /// Cancelled by its submitter or an approver.
    case cancelled
    /// Its start was refused, by a person or by the run policy.
    case denied
    /// Nobody decided its start in time.
    case expired

    /// Whether nothing more will happen to the run (unless a follow-up message starts a new attempt).
    public var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .denied, .expired: true
        case .pending, .queued, .running, .waiting, .checking: false
        }
    }

    /// Whether a runner or check of the run may be alive.
    public var isActive: Bool { self == .running || self == .waiting || self == .checking }
}

/// Where one attempt stands.
public enum AttemptStatus: String, Sendable, Equatable, CaseIterable {
    case running
    case waiting
    case checking
    case succeeded
    case failed
    case cancelled

    /// Whether the attempt has ended.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}
