import ConduitCore
import Synchronization

/// Whose requests one user may see (their own, and those they may decide), remembered per
/// submitter until the loaded secrets change. An event stream asks this for every event, from the
/// fan-out thread; asking ``BrokerState/snapshot`` each time would take the lock every request takes.
final class VisibilityCache: Sendable {
    private struct Cache {
        var generation: UInt64 = .max
        var secrets: Secrets?
        var answers: [String: Bool] = [:]
    }

    private let user: String
    private let state: BrokerState
    private let cache = Mutex(Cache())

    init(user: String, state: BrokerState) {
        self.user = user
        self.state = state
    }

    /// Whether the user may see a request of `submitter`, by the secrets loaded now.
    func maySee(_ submitter: String) -> Bool {
        let generation = state.generation
        return cache.withLock { cache in
            if cache.generation != generation || cache.secrets == nil {
                cache = Cache(generation: generation, secrets: state.snapshot.secrets)
            }
            if let known = cache.answers[submitter] { return known }
            let answer = cache.secrets?.maySee(submitter, user: user) ?? false
            // A few submitters per user in practice; bounded anyway.
            if cache.answers.count < 1024 { cache.answers[submitter] = answer }
            return answer
        }
    }
}
