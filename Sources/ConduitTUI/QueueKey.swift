/// A key press, as the queue manager understands it.
public enum QueueKey: Sendable, Equatable {
    case character(Character)
    case up
    case down
    case enter
    case backspace
    case escape
    /// The terminal changed size.
    case resize
}
