import ConduitCore
import ConduitStore
import Hummingbird
import NIOCore

/// Requests and decisions: submit, read (and wait), approve, deny, cancel.
public struct ActionsController: Sendable {
    let broker: ActionBroker

    public init(broker: ActionBroker) {
        self.broker = broker
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.post("actions", use: submit)
        group.get("actions/{id}", use: show)
        group.delete("actions/{id}", use: cancel)
        group.post("actions/{id}/approve", use: approve)
        group.post("actions/{id}/deny", use: deny)
        group.get("queue", use: queue)
    }

    /// Submits an action: 200 run now, 202 queued, 403 denied, 400 invalid.
    @Sendable func submit(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var request = request
        let body = try await request.collectBody(upTo: .max)
        let record: ActionRecord
        var parsed: JSONValue?  // parsed once: the audit of a rejection names the action from it
        do {
            let json = try ActionRequest.json(of: body.readableBytesView)
            parsed = json
            record = try await broker.submit(try ActionRequest(json: json), from: identity.user, forRun: context.runScope?.run)
        } catch let error as RequestError {
            let named = parsed?["action"]?.stringValue
            await broker.auditRejection(error, action: named, from: identity.user)
            broker.metrics.request(action: broker.catalogName(of: named), outcome: "rejected")
            throw error
        }
        broker.metrics.request(action: record.action, outcome: record.status.rawValue)
        context.summary.record(action: record.action, decision: record.decidedBy ?? record.status.rawValue)
        let status: HTTPResponse.Status =
            switch record.status {
            case .pending, .running: .accepted
            case .denied: .forbidden
            case .completed, .failed, .expired, .canceled: .ok
            }
        return try JSONResponse.make(status, record.submissionJSON, signer: context.responseSigner)
    }

    /// The record, for its submitter and those who may decide it; 404 for anyone else, as for an
    /// unknown id. `?wait=SECONDS` (0–300) holds the answer until the record is final or time is up.
    @Sendable func show(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        let wait = try Self.waitSeconds(request.uri.queryParameters["wait"].map(String.init))
        let slot = wait == nil ? nil : broker.waitSlots.acquire(for: identity.user)
        if wait != nil, slot == nil {
            throw APIError.busy(
                code: "too_many_waits",
                "\(identity.user) already holds \(broker.waitSlots.perUser) waiting requests (?wait=); retry, or wait without ?wait=")
        }
        defer { slot?.release() }
        let found =
            if let wait {
                try await Self.untilDisconnected(context.connectionClosed) {
                    try await broker.wait(id: id, for: identity.user, seconds: wait)
                }
            } else {
                try await broker.record(id: id, for: identity.user)
            }
        guard let record = found, context.runScope == nil || record.run == context.runScope?.run else { throw APIError.notFound }
        return try JSONResponse.make(.ok, record.json, signer: context.responseSigner)
    }

    /// Runs `work`, cancelled as soon as the client's connection closes: an abandoned `?wait=`
    /// must not hold its socket and memory for up to 300 s.
    static func untilDisconnected<T: Sendable>(
        _ closed: EventLoopFuture<Void>?, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard let closed else { return try await work() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                await Self.closeOrCancellation(of: closed)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw CancellationError() }
            return value
        }
    }

    /// Returns when `closed` completes or the task is cancelled, whichever comes first
    /// (`EventLoopFuture.get()` alone would outlive the cancellation and hold the group open).
    static func closeOrCancellation(of closed: EventLoopFuture<Void>) async {
        let (signal, continuation) = AsyncStream<Void>.makeStream()
        closed.whenComplete { _ in continuation.finish() }
        await withTaskCancellationHandler {
            for await _ in signal {}
        } onCancel: {
            continuation.finish()
        }
    }

    /// `wait` as seconds: a whole number from 0 to ``ActionBroker/longestWait``.
    static func waitSeconds(_ text: String?) throws(DecisionError) -> Int? {
        guard let text else { return nil }
        guard let seconds = Int(text), (0...ActionBroker.longestWait).contains(seconds) else {
            throw .invalid("\"wait\" must be a whole number of seconds from 0 to \(ActionBroker.longestWait)")
        }
        return seconds
    }

    /// Approves a pending request (optionally remembering it): 200 with the record as it stands.
    @Sendable func approve(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        var request = request
        let decision = try DecisionBody(body: try await request.collectBody(upTo: .max), allowsRemember: true)
        let record = try await broker.approve(
            id: id, by: identity.user, reason: decision.reason, remember: decision.remember)
        context.summary.record(action: record.action, decision: "approved by \(identity.user)")
        return try JSONResponse.make(.ok, record.json, signer: context.responseSigner)
    }

    /// Denies a pending request with an optional reason: 200 with the record.
    @Sendable func deny(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        var request = request
        let decision = try DecisionBody(body: try await request.collectBody(upTo: .max), allowsRemember: false)
        let record = try await broker.deny(id: id, by: identity.user, reason: decision.reason)
        context.summary.record(action: record.action, decision: "denied by \(identity.user)")
        return try JSONResponse.make(.ok, record.json, signer: context.responseSigner)
    }

    /// The submitter cancels its own pending request: 200 with the record.
    @Sendable func cancel(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        if let scope = context.runScope {
            // A run's credential withdraws only the run's own requests.
            guard let own = try await broker.record(id: id, for: identity.user), own.run == scope.run else { throw APIError.notFound }
        }
        let record = try await broker.cancel(id: id, by: identity.user)
        context.summary.record(action: record.action, decision: "canceled")
        return try JSONResponse.make(.ok, record.json, signer: context.responseSigner)
    }

    /// The page of `GET /v1/queue` given without `limit` (at most ``PageQuery/longestPage``).
    static let defaultQueuePage = 500

    /// `?limit=&cursor=` → one page of the pending requests the caller may decide, oldest first, and
    /// whose requests those may be: `{"pending": [record…], "total": N, "next_cursor": ID|null,
    /// "approves": [user…]}` (`total` counts every page; an empty `approves` means the caller may
    /// decide nobody's, so its queue stays empty).
    @Sendable func queue(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var limit = Self.defaultQueuePage
        var cursor: String?
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            try PageQuery.requireKnown(name, among: ["cursor", "limit"])
            if name == "limit" { limit = try PageQuery.limit(value) } else { cursor = String(value) }
        }
        let page = try await broker.queue(for: identity.user, after: cursor, limit: limit)
        let approves = broker.submittersDecidable(by: identity.user).map(JSONValue.string)
        return try JSONResponse.make(
            .ok,
            [
                "pending": .array(page.records.map(\.json)), "total": .integer(Int64(page.total)),
                "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null, "approves": .array(approves),
            ], signer: context.responseSigner)
    }
}

extension ConduitRequestContext {
    /// The authenticated caller; only routes behind ``SignatureMiddleware`` call this.
    func requireIdentity() throws -> AuthenticatedRequest {
        guard let identity else { throw APIError.internalError }
        return identity
    }
}
