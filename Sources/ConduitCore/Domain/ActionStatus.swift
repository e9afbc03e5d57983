/// Where a request stands. `pending` and `running` move on; every other status is final.
public enum ActionStatus: String, Sendable, Codable, CaseIterable {
    /// Queued, waiting for a person.
    case pending
    /// Accepted; its command is running.
    case running
    /// Accepted and, if it has a command, the command exited 0.
    case completed
    /// Accepted, but the command failed, timed out, could not start, or was interrupted by a stop.
    case failed
    /// Refused by a person (with their reason), or by the action's policy or one of its rules.
    case denied
    /// Nobody decided before the request's deadline. Never reported as a denial.
    case expired
    /// Withdrawn by its submitter while pending.
    case canceled

    /// Whether nothing more will happen to the request.
    public var isFinal: Bool { self != .pending && self != .running }
}
