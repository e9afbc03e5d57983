/// Where a request stands.
public enum ActionStatus: String, Sendable, Codable {
    /// Queued, waiting for a person.
    case pending
    /// Accepted; its command is running.
    case running
    /// Accepted and, if it has a command, the command exited 0.
    case completed
    /// Accepted, but the command failed, timed out or could not start.
    case failed
    /// Refused by policy or rule.
    case denied

    /// Whether nothing more will happen to the request.
    public var isFinal: Bool { self == .completed || self == .failed || self == .denied }
}
