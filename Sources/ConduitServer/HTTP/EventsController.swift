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
///
/// Fan-out stays cheap however many subscribers there are: an event's frame is encoded once for all
/// of them (``PublishedEvent``), and each subscriber's writer sends everything that arrived since its
/// last write in one write (``EventMailbox``). A subscriber more than ``bufferSize`` events behind
/// gets `event: overflow` with `{"dropped", "resume_after"}` and the stream ends.
public struct EventsController: Sendable {
    let broker: ActionBroker
    let heartbeat: Duration
    /// Events a subscriber may fall behind before it is told (`event: overflow`) and disconnected.
    let bufferSize: Int

    /// The least time between two writes of events to one subscriber, given how many streams are
    /// open: 20 ms, or 0.2 ms per open stream when that is longer (100 ms for 500). Writes, not
    /// events, are what fan-out costs (a syscall and an event-loop hop each, ~30 µs), so all streams
    /// together make at most about 5,000 writes a second whatever the event rate, and requests keep
    /// the rest of the CPU. What arrives meanwhile goes out in the next write; the first event after
    /// a quiet spell goes out at once.
    ///
    /// Each pause is drawn from half to one and a half times that: subscribers woken by the same
    /// event would otherwise all write again at the same instant, and a request arriving then would
    /// queue behind hundreds of writes on its event loop.
    static func writeInterval(openStreams: Int) -> Duration {
        let base = max(.milliseconds(20), .microseconds(200) * openStreams)
        return base * Double.random(in: 0.5...1.5)
    }

    /// Most events replayed for one `Last-Event-ID`.
    static let replayLimit = 10_000

    public init(broker: ActionBroker, heartbeat: Duration = .seconds(ServerDefaults.heartbeat), bufferSize: Int = ServerDefaults.eventBuffer) {
        self.broker = broker
        self.heartbeat = heartbeat
        self.bufferSize = bufferSize
    }

    /// Routes, to be added behind ``SignatureMiddleware``.
    public func addRoutes(to group: RouterGroup<ConduitRequestContext>) {
        group.get("events", use: stream)
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
        // Subscribe before reading the replay, so nothing falls between the two; duplicates are
        // skipped by id below.
        let mailbox = EventMailbox(capacity: bufferSize)
        let subscription = broker.subscribeToEvents(for: user) { mailbox.deliver($0) }
        let replay: [BrokerEvent]
        do {
            replay = replaying ? try await broker.storedEvents(after: lastSeen, for: user, limit: Self.replayLimit) : []
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
                        mailbox.heartbeat()
                    }
                }
                defer {
                    beat.cancel()
                    subscription.cancel()
                    mailbox.close()
                    slot.release()
                }
                var last = startingAfter
                var opening = ServerSentEvent.comment("conduit events for \(user)")
                for event in replay where event.id > last {
                    opening += PublishedEvent.serverSentEvent(for: event)
                    last = event.id
                }
                try await writer.write(ByteBuffer(string: opening))
                try await withGracefulShutdownHandler {
                    for await _ in mailbox.wakeUps {
                        let batch = mailbox.take()
                        var text = ""
                        for published in batch.events where published.event.id > last {
                            text += published.serverSentEvent
                            last = published.event.id
                        }
                        if batch.dropped > 0 {
                            // Fallen more than the buffer behind: say so and end the stream; the
                            // client resumes with Last-Event-ID = the last id it saw.
                            text += ServerSentEvent(
                                id: nil, event: "overflow", data: #"{"dropped":\#(batch.dropped),"resume_after":\#(last)}"#
                            ).encoded
                            try await writer.write(ByteBuffer(string: text))
                            break
                        }
                        if batch.heartbeat { text += ServerSentEvent.comment("heartbeat") }
                        guard !text.isEmpty else { continue }
                        try await writer.write(ByteBuffer(string: text))
                        if !batch.events.isEmpty {
                            try? await Task.sleep(for: Self.writeInterval(openStreams: broker.streamSlots.total))
                        }
                    }
                } onGracefulShutdown: {
                    mailbox.close()
                }
                try await writer.finish(nil)
            })
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
