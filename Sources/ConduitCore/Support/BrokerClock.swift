import Foundation
import Synchronization

/// Where the broker's time comes from: the wall-clock dates it stores and compares (creation,
/// expiry, decisions, grants), and the waiting it does (`?wait=`, the expiry sweep).
///
/// The server uses ``SystemClock``; in-process tests hold a ``ManualClock`` and move it forward,
/// so nothing they check waits for real time to pass.
public protocol BrokerClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Returns once `duration` has passed on this clock; throws `CancellationError` if the task is
    /// canceled first.
    func sleep(for duration: Duration) async throws
}

/// The system's wall clock and `Task.sleep`.
public struct SystemClock: BrokerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// A clock that moves only when told to (``advance(by:)``), for tests.
public final class ManualClock: BrokerClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
    }

    private let state: Mutex<State>

    public init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: now))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// How many `sleep(for:)` calls are waiting now: a test can tell that a wait has begun.
    public var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// Moves the clock forward and wakes every sleeper whose time has come.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { state in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func sleep(for duration: Duration) async throws {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: (any Error)?? = state.withLock { state in
                    if Task.isCancelled { return .some(CancellationError()) }
                    if seconds <= 0 { return .some(nil) }
                    state.sleepers.append(Sleeper(id: id, deadline: state.now.addingTimeInterval(seconds), continuation: continuation))
                    return .none
                }
                switch resumeNow {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            let canceled = state.withLock { state in
                let found = state.sleepers.first { $0.id == id }
                state.sleepers.removeAll { $0.id == id }
                return found
            }
            canceled?.continuation.resume(throwing: CancellationError())
        }
    }
}
