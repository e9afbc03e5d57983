import ConduitCore
import ConduitStore
import Foundation
import Logging
import Synchronization

extension ActionBroker {
    // MARK: Running

    /// Runs a request accepted just now (policy, rule or grant) to its end: its decision is stored
    /// with `running` before a command starts, or with the outcome when there is none.
    func executeAccepted(
        _ action: ActionDefinition, values: [String: ParameterValue], record: ActionRecord, catalog: ActionCatalog
    ) async throws -> ActionRecord {
        try await execute(action, values: values, record: record, catalog: catalog, decisionToStore: [.decided])
    }

    /// Runs a request whose approval is stored already (`running`, event `decided`) to its end.
    func executeApproved(
        _ action: ActionDefinition, values: [String: ParameterValue], record: ActionRecord, catalog: ActionCatalog
    ) async throws -> ActionRecord {
        try await execute(action, values: values, record: record, catalog: catalog, decisionToStore: [])
    }

    /// Runs the request to its end, storing `running` (with `decisionToStore`) before a command and
    /// the outcome last.
    private func execute(
        _ action: ActionDefinition, values: [String: ParameterValue], record: ActionRecord, catalog: ActionCatalog,
        decisionToStore: [BrokerEvent.Kind]
    ) async throws -> ActionRecord {
        var record = record
        var finalEvents: [BrokerEvent.Kind] = decisionToStore + [.finished]
        if action.builtin == .listActions {
            record.result = Self.listing(of: catalog)
            record.status = .completed
        } else if let template = action.run {
            if !decisionToStore.isEmpty {
                record.status = .running
                try await store.save(record, events: decisionToStore)
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


    static func listing(of catalog: ActionCatalog) -> JSONValue {
        // `run` is asked through POST /v1/runs, never as an action: it is not listed.
        let actions: [JSONValue] = catalog.names.compactMap { catalog[$0] }.filter { $0.builtin != .runStart }.map { action in
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
