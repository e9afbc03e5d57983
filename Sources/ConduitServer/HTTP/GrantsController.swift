import ConduitCore
import ConduitStore
import Hummingbird

/// Remembered approvals: `GET /v1/grants`, `DELETE /v1/grants/{id}`.
public struct GrantsController: Sendable {
    let broker: ActionBroker

    public init(broker: ActionBroker) {
        self.broker = broker
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.get("grants", use: list)
        group.delete("grants/{id}", use: revoke)
    }

    /// Active grants the caller made or may see: `{"grants": [grant…]}`, newest first.
    @Sendable func list(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let grants = try await broker.grants(for: identity.user)
        return try JSONResponse.make(.ok, ["grants": .array(grants.map(\.json))], signer: context.responseSigner)
    }

    /// Revokes a grant: 200 with the grant; 403 if the caller may see but not revoke it; 404 otherwise.
    @Sendable func revoke(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let grant = try await broker.revokeGrant(id: try context.parameters.require("id"), by: identity.user)
        return try JSONResponse.make(.ok, grant.json, signer: context.responseSigner)
    }
}
