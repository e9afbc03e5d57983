import ConduitCore
import Hummingbird

/// `POST /v1/actions` and `GET /v1/actions/{id}`.
public struct ActionsController: Sendable {
    let broker: ActionBroker

    public init(broker: ActionBroker) {
        self.broker = broker
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.post("actions", use: submit)
        group.get("actions/{id}", use: show)
    }

    /// Submits an action: 200 run now, 202 queued, 403 denied, 400 invalid.
    @Sendable func submit(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw APIError.internalError }
        var request = request
        let body = try await request.collectBody(upTo: .max)
        let actionRequest = try ActionRequest(body: body.readableBytesView)
        let record = try await broker.submit(actionRequest, from: identity.user)
        context.summary.record(action: record.action, decision: record.decidedBy ?? record.status.rawValue)
        let status: HTTPResponse.Status =
            switch record.status {
            case .pending, .running: .accepted
            case .denied: .forbidden
            case .completed, .failed: .ok
            }
        return try JSONResponse.make(status, record.submissionJSON, signer: context.responseSigner)
    }

    /// The record, for its submitter only; 404 for anyone else, as for an unknown id.
    @Sendable func show(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw APIError.internalError }
        let id = try context.parameters.require("id")
        guard let record = broker.record(id: id, for: identity.user) else { throw APIError.notFound }
        return try JSONResponse.make(.ok, record.json, signer: context.responseSigner)
    }
}
