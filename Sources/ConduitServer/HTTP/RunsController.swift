import ConduitCore
import ConduitStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/v1/runs`: supervised runs of coding agents (see ``RunSupervisor``). A run is visible to its
/// submitter and to those who may approve the submitter's requests; to anyone else it does not exist.
public struct RunsController: Sendable {
    let supervisor: RunSupervisor
    let broker: ActionBroker
    let heartbeat: Duration

    public init(supervisor: RunSupervisor, broker: ActionBroker, heartbeat: Duration = .seconds(ServerDefaults.heartbeat)) {
        self.supervisor = supervisor
        self.broker = broker
        self.heartbeat = heartbeat
    }

    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.post("runs", use: submit)
        group.get("runs", use: list)
        group.get("runs/{id}", use: show)
        group.get("runs/{id}/events", use: events)
        group.post("runs/{id}/cancel", use: cancel)
        group.post("runs/{id}/messages", use: message)
    }

    /// `{"policy", "project", "prompt", "fanout"?}` → 202 `{"group", "runs"}`; 403 when the run policy is auto-deny.
    @Sendable func submit(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let body = try await Self.object(request, known: ["policy", "project", "prompt", "fanout"])
        let policy = try Self.text(body, "policy")
        let project = try Self.text(body, "project")
        let prompt = try Self.prompt(body)
        var fanout = 1
        if let value = body["fanout"] {
            guard case .integer(let number) = value else { throw RunError.invalid("\"fanout\" must be a whole number") }
            fanout = Int(clamping: number)
        }
        let submission = try await supervisor.submit(policy: policy, project: project, prompt: prompt, fanout: fanout, from: identity.user)
        context.summary.record(action: "run", decision: submission.runs.first?.status.rawValue ?? "none")
        var answer: [String: JSONValue] = ["group": .string(submission.group), "runs": .array(submission.runs.map(\.json))]
        if submission.denied { answer["reason"] = .string(submission.runs.first?.reason ?? "denied") }
        return try JSONResponse.make(submission.denied ? .forbidden : .accepted, .object(answer), signer: context.responseSigner)
    }

    /// `?group=&status=&limit=&cursor=` → `{"runs": […], "next_cursor": ID|null}`, newest first.
    @Sendable func list(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var group: String?
        var status: RunStatus?
        var limit = 100
        var cursor: String?
        for (name, value) in request.uri.queryParameters {
            let value = String(value)
            try PageQuery.requireKnown(String(name), among: ["group", "status", "limit", "cursor"])
            switch name {
            case "group": group = value
            case "status":
                guard let parsed = RunStatus(rawValue: value) else {
                    throw RunError.invalid("\"status\" must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = parsed
            case "limit": limit = try PageQuery.limit(value)
            default: cursor = value
            }
        }
        let page: RunPage
        do {
            page = try await broker.store.runPage(
                submittedBy: broker.visibleUsers(to: identity.user), group: group, status: status, after: cursor, limit: limit)
        } catch is RunPage.UnknownCursor {
            throw RunError.invalid("\"cursor\" must be the next_cursor of a previous page")
        }
        return try JSONResponse.make(
            .ok, ["runs": .array(page.runs.map(\.json)), "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null],
            signer: context.responseSigner)
    }

    @Sendable func show(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let run = try await supervisor.run(id: try context.parameters.require("id"), for: identity.user) else {
            throw RunError.notFound
        }
        return try JSONResponse.make(.ok, run.json, signer: context.responseSigner)
    }

    @Sendable func cancel(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let run = try await supervisor.cancel(id: try context.parameters.require("id"), by: identity.user)
        context.summary.record(action: "run", decision: "cancelled by \(identity.user)")
        return try JSONResponse.make(.ok, run.json, signer: context.responseSigner)
    }

    /// `{"prompt"}` on a finished run → 202 with the run, queued for a follow-up attempt.
    @Sendable func message(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        let body = try await Self.object(request, known: ["prompt"])
        let run = try await supervisor.message(id: id, prompt: try Self.prompt(body), by: identity.user)
        return try JSONResponse.make(.accepted, run.json, signer: context.responseSigner)
    }

    /// Server-Sent Events of the run: the stored ones after `Last-Event-ID` (all of them without
    /// it), then live ones; the stream ends with `run.finished`. A finished run replays and ends.
    @Sendable func events(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let signer = context.responseSigner else { throw APIError.internalError }
        let id = try context.parameters.require("id")
        guard let run = try await supervisor.run(id: id, for: identity.user) else { throw RunError.notFound }
        var after: Int64 = 0
        if let header = request.headers[.lastEventID], !header.isEmpty {
            guard let value = Int64(header), value >= 0 else {
                throw RunError.invalid("Last-Event-ID must be an event id (a non-negative integer)")
            }
            after = value
        }
        guard let slot = broker.streamSlots.acquire(for: identity.user) else {
            throw APIError.busy(code: "too_many_streams", "\(identity.user) already holds \(broker.streamSlots.perUser) event streams open")
        }
        enum Item: Sendable {
            case event(RunEvent)
            case heartbeat
        }
        let (items, continuation) = AsyncStream<Item>.makeStream()
        let subscription = broker.store.runEvents.subscribe(run: id) { continuation.yield(.event($0)) }
        let replay: [RunEvent]
        do {
            replay = try await broker.store.runEvents(of: id, after: after)
        } catch {
            subscription.cancel()
            slot.release()
            throw error
        }
        // A finished run replays and ends (the stream of one that finishes now ends with run.finished).
        let endsAfterReplay = run.status.isFinal || replay.contains { $0.kind == .runFinished }
        let startingAfter = after
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        try signer.signStream(status: .ok, headers: &headers)
        let heartbeat = self.heartbeat
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let beat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: heartbeat)
                        continuation.yield(.heartbeat)
                    }
                }
                defer {
                    beat.cancel()
                    subscription.cancel()
                    continuation.finish()
                    slot.release()
                }
                var last = startingAfter
                var text = ServerSentEvent.comment("conduit run \(id)")
                for event in replay where event.id > last {
                    text += Self.frame(event)
                    last = event.id
                }
                try await writer.write(ByteBuffer(string: text))
                if !endsAfterReplay {
                    try await withGracefulShutdownHandler {
                        for await item in items {
                            switch item {
                            case .heartbeat:
                                try await writer.write(ByteBuffer(string: ServerSentEvent.comment("heartbeat")))
                            case .event(let event):
                                guard event.id > last else { continue }
                                last = event.id
                                try await writer.write(ByteBuffer(string: Self.frame(event)))
                                if event.kind == .runFinished { return }
                            }
                        }
                    } onGracefulShutdown: {
                        continuation.finish()
                    }
                }
                try await writer.finish(nil)
            })
    }

    static func frame(_ event: RunEvent) -> String {
        ServerSentEvent(id: String(event.id), event: event.kind.rawValue, data: event.json.compactText).encoded
    }

    // MARK: Bodies

    static func object(_ request: Request, known: Set<String>) async throws -> [String: JSONValue] {
        var request = request
        let body = try await request.collectBody(upTo: .max)
        guard case .object(let members) = try? JSONValue.parse(body.readableBytesView) else {
            throw RunError.invalid("the body must be a JSON object")
        }
        for name in members.keys.sorted() where !known.contains(name) {
            throw RunError.invalid("unknown field \"\(name)\" (expected \(known.sorted().joined(separator: ", ")))")
        }
        return members
    }

    static func text(_ body: [String: JSONValue], _ name: String) throws(RunError) -> String {
        guard let text = body[name]?.stringValue, !text.isEmpty else { throw .invalid("\"\(name)\" is required, a non-empty string") }
        return text
    }

    static func prompt(_ body: [String: JSONValue]) throws(RunError) -> String {
        let prompt = try text(body, "prompt")
        guard prompt.utf8.count <= RunLimits.longestPrompt else {
            throw .invalid("\"prompt\" is longer than \(RunLimits.longestPrompt) bytes")
        }
        guard !prompt.utf8.contains(0) else { throw .invalid("\"prompt\" cannot contain NUL") }
        return prompt
    }
}
