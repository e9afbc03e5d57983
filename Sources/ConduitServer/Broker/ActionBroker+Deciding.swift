import ConduitCore
import ConduitStore
import Foundation
import Logging

extension ActionBroker {
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
    func start(
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
            return try await executeApproved(action, values: values, record: record, catalog: catalog)
        }
        let started = record
        Task {
            do {
                _ = try await executeApproved(action, values: values, record: started, catalog: catalog)
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
    func decidable(id: String, by user: String, secrets: Secrets) async throws -> ActionRecord {
        guard let record = try await store.record(id: id) else { throw DecisionError.notFound }
        guard record.submitter != user else { throw DecisionError.forbidden("nobody may decide their own request") }
        guard secrets.canApprove(user, submitter: record.submitter) else {
            throw DecisionError.forbidden("\(user) may not decide requests of \(record.submitter) (see canApprove)")
        }
        return record
    }

    static func conflict(_ transition: ConduitStore.Transition, fallback: ActionRecord) -> DecisionError {
        if case .unchanged(let record) = transition { return .notPending(record ?? fallback) }
        return .notPending(fallback)
    }

}
