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
    let logger: Logger

    /// The longest `?wait=`, in seconds.
    public static let longestWait = 300

    public init(
        state: BrokerState, store: ConduitStore, pathMapper: PathMapper, runner: ActionRunner, defaultExpiry: Int = 900,
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

    // MARK: Submitting

    /// Validates, decides, stores and (when accepted) runs `request` for `submitter`.
    /// - Throws: ``RequestError`` for an unknown action or a bad parameter (nothing is stored then),
    ///   or the database's error.
    public func submit(_ request: ActionRequest, from submitter: String) async throws -> ActionRecord {
        let snapshot = state.snapshot
        guard let action = snapshot.catalog[request.action] else { throw RequestError.unknownAction(request.action) }
        let values = try validator.validate(request, against: action)
        let decision = PolicyEvaluator.decide(action, parameters: values)
        let now = clock.now()
        var record = ActionRecord(
            id: UUID().uuidString.lowercased(), action: action.name, description: action.description,
            submitter: submitter, params: values.mapValues(\.json), status: .pending, created: now,
            actionFingerprint: action.fingerprint)
        let explanation = decision.explanation(action: action.name)
        let kind: ActionDecision.Kind = if case .rule = decision.source { .rule } else { .policy }
        switch decision.policy {
        case .autoDeny:
            record.decision = ActionDecision(kind: kind, by: explanation, at: now)
            record.status = .denied
            record.reason = "denied by \(explanation)"
            record.finished = now
            try await store.save(record, events: [.decided])
        case .autoAccept:
            record.decision = ActionDecision(kind: kind, by: explanation, at: now)
            record = try await execute(action, values: values, record: record, catalog: snapshot.catalog)
        case .queue:
            if let grant = try await applicableGrant(for: record, values: values, secrets: snapshot.secrets) {
                record.decision = ActionDecision(
                    kind: .grant, by: "grant \(grant.id) from \(grant.approver)", approver: grant.approver,
                    grantID: grant.id, at: now)
                record = try await execute(action, values: values, record: record, catalog: snapshot.catalog)
            } else {
                record.expires = now.addingTimeInterval(TimeInterval(action.expires ?? defaultExpiry))
                try await store.save(record, events: [.queued])
                announce(record)
            }
        }
        return record
    }

    /// Records a request refused as invalid (400): who, the action it named, the code and parameter.
    func auditRejection(_ error: RequestError, action named: String?, from submitter: String) async {
        var detail: [String: JSONValue] = ["reason": .string(AuditField.cut(error.message, limit: 1024))]
        if let parameter = error.parameter { detail["parameter"] = .string(parameter) }
        let entry = AuditEntry(
            timeMilliseconds: Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)), event: "request.rejected",
            user: submitter, action: named.map { String($0.prefix(128)) }, outcome: error.code, detail: .object(detail))
        do {
            try await store.audit(entry)
        } catch {
            logger.error("could not audit a rejected request: \(error)")
        }
    }

    /// Runs the notify command for a newly queued request, in the background (at most 10 s).
    private func announce(_ record: ActionRecord) {
        guard let notify, !notify.isEmpty else { return }
        let argv = notify + [record.id, record.action, record.submitter]
        let runner = self.runner
        let logger = self.logger
        Task {
            let outcome = await runner.run(argv, timeout: .seconds(10))
            if !outcome.succeeded { logger.warning("notify command failed: \(outcome.failureDescription)") }
        }
    }

    /// The newest active grant that matches `record` — its paths as they resolve now — and whose
    /// approver may still decide for its submitter.
    private func applicableGrant(for record: ActionRecord, values: [String: ParameterValue], secrets: Secrets)
        async throws -> Grant?
    {
        try await store.activeGrants(
            submitter: record.submitter, action: record.action, params: values.mapValues(\.resolvedJSON)
        )
        .first { secrets.canApprove($0.approver, submitter: record.submitter) }
    }

    /// Runs an accepted request to its end, storing `running` first and the outcome last.
    private func execute(
        _ action: ActionDefinition, values: [String: ParameterValue], record: ActionRecord, catalog: ActionCatalog,
        alreadyStarted: Bool = false
    ) async throws -> ActionRecord {
        var record = record
        var finalEvents: [BrokerEvent.Kind] = alreadyStarted ? [.finished] : [.decided, .finished]
        if action.builtin == .listActions {
            record.result = Self.listing(of: catalog)
            record.status = .completed
        } else if let template = action.run {
            if !alreadyStarted {
                record.status = .running
                try await store.save(record, events: [.decided])
                finalEvents = [.finished]
            }
            var arguments = values.mapValues(\.argument)
            var input: Int32?
            if let spec = action.params.first(where: { $0.access != nil }), let access = spec.access,
                case .path(let mapped)? = values[spec.name]
            {
                do {
                    input = try PathMapper.open(mapped, for: access)
                    arguments[spec.name] = FileAccess.argument
                } catch {
                    record.status = .failed
                    record.reason = "not run: \"\(spec.name)\": \(error)"
                    record.finished = clock.now()
                    try await store.save(record, events: finalEvents)
                    return record
                }
            }
            let argv = template.render(arguments)
            let started = ContinuousClock.now
            // The start is stored before the command may begin: a request stopped without it never ran.
            let store = self.store
            let starting = Mutex(record)
            let outcome = await runner.run(argv, timeout: .seconds(action.timeout), input: input) {
                let running = starting.withLock { record in
                    record.started = clock.now()
                    return record
                }
                try await store.save(running, events: [.started])
            }
            record.started = starting.withLock { $0.started }
            metrics.handlerDuration(action: action.name, ContinuousClock.now - started)
            record.result = outcome.json
            record.status = outcome.succeeded ? .completed : .failed
            if !outcome.succeeded { record.reason = outcome.failureDescription }
        } else {
            record.result = [:]
            record.status = .completed
        }
        record.finished = clock.now()
        try await store.save(record, events: finalEvents)
        return record
    }

    // MARK: Reading

    /// Whether `user` may see requests of `submitter`: their own, and those they may decide.
    func maySee(_ submitter: String, user: String, secrets: Secrets) -> Bool {
        submitter == user || secrets.canApprove(user, submitter: submitter)
    }

    /// The record `id` as `user` may see it: their own requests and those they may decide (others get
    /// nil, as if absent).
    public func record(id: String, for user: String) async throws -> ActionRecord? {
        guard let record = try await store.record(id: id),
            maySee(record.submitter, user: user, secrets: state.snapshot.secrets)
        else { return nil }
        return record
    }

    /// Pending requests `user` may decide, oldest first. Never their own.
    public func queue(for user: String) async throws -> [ActionRecord] {
        let secrets = state.snapshot.secrets
        let submitters = Set(secrets.userNames.filter { secrets.canApprove(user, submitter: $0) })
        let now = clock.now()
        return try await store.pending(submittedBy: submitters).filter { ($0.expires ?? .distantFuture) > now }
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

    // MARK: Deciding

    /// `approver` approves pending request `id`; with `remember`, identical later requests are accepted
    /// for that many seconds. The handler starts at once, with every path mapped and checked again now.
    /// - Returns: the record as it stands (usually `running`).
    public func approve(id: String, by approver: String, reason: String? = nil, remember: Int? = nil) async throws
        -> ActionRecord
    {
        let snapshot = state.snapshot
        let current = try await decidable(id: id, by: approver, secrets: snapshot.secrets)
        if let remember, !(1...ActionDefinition.longestExpiry).contains(remember) {
            throw DecisionError.invalid("\"remember\" must be a whole number of seconds from 1 to \(ActionDefinition.longestExpiry)")
        }
        let now = clock.now()
        // Decided again against what is loaded now: the action must be the version the request was
        // queued (and shown) under, and no rule loaded since may deny it.
        // Paths are mapped and checked once, now; the same result decides, keys the grant and runs.
        let action = snapshot.catalog[current.action]
        let validation = Result<[String: ParameterValue], any Error> {
            guard let action else { throw RequestError.unknownAction(current.action) }
            return try validator.validate(ActionRequest(action: current.action, arguments: current.params), against: action)
        }
        let values = try? validation.get()
        if let refusal = Self.refusalAtApproval(of: current, action: action, values: values) {
            let transition = try await store.transition(id: id, from: .pending, now: now, events: [.decided]) { record in
                record.status = .denied
                record.decision = ActionDecision(kind: refusal.kind, by: refusal.by, at: now)
                record.reason = refusal.reason
                record.finished = now
            }
            guard case .applied(let record) = transition else { throw Self.conflict(transition, fallback: current) }
            return record
        }
        let grant = remember.map { seconds in
            Grant(
                id: UUID().uuidString.lowercased(), approver: approver, submitter: current.submitter,
                action: current.action, params: values?.mapValues(\.resolvedJSON) ?? current.params, created: now,
                expires: now.addingTimeInterval(TimeInterval(seconds)), sourceRequest: id)
        }
        let transition = try await store.transition(id: id, from: .pending, now: now, events: [.decided], grant: grant) {
            record in
            record.status = .running
            record.decision = ActionDecision(kind: .person, by: approver, approver: approver, at: now)
            record.reason = reason
        }
        guard case .applied(let record) = transition else { throw Self.conflict(transition, fallback: current) }
        metrics.timeToDecision(now.timeIntervalSince(record.created))
        return try await start(record, action: action, validation: validation, catalog: snapshot.catalog)
    }

    /// Why an approval must not run `record` after all: its action was changed and reloaded since it
    /// was queued (the approver saw the old one), or a rule loaded since denies it now.
    static func refusalAtApproval(of record: ActionRecord, action: ActionDefinition?, values: [String: ParameterValue]?)
        -> (kind: ActionDecision.Kind, by: String, reason: String)?
    {
        guard let action else { return nil }  // start() fails it: the action is gone
        if let values {
            let decision = PolicyEvaluator.decide(action, parameters: values)
            if decision.policy == .autoDeny {
                let explanation = decision.explanation(action: action.name)
                return (.rule, explanation, "denied by \(explanation) (loaded after the request was queued)")
            }
        }
        if let queuedUnder = record.actionFingerprint, queuedUnder != action.fingerprint {
            return (
                .policy, "a changed action \(action.name)",
                "denied: the action \(action.name) was changed and reloaded after this request was queued, so what "
                    + "the approver was shown is not what would run; submit it again"
            )
        }
        return nil  // a path that no longer maps: start() fails it with the reason
    }

    /// Starts an approved request's handler in the background with `validation`, its parameters
    /// validated at approval (paths mapped again then: a symbolic link planted while it waited is
    /// judged as it is now); a validation that failed ends the request `failed`, nothing run.
    private func start(
        _ record: ActionRecord, action definition: ActionDefinition?,
        validation: Result<[String: ParameterValue], any Error>, catalog: ActionCatalog
    ) async throws -> ActionRecord {
        var record = record
        let values: [String: ParameterValue]
        let action: ActionDefinition
        do {
            values = try validation.get()
            guard let definition else { throw RequestError.unknownAction(record.action) }
            action = definition
        } catch {
            record.status = .failed
            record.reason = "not run: \((error as? RequestError)?.message ?? "\(error)")"
            record.finished = clock.now()
            try await store.save(record, events: [.finished])
            return record
        }
        guard action.run != nil else {
            return try await execute(action, values: values, record: record, catalog: catalog, alreadyStarted: true)
        }
        let started = record
        Task {
            do {
                _ = try await execute(action, values: values, record: started, catalog: catalog, alreadyStarted: true)
            } catch {
                logger.error("could not store the outcome of \(started.id): \(error)")
            }
        }
        return record
    }

    /// `approver` denies pending request `id`, with an optional `reason` the submitter will read.
    public func deny(id: String, by approver: String, reason: String? = nil) async throws -> ActionRecord {
        let current = try await decidable(id: id, by: approver, secrets: state.snapshot.secrets)
        let now = clock.now()
        let transition = try await store.transition(id: id, from: .pending, now: now, events: [.decided]) { record in
            record.status = .denied
            record.decision = ActionDecision(kind: .person, by: approver, approver: approver, at: now)
            record.reason = reason.map { "denied by \(approver): \($0)" } ?? "denied by \(approver)"
            record.finished = now
        }
        guard case .applied(let record) = transition else { throw Self.conflict(transition, fallback: current) }
        metrics.timeToDecision(now.timeIntervalSince(record.created))
        return record
    }

    /// The submitter withdraws its own pending request `id`.
    public func cancel(id: String, by user: String) async throws -> ActionRecord {
        guard let current = try await record(id: id, for: user) else { throw DecisionError.notFound }
        guard current.submitter == user else {
            throw DecisionError.forbidden("only its submitter (\(current.submitter)) may cancel a request")
        }
        let now = clock.now()
        let transition = try await store.transition(id: id, from: .pending, now: now, events: [.canceled]) { record in
            record.status = .canceled
            record.reason = "canceled by \(user)"
            record.finished = now
        }
        guard case .applied(let record) = transition else { throw Self.conflict(transition, fallback: current) }
        return record
    }

    /// The record `id` if `user` may decide it (403 for self or anyone outside `canApprove`).
    private func decidable(id: String, by user: String, secrets: Secrets) async throws -> ActionRecord {
        guard let record = try await store.record(id: id) else { throw DecisionError.notFound }
        guard record.submitter != user else { throw DecisionError.forbidden("nobody may decide their own request") }
        guard secrets.canApprove(user, submitter: record.submitter) else {
            throw DecisionError.forbidden("\(user) may not decide requests of \(record.submitter) (see canApprove)")
        }
        return record
    }

    private static func conflict(_ transition: ConduitStore.Transition, fallback: ActionRecord) -> DecisionError {
        if case .unchanged(let record) = transition { return .notPending(record ?? fallback) }
        return .notPending(fallback)
    }

    // MARK: Expiry and grants

    /// Marks overdue pending requests `expired`; returns how many.
    @discardableResult
    public func expireDue(now: Date? = nil) async throws -> Int {
        try await store.expirePending(now: now).count
    }

    /// Active grants `user` made, or may see (those about themselves or submitters they may decide for).
    public func grants(for user: String) async throws -> [Grant] {
        let secrets = state.snapshot.secrets
        return try await store.activeGrants().filter {
            $0.approver == user || maySee($0.submitter, user: user, secrets: secrets)
        }
    }

    /// Revokes grant `id`: its approver or anyone who may decide for its submitter may.
    public func revokeGrant(id: String, by user: String) async throws -> Grant {
        let secrets = state.snapshot.secrets
        guard let grant = try await store.grant(id: id),
            grant.approver == user || maySee(grant.submitter, user: user, secrets: secrets)
        else { throw DecisionError.notFound }
        guard grant.approver == user || secrets.canApprove(user, submitter: grant.submitter) else {
            throw DecisionError.forbidden("only \(grant.approver) or another approver of \(grant.submitter) may revoke it")
        }
        guard let revoked = try await store.revokeGrant(id: id, by: user) else { throw DecisionError.notFound }
        return revoked
    }

    /// The answer of `list-actions`.
    static func listing(of catalog: ActionCatalog) -> JSONValue {
        let actions: [JSONValue] = catalog.names.compactMap { catalog[$0] }.map { action in
            let params: [JSONValue] = action.params.map { spec in
                [
                    "name": .string(spec.name), "type": .string(spec.type.rawValue), "required": .bool(spec.required),
                    "description": .string(spec.description),
                ]
            }
            return [
                "name": .string(action.name), "description": .string(action.description),
                "policy": .string(action.policy.rawValue), "params": .array(params),
            ]
        }
        return ["actions": .array(actions)]
    }
}

/// A count that concurrent requests raise and lower.
public final class WaitCounter: Sendable {
    private let value = Mutex(0)

    public init() {}

    func add(_ delta: Int) { value.withLock { $0 += delta } }

    /// The count now.
    public var current: Int { value.withLock { $0 } }
}
