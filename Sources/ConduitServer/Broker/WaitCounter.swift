import Synchronization

/// A count that concurrent requests raise and lower.
public final class WaitCounter: Sendable {
    private let value = Mutex(0)

    public init() {}

    func add(_ delta: Int) { value.withLock { $0 += delta } }

    /// The count now.
    public var current: Int { value.withLock { $0 } }
}
