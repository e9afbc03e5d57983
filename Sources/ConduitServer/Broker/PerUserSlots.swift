import Synchronization

/// A per-user cap on things that hold a connection open: long-polls (`?wait=`) and event streams.
/// An agent can open them itself, so without a cap one user could hold every descriptor.
public final class PerUserSlots: Sendable {
    /// Slots per user.
    public let perUser: Int
    private let used = Mutex<[String: Int]>([:])

    public init(perUser: Int) {
        self.perUser = perUser
    }

    /// A slot for `user`, or nil when they hold ``perUser`` already. The slot is given back when
    /// released or when it is deallocated (a response that was never written).
    func acquire(for user: String) -> Slot? {
        let granted = used.withLock { used in
            guard used[user, default: 0] < perUser else { return false }
            used[user, default: 0] += 1
            return true
        }
        return granted ? Slot(owner: self, user: user) : nil
    }

    /// Slots `user` holds now.
    public func count(for user: String) -> Int { used.withLock { $0[user] ?? 0 } }

    /// Slots all users hold now.
    public var total: Int { used.withLock { $0.values.reduce(0, +) } }

    fileprivate func giveBack(_ user: String) {
        used.withLock { used in
            used[user, default: 1] -= 1
            if used[user] == 0 { used[user] = nil }
        }
    }

    /// One held slot.
    final class Slot: Sendable {
        private let owner: PerUserSlots
        private let user: String
        private let released = Mutex(false)

        fileprivate init(owner: PerUserSlots, user: String) {
            self.owner = owner
            self.user = user
        }

        func release() {
            let first = released.withLock { released in
                defer { released = true }
                return !released
            }
            if first { owner.giveBack(user) }
        }

        deinit { release() }
    }
}
