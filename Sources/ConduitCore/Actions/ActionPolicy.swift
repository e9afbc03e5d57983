/// What happens to a request for an action.
public enum ActionPolicy: String, Sendable, Codable, CaseIterable {
    /// Run (or record) it now.
    case autoAccept = "auto-accept"
    /// Refuse it.
    case autoDeny = "auto-deny"
    /// Hold it for a person allowed to decide it.
    case queue
}
