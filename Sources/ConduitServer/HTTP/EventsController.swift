import Synchronization
import ConduitCore
import ConduitStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /v1/events`: a Server-Sent Events stream of what the caller may see.
///
/// Each event has the stored event's `id:`, its kind as `event:`, and `{"id", "type", "at", "record"}`
/// as `data:`. `Last-Event-ID` replays the stored events after that id first. A comment line goes
/// out every ``heartbeat`` so idle connections stay open. The answer is signed over `@status` and
/// `content-type` (a stream has no digest).
public struct EventsController: Sendable {
    let broker: ActionBroker
    let heartbeat: Duration
    /// Events a subscriber may fall behind before it is told (`event: overflow`) and disconnected.
    let bufferSize: Int

    /// Most events replayed for one `Last-Event-ID`.
    static let replayLimit = 10_000

    public init(broker: ActionBroker, heartbeat: Duration = .seconds(15), bufferSize: Int = 10_000) {
        self.broker = broker
        self.heartbeat = heartbeat
        self.bufferSize = bufferSize
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.get("events", use: stream)
    }

    private enum Item: Sendable {
        case event(BrokerEvent)
        case heartbeat
    }

    @Sendable func stream(_ request: Request, context: ConduitRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let signer = context.responseSigner else { throw APIError.internalError }
        guard let slot = broker.streamSlots.acquire(for: identity.user) else {
            throw APIError.busy(
                code: "too_many_streams", "\(identity.user) already holds \(broker.streamSlots.perUser) event streams open")
        }
        var lastSeen: Int64 = 0
        var replaying = false
        if let header = request.headers[.lastEventID], !header.isEmpty {
            guard let id = Int64(header), id >= 0 else {
                throw DecisionError.invalid("Last-Event-ID must be an event id (a non-negative integer)")
            }
            lastSeen = id
            replaying = true
        }
        let user = identity.user
        let broker = self.broker
        let visible: @Sendable (BrokerEvent) -> Bool = { event in
            broker.maySee(event.record.submitter, user: user, secrets: broker.state.snapshot.secrets)
        }
        // Subscribe before reading the replay, so nothing falls between the two; duplicates are
        // skipped by id below.
        let (items, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let overflow = DroppedCount()
        let subscription = broker.store.events.subscribe { event in
            guard visible(event) else { return }
            if case .dropped = continuation.yield(.event(event)) { overflow.add() }
        }
        let replay: [BrokerEvent]
        do {
            replay = replaying ? try await broker.store.events(after: lastSeen, limit: Self.replayLimit).filter(visible) : []
        } catch {
            subscription.cancel()
            throw error
        }
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        try signer.signStream(status: .ok, headers: &headers)
        let heartbeat = self.heartbeat
        let startingAfter = lastSeen
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
                try await writer.write(ByteBuffer(string: ServerSentEvent.comment("conduit events for \(user)")))
                for event in replay where event.id > last {
                    try await writer.write(ByteBuffer(string: Self.encode(event)))
                    last = event.id
                }
                try await withGracefulShutdownHandler {
                    delivery: for await item in items {
                        switch item {
                        case .event(let event):
                            guard event.id > last else { continue }
                            let dropped = overflow.take()
                            if dropped > 0 {
                                // Fallen more than the buffer behind: say so and end the stream; the
                                // client resumes with Last-Event-ID = the last id it saw.
                                let marker = ServerSentEvent(
                                    id: nil, event: "overflow",
                                    data: #"{"dropped":\#(dropped),"resume_after":\#(last)}"#)
                                try await writer.write(ByteBuffer(string: marker.encoded))
                                break delivery
                            }
                            try await writer.write(ByteBuffer(string: Self.encode(event)))
                            last = event.id
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ServerSentEvent.comment("heartbeat")))
                        }
                    }
                } onGracefulShutdown: {
                    continuation.finish()
                }
                try await writer.finish(nil)
            })
    }

    static func encode(_ event: BrokerEvent) -> String {
        ServerSentEvent(
            id: String(event.id), event: event.kind.rawValue,
            data: event.json.compactText
        ).encoded
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}

/// Events a subscriber's buffer had to drop, counted where they are dropped.
final class DroppedCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    /// The count so far, reset to zero.
    func take() -> Int { count.withLock { value in defer { value = 0 }; return value } }
}
