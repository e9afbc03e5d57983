import ConduitCore
import Foundation
import Logging

/// Takes an authenticated user's request from validation to decision to execution, without HTTP.
public struct ActionBroker: Sendable {
    public let state: BrokerState
    public let store: ActionRecordStore
    public let validator: ParameterValidator
    public let runner: ActionRunner

    public init(state: BrokerState, store: ActionRecordStore, pathMapper: PathMapper, runner: ActionRunner) {
        self.state = state
        self.store = store
        self.validator = ParameterValidator(pathMapper: pathMapper)
        self.runner = runner
    }

    /// Validates, decides and (when accepted) runs `request` for `submitter`.
    /// - Throws: ``RequestError`` for an unknown action or a bad parameter; nothing is recorded then.
    public func submit(_ request: ActionRequest, from submitter: String) async throws(RequestError) -> ActionRecord {
        let catalog = state.snapshot.catalog
        guard let action = catalog[request.action] else { throw .unknownAction(request.action) }
        let values = try validator.validate(request, against: action)
        let decision = PolicyEvaluator.decide(action, parameters: values)
        let now = Date()
        var record = ActionRecord(
            id: UUID().uuidString.lowercased(), action: action.name, submitter: submitter,
            params: values.mapValues(\.json), status: .pending, created: now)
        switch decision.policy {
        case .queue:
            store.save(record)
        case .autoDeny:
            record.status = .denied
            record.decidedBy = decision.explanation(action: action.name)
            record.decided = now
            record.reason = "denied by \(decision.explanation(action: action.name))"
            record.finished = now
            store.save(record)
        case .autoAccept:
            record.decidedBy = decision.explanation(action: action.name)
            record.decided = now
            record = await execute(action, values: values, record: record, catalog: catalog)
        }
        return record
    }

    /// The record `id` as `user` may see it: only their own requests (others get nil, as if absent).
    public func record(id: String, for user: String) -> ActionRecord? {
        guard let record = store.record(id: id), record.submitter == user else { return nil }
        return record
    }

    private func execute(
        _ action: ActionDefinition, values: [String: ParameterValue], record: ActionRecord, catalog: ActionCatalog
    ) async -> ActionRecord {
        var record = record
        if action.builtin == .listActions {
            record.result = Self.listing(of: catalog)
            record.status = .completed
        } else if let template = action.run {
            record.status = .running
            store.save(record)
            let argv = template.render(values.mapValues(\.argument))
            let outcome = await runner.run(argv, timeout: .seconds(action.timeout))
            record.result = outcome.json
            record.status = outcome.succeeded ? .completed : .failed
        } else {
            record.result = [:]
            record.status = .completed
        }
        record.finished = Date()
        store.save(record)
        return record
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
