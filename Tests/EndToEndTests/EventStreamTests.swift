import ConduitClient
import ConduitCore
import ConduitTestSupport
import Foundation
import Synchronization
import Testing

/// `GET /v1/events` from the real server: live, filtered per caller, replayable across restarts.
@Suite("Event stream (real binaries)")
struct EventStreamTests {
    /// Collects a stream's events in the background.
    final class Collector: Sendable {
        let events = Shared<[ServerSentEvent]>([])
        let ended = Shared(false)
        let task: Task<Void, Never>

        init(_ stream: AsyncThrowingStream<ServerSentEvent, any Error>) {
            let events = self.events
            let ended = self.ended
            task = Task {
                do { for try await event in stream { events.update { $0.append(event) } } } catch {}
                ended.update { $0 = true }
            }
        }

        var kinds: [String] { events.value.compactMap(\.event) }
        var ids: [String] { events.value.compactMap(\.id) }
    }

    @Test func eventsArriveLiveForThoseWhoMaySeeThemAndReplayAfterARestart() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        _ = try workspace.keygen("--add", "stranger")
        try workspace.write("actions/ask.yaml", "description: Waits.\npolicy: queue\n")
        let server = try workspace.startServer()
        let clients = LongLivedClients()
        let approver = Collector(try await clients.client(as: "user", in: workspace, server: server).events())
        let stranger = Collector(try await clients.client(as: "stranger", in: workspace, server: server).events())

        let id = try await workspace.withClient(as: "agent", server: server) { client in
            try #require(try await client.submit(["action": "ask"]).json?["id"]?.stringValue)
        }
        #expect(eventually { approver.kinds == ["queued"] })
        _ = try await workspace.withClient(as: "user", server: server) { try await $0.approve(id: id) }
        #expect(eventually { approver.kinds == ["queued", "decided", "finished"] }, "\(approver.kinds)")
        #expect(stranger.kinds.isEmpty, "a stranger sees nothing of it")
        let firstID = try #require(approver.ids.first)

        // A graceful stop ends open streams; the events are stored, so their ids survive a restart.
        #expect(server.stop() == 0)
        #expect(eventually { approver.ended.value })
        let restarted = try workspace.startServer()
        defer { restarted.stop() }
        let replay = Collector(
            try await clients.client(as: "user", in: workspace, server: restarted).events(lastEventID: firstID))
        #expect(eventually { replay.ids == Array(approver.ids.dropFirst()) }, "\(replay.ids) vs \(approver.ids)")
        #expect(replay.kinds == ["decided", "finished"])
        let payload = try JSONValue.parse(Array((replay.events.value.first?.data ?? "").utf8))
        #expect(payload["record"]?["id"] == .string(id))
        #expect(payload["record"]?["decision"]?["by"] == "user")
        for collector in [approver, stranger, replay] { collector.task.cancel() }
        await clients.shutdown()
    }

    @Test func anIdleStreamGetsAHeartbeatComment() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        let server = try workspace.startServer(["--heartbeat", "1"])
        defer { server.stop() }
        let clients = LongLivedClients()
        let comments = Shared<[String]>([])
        let stream = try await clients.client(as: "user", in: workspace, server: server).events { text in
            comments.update { $0.append(text) }
        }
        let reader = Task { for try await _ in stream {} }
        #expect(eventually(timeout: 10) { comments.value.contains("heartbeat") }, "\(comments.value)")
        reader.cancel()
        await clients.shutdown()
    }
}
