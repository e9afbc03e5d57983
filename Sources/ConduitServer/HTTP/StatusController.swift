import ConduitCore
import ConduitStore
import Foundation
import Hummingbird

/// `GET /v1/status` (signed): version, uptime, queue depth, catalog size, database path and state.
public struct StatusController: Sendable {
    let broker: ActionBroker
    let startedAt: Date

    public init(broker: ActionBroker, startedAt: Date = Date()) {
        self.broker = broker
        self.startedAt = startedAt
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.get("status", use: status)
    }

    @Sendable func status(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        _ = try context.requireIdentity()
        let status = try await broker.status()
        let body: JSONValue = [
            "version": .string(ConduitVersion.current),
            "started": .string(ActionRecord.format(startedAt)),
            "uptime_seconds": .integer(Int64(Date().timeIntervalSince(startedAt))),
            "queue_depth": .integer(Int64(status.queueDepth)),
            "actions": .integer(Int64(status.actions)),
            "users": .integer(Int64(status.users)),
            "database": ["path": .string(status.databasePath), "state": .string(status.databaseState)],
        ]
        return try JSONResponse.make(.ok, body, signer: context.responseSigner)
    }
}
