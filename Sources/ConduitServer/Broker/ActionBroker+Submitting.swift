import ConduitCore
import ConduitStore
import Foundation
import Logging

extension ActionBroker {
    // MARK: Submitting

    /// Validates, decides, stores and (when accepted) runs `request` for `submitter` — made by the
    /// agent of run `run` (with its attempt's credential), when given.
    /// - Throws: ``RequestError`` for an unknown action or a bad parameter (nothing is stored then),
    ///   or the database's error.
    public func submit(_ request: ActionRequest, from submitter: String, forRun run: String? = nil) async throws -> ActionRecord {
        let snapshot = state.snapshot
        guard let action = snapshot.catalog[request.action], action.builtin != .runStart else {
            throw request.action == ActionDefinition.runStart.name ? RequestError.runThroughRuns : RequestError.unknownAction(request.action)
        }
        let values = try validator.validate(request, against: action)
        let decision = PolicyEvaluator.decide(action, parameters: values)
        let now = clock.now()
        var record = ActionRecord(
            id: UUID().uuidString.lowercased(), action: action.name, description: action.description,
            submitter: submitter, params: values.mapValues(\.json), status: .pending, created: now,
            actionFingerprint: action.fingerprint, run: run)
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
            record = try await executeAccepted(action, values: values, record: record, catalog: snapshot.catalog)
        case .queue:
            if let grant = try await applicableGrant(for: record, values: values, secrets: snapshot.secrets) {
                record.decision = ActionDecision(
                    kind: .grant, by: "grant \(grant.id) from \(grant.approver)", approver: grant.approver,
                    grantID: grant.id, at: now)
                record = try await executeAccepted(action, values: values, record: record, catalog: snapshot.catalog)
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
            timeMilliseconds: Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)), event: AuditEvent.requestRejected.rawValue,
            user: submitter, action: named.map { String($0.prefix(128)) }, outcome: error.code, detail: .object(detail))
        do {
            try await store.audit(entry)
        } catch {
            logger.error("could not audit a rejected request: \(error)")
        }
    }

    /// Runs the notify command for a newly queued request, in the background (at most 10 s).
    func announce(_ record: ActionRecord) {
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
    func applicableGrant(for record: ActionRecord, values: [String: ParameterValue], secrets: Secrets)
        async throws -> Grant?
    {
        try await store.activeGrants(
            submitter: record.submitter, action: record.action, params: values.mapValues(\.resolvedJSON)
        )
        .first { secrets.canApprove($0.approver, submitter: record.submitter) }
    }
}
