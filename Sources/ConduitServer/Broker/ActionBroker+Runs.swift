import ConduitCore
import ConduitStore
import Foundation

extension ActionBroker {
    /// Queues the start of `fanout` runs of `policy` for a person: a request of the built-in action
    /// `run` in the ordinary queue (ccc-queue shows it like any other), expiring as the server's default.
    func requestRunStart(policy: RunPolicy, project: String, prompt: String, fanout: Int, from submitter: String) async throws
        -> ActionRecord
    {
        let now = clock.now()
        let action = ActionDefinition.runStart
        let record = ActionRecord(
            id: UUID().uuidString.lowercased(), action: action.name,
            description: "\(action.description) Run policy \(policy.name): \(policy.description)", submitter: submitter,
            params: [
                "policy": .string(policy.name), "project": .string(project), "prompt": .string(prompt),
                "fanout": .integer(Int64(fanout)),
            ], status: .pending, created: now, expires: now.addingTimeInterval(TimeInterval(defaultExpiry)),
            actionFingerprint: action.fingerprint)
        try await store.save(record, events: [.queued])
        announce(record)
        return record
    }
}
