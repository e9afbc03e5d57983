/// What a key asks the application to do (the view model never talks to the network itself).
public enum QueueEffect: Sendable, Equatable {
    case approve(id: String)
    case approveRemembering(id: String, seconds: Int)
    case deny(id: String, reason: String?)
    case refresh
    /// Read recent decisions (`GET /v1/audit`), only of `action` when given.
    case loadHistory(action: String?)
    case quit
}
