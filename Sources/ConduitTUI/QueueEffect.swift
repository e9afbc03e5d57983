/// What a key asks the application to do (the view model never talks to the network itself).
public enum QueueEffect: Sendable, Equatable {
    case approve(id: String)
    case approveRemembering(id: String, seconds: Int)
    case deny(id: String, reason: String?)
    case refresh
    /// Read recent decisions (`GET /v1/audit`), only of `action` when given.
    case loadHistory(action: String?)
    /// Read the remembered approvals (`GET /v1/grants`).
    case loadGrants
    /// Revoke remembered approval `id` (`DELETE /v1/grants/{id}`).
    case revokeGrant(id: String)
    case quit
}
