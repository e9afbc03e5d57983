import Synchronization

/// Remembers `(keyid, nonce)` pairs for as long as a request carrying them could still be accepted.
///
/// Pairs are kept in buckets by the second they may be forgotten, so forgetting costs only what
/// is forgotten. The cache lives in memory; ``RequestAuthenticator`` therefore also refuses
/// requests created before the server started, which the cache could not have seen.
public final class NonceCache: Sendable {
    private struct State {
        var expiries: [String: Int64] = [:]
        var buckets: [Int64: [String]] = [:]
        var oldestBucket: Int64 = .max
    }

    private let state = Mutex(State())

    public init() {}

    /// Records the pair unless already present. Returns false for a replay.
    /// - Parameters:
    ///   - until: the Unix second after which the pair can be forgotten.
    ///   - now: the current Unix second.
    public func insert(keyid: String, nonce: String, until: Int64, now: Int64) -> Bool {
        let key = "\(keyid)\u{0}\(nonce)"
        return state.withLock { state in
            Self.forget(before: now, in: &state)
            if let expiry = state.expiries[key], expiry >= now { return false }
            state.expiries[key] = until
            state.buckets[until, default: []].append(key)
            state.oldestBucket = min(state.oldestBucket, until)
            return true
        }
    }

    /// The number of remembered pairs (for tests and metrics).
    public var count: Int { state.withLock { $0.expiries.count } }

    private static func forget(before now: Int64, in state: inout State) {
        guard state.oldestBucket < now else { return }
        for second in state.buckets.keys where second < now {
            for key in state.buckets.removeValue(forKey: second) ?? [] where (state.expiries[key] ?? .max) < now {
                state.expiries.removeValue(forKey: key)
            }
        }
        state.oldestBucket = state.buckets.keys.min() ?? .max
    }
}
