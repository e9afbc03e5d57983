import Synchronization

/// Remembers `(keyid, nonce)` pairs for as long as a request carrying them could still be accepted.
///
/// The cache lives in memory; ``RequestAuthenticator`` therefore also refuses requests created
/// before the server started, which the cache could not have seen.
public final class NonceCache: Sendable {
    private struct State {
        var expiries: [String: Int64] = [:]
        var nextPurge: Int64 = 0
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
            if now >= state.nextPurge {
                state.expiries = state.expiries.filter { $0.value >= now }
                state.nextPurge = now + 1
            }
            if let expiry = state.expiries[key], expiry >= now { return false }
            state.expiries[key] = until
            return true
        }
    }

    /// The number of remembered pairs (for tests and metrics).
    public var count: Int { state.withLock { $0.expiries.count } }
}
