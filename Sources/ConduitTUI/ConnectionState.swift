/// The queue manager's link to the broker's event stream.
public enum ConnectionState: Sendable, Equatable {
    case connecting
    /// Following `/v1/events`.
    case live
    /// Lost; retrying on its own.
    case disconnected(reason: String, retryInSeconds: Int)

    /// The status line's words.
    public var text: String {
        switch self {
        case .connecting: "connecting…"
        case .live: "● live"
        case .disconnected(let reason, let seconds): "○ disconnected (\(reason)); reconnecting in \(seconds) s"
        }
    }
}
