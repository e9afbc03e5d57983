import Synchronization

/// How many refused, unauthenticated requests the audit log records, so that nobody without a
/// key can fill the disk through an append-only table.
///
/// Time is cut into windows of ``window`` seconds. In each, at most ``perPeer`` refusals from one
/// peer address and ``total`` in all are recorded in full (each field already cut to
/// ``AuditEntry``-friendly sizes by the caller); the rest are counted, and the window's count goes
/// into one summary row ("N more refusals from these peers") when the window has ended. So the log
/// grows by at most `total + 1` rows per window, whatever the traffic.
public final class RefusalBudget: Sendable {
    /// What to do with one refusal.
    public struct Admission: Sendable, Equatable {
        /// Record this refusal in full.
        public var record: Bool
        /// The summary of an earlier window that has ended, to record first.
        public var summary: Summary?
    }

    /// The refusals of one window that were counted but not recorded.
    public struct Summary: Sendable, Equatable {
        /// The window's first second (Unix time).
        public var from: Int64
        /// The second after the window.
        public var until: Int64
        /// How many refusals were left out.
        public var suppressed: Int
        /// The peers with the most refusals left out (at most ``RefusalBudget/peersNamed``), and their counts.
        public var peers: [String: Int]
        /// How many distinct peers were left out.
        public var peerCount: Int

        public init(from: Int64, until: Int64, suppressed: Int, peers: [String: Int], peerCount: Int) {
            self.from = from
            self.until = until
            self.suppressed = suppressed
            self.peers = peers
            self.peerCount = peerCount
        }
    }

    public let window: Int64
    public let perPeer: Int
    public let total: Int
    /// How many peers a summary names.
    public static let peersNamed = 10
    /// The most distinct peers counted in one window (beyond it they share one entry, `"other"`).
    static let peersTracked = 1024

    private struct State {
        var windowStart: Int64 = .min
        var recorded = 0
        var recordedByPeer: [String: Int] = [:]
        var suppressedByPeer: [String: Int] = [:]
        var suppressed = 0
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - window: seconds per window (default 10).
    ///   - perPeer: refusals recorded in full per peer and window (default 3).
    ///   - total: refusals recorded in full per window, all peers together (default 10).
    public init(window: Int64 = 10, perPeer: Int = 3, total: Int = 10) {
        self.window = max(1, window)
        self.perPeer = perPeer
        self.total = total
    }

    /// Decides one refusal from `peer` at Unix second `now`.
    public func admit(peer: String, now: Int64) -> Admission {
        state.withLock { state in
            let summary = roll(&state, now: now)
            let fromPeer = state.recordedByPeer[peer, default: 0]
            if state.recorded < total, fromPeer < perPeer {
                state.recorded += 1
                state.recordedByPeer[peer] = fromPeer + 1
                return Admission(record: true, summary: summary)
            }
            state.suppressed += 1
            let key = state.suppressedByPeer[peer] != nil || state.suppressedByPeer.count < Self.peersTracked ? peer : "other"
            state.suppressedByPeer[key, default: 0] += 1
            return Admission(record: false, summary: summary)
        }
    }

    /// The summary of a window that has ended by `now`, if refusals were left out in it (for a
    /// periodic sweep, so the count is written even when the refusals stop).
    public func endedSummary(now: Int64) -> Summary? {
        state.withLock { roll(&$0, now: now) }
    }

    private func roll(_ state: inout State, now: Int64) -> Summary? {
        let start = now - ((now % window) + window) % window
        guard start != state.windowStart else { return nil }
        var summary: Summary?
        if state.suppressed > 0, state.windowStart != .min {
            let named = state.suppressedByPeer.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(Self.peersNamed)
            summary = Summary(
                from: state.windowStart, until: state.windowStart + window, suppressed: state.suppressed,
                peers: Dictionary(uniqueKeysWithValues: named.map { ($0.key, $0.value) }),
                peerCount: state.suppressedByPeer.count)
        }
        state = State()
        state.windowStart = start
        return summary
    }
}
