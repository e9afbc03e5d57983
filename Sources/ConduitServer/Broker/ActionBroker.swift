import ConduitCore
import ConduitStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Takes requests from validation to decision to execution, and people's decisions to execution,
/// without HTTP. Every state change is stored (and its event published) before the caller learns of it.
public struct ActionBroker: Sendable {
    public let state: BrokerState
    public let store: ConduitStore
    /// The store's clock: every date the broker sets or compares, and how long a `?wait=` lasts.
    public var clock: any BrokerClock { store.clock }
    public let validator: ParameterValidator
    public let runner: ActionRunner
    /// Seconds a queued request waits when its action does not say (`--default-expires`).
    public let defaultExpiry: Int
    /// Run (id, action and submitter appended) each time a request is queued.
    public let notify: [String]?
    /// Prometheus metrics.
    public let metrics: BrokerMetrics
    /// How many unauthenticated refusals are audited in full (shared by the middleware and the sweep).
    public let refusals = RefusalBudget()
    /// `?wait=` requests waiting now (`conduit_waits_active`).
    public let activeWaits = WaitCounter()
    /// Long-polls one user may hold at once (past it: 503 `too_many_waits`).
    public let waitSlots = PerUserSlots(perUser: 64)
    /// Event streams one user may hold at once (past it: 503 `too_many_streams`).
    public let streamSlots = PerUserSlots(perUser: 8)
    /// The credentials of the attempts of supervised runs now active (see ``RunCredentials``).
    public let runCredentials = RunCredentials()
    let logger: Logger

    /// The longest `?wait=`, in seconds.
    public static let longestWait = 300

    public init(
        state: BrokerState, store: ConduitStore, pathMapper: PathMapper, runner: ActionRunner, defaultExpiry: Int = ServerDefaults.defaultExpires,
        notify: [String]? = nil, metrics: BrokerMetrics = BrokerMetrics(), logger: Logger = Logger(label: "conduit.broker")
    ) {
        self.notify = notify
        self.metrics = metrics
        self.state = state
        self.store = store
        self.validator = ParameterValidator(pathMapper: pathMapper)
        self.runner = runner
        self.defaultExpiry = defaultExpiry
        self.logger = logger
    }

    // MARK: Reading

    /// The record `id` as `user` may see it: their own requests and those they may decide (others get
    /// nil, as if absent).
    public func record(id: String, for user: String) async throws -> ActionRecord? {
        guard let record = try await store.record(id: id),
            state.snapshot.secrets.maySee(record.submitter, user: user)
        else { return nil }
        return record
    }

    /// Pending requests `user` may decide, oldest first, one page of at most `limit` after the
    /// request `cursor`. Never their own.
    /// - Throws: ``DecisionError/invalid(_:)`` for a cursor that names no request.
    public func queue(for user: String, after cursor: String? = nil, limit: Int) async throws -> PendingPage {
        let secrets = state.snapshot.secrets
        let submitters = Set(secrets.userNames.filter { secrets.canApprove(user, submitter: $0) })
        do {
            return try await store.pendingPage(submittedBy: submitters, after: cursor, limit: limit, now: clock.now())
        } catch is PendingPage.UnknownCursor {
            throw DecisionError.invalid("\"cursor\" must be the next_cursor of a previous page")
        }
    }

    /// Waits up to `seconds` for record `id` to become final, then returns it as it stands.
    /// Event-driven: it resumes as soon as the deciding write commits. Ends early on graceful shutdown.
    public func wait(id: String, for user: String, seconds: Int) async throws -> ActionRecord? {
        guard let record = try await record(id: id, for: user) else { return nil }
        guard !record.status.isFinal, seconds > 0 else { return record }
        activeWaits.add(1)
        defer { activeWaits.add(-1) }
        let (signal, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let subscription = store.events.subscribe(record: id) { published in
            if published.event.record.status.isFinal { continuation.finish() }
        }
        defer { subscription.cancel() }
        // Subscribed first, then read again: a decision committed in between is not missed.
        if let again = try await store.record(id: id), again.status.isFinal { return again }
        let clock = self.clock
        let timer = Task {
            try? await clock.sleep(for: .seconds(seconds))
            continuation.finish()
        }
        defer { timer.cancel() }
        await withGracefulShutdownHandler {
            for await _ in signal {}
        } onGracefulShutdown: {
            continuation.finish()
        }
        return try await store.record(id: id)
    }

}
