import AsyncHTTPClient
import ConduitClient
import ConduitCore
import Foundation
import NIOCore
import Synchronization

/// Figures for `/v1/events` fan-out: many subscribers stay connected while signed decisions run in a
/// closed loop; how fast are the decisions and `/healthz` meanwhile, and does every subscriber see
/// every event, in order, without a gap?
enum FanoutBench {
    /// What one subscriber saw.
    final class Subscriber: Sendable {
        struct Seen {
            var events = 0
            var lastID: Int64 = 0
            var outOfOrder = 0
            var overflows = 0
            var ended = false
        }
        let seen = Mutex(Seen())
    }

    /// Counts shared by the bench's tasks.
    final class Tally: Sendable {
        let opened = Atomic<Int>(0)
        /// Failed decisions by status (0: no answer).
        let errors = Mutex<[Int: Int]>([:])
    }

    /// - Parameters:
    ///   - subscribers: the clients, `perUser` streams for each (users `sub0`, `sub1`, …, each allowed
    ///     to decide the agent's requests so it sees them).
    static func run(
        server: String, secretsPath: String, agent: ConduitHTTPClient, http: HTTPClient, subscribers count: Int,
        perUser: Int, connections: Int, seconds: Double, action: String
    ) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count + 8
        configuration.httpVersion = .http1Only
        let streaming = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let subscribers = (0..<count).map { _ in Subscriber() }
        let tally = Tally()
        let readers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, subscriber) in subscribers.enumerated() {
                    let user = "sub\(index / perUser)"
                    let client = try ConduitHTTPClient(
                        serverURL: server, credentials: try ClientCredentials.load(secretsPath: secretsPath, user: user),
                        httpClient: streaming, timeout: .seconds(60))
                    group.addTask {
                        let events = try await client.events()
                        tally.opened.add(1, ordering: .relaxed)
                        for try await event in events {
                            subscriber.seen.withLock { seen in
                                if event.event == "overflow" { seen.overflows += 1; return }
                                guard let id = event.id.flatMap({ Int64($0) }) else { return }
                                if id <= seen.lastID { seen.outOfOrder += 1 }
                                seen.lastID = id
                                seen.events += 1
                            }
                        }
                        subscriber.seen.withLock { $0.ended = true }
                    }
                }
                try await group.waitForAll()
            }
        }
        let openDeadline = ContinuousClock.now + .seconds(60)
        while tally.opened.load(ordering: .relaxed) < count, ContinuousClock.now < openDeadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        print("\(tally.opened.load(ordering: .relaxed)) of \(count) event streams open (\(perUser) per user)")

        // Decisions in a closed loop; /healthz sampled alongside.
        let body = Array(JSONValue.object(["action": .string(action)]).serialized())
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let healthLatencies = Task {
            var latencies: [Double] = []
            while ContinuousClock.now < deadline {
                let begin = ContinuousClock.now
                let response = try? await http.execute(HTTPClientRequest(url: server + "/healthz"), timeout: .seconds(60))
                _ = try? await response?.body.collect(upTo: 1 << 16)
                latencies.append(QueueBench.seconds(ContinuousClock.now - begin))
                try? await Task.sleep(for: .milliseconds(20))
            }
            return latencies
        }
        let decisionLatencies = await withTaskGroup(of: [Double].self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var latencies: [Double] = []
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        do {
                            let response = try await agent.send(method: "POST", target: "/v1/actions", body: body)
                            if response.status == 200 {
                                latencies.append(QueueBench.seconds(ContinuousClock.now - begin))
                            } else {
                                tally.errors.withLock { $0[response.status, default: 0] += 1 }
                            }
                        } catch {
                            tally.errors.withLock { $0[0, default: 0] += 1 }
                        }
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for await latencies in group { all += latencies }
            return all
        }
        let loadEnded = ContinuousClock.now
        let health = await healthLatencies.value

        // Every subscriber should reach the last event: the one after the final decision.
        let marker = try await agent.send(method: "POST", target: "/v1/actions", body: body)
        guard marker.status == 200, let markerID = marker.json?["id"]?.stringValue else {
            throw BenchError("the final decision answered \(marker.status)")
        }
        let expected = subscribers.map { $0.seen.withLock { $0.lastID } }.max() ?? 0
        var caughtUp = 0
        let catchUpDeadline = ContinuousClock.now + .seconds(60)
        repeat {
            caughtUp = subscribers.filter { $0.seen.withLock { $0.lastID > expected || $0.ended } }.count
            if caughtUp == count { break }
            try await Task.sleep(for: .milliseconds(20))
        } while ContinuousClock.now < catchUpDeadline
        let drained = QueueBench.seconds(ContinuousClock.now - loadEnded)
        readers.cancel()
        let seen = subscribers.map { $0.seen.withLock { $0 } }
        try? await streaming.shutdown()

        let events = seen.map(\.events)
        print(
            String(
                format: "signed decisions during fan-out: %d answered (%.0f req/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms",
                decisionLatencies.count, Double(decisionLatencies.count) / seconds,
                QueueBench.percentile(decisionLatencies, 0.5) * 1000, QueueBench.percentile(decisionLatencies, 0.99) * 1000,
                (decisionLatencies.max() ?? 0) * 1000))
        let failures: [Int: Int] = tally.errors.withLock { $0 }
        let refused: [String] = failures.keys.sorted().map { status in
            let name = status == 0 ? "no answer" : String(status)
            return "\(name): \(failures[status] ?? 0)"
        }
        print("refused or failed decisions: \(refused.isEmpty ? "none" : refused.joined(separator: ", "))")
        print(
            String(
                format: "GET /healthz during fan-out (%d samples): p50 %.2f ms, p99 %.2f ms, max %.1f ms", health.count,
                QueueBench.percentile(health, 0.5) * 1000, QueueBench.percentile(health, 0.99) * 1000,
                (health.max() ?? 0) * 1000))
        print(
            "subscribers: \(caughtUp) of \(count) reached the last event (\(markerID)) \(String(format: "%.2f", drained)) s after the load; "
                + "events each: min \(events.min() ?? 0), max \(events.max() ?? 0); "
                + "out of order: \(seen.map(\.outOfOrder).reduce(0, +)); overflow markers: \(seen.map(\.overflows).reduce(0, +)); "
                + "ended early: \(seen.filter(\.ended).count)")
        let delivered = events.reduce(0, +)
        print(String(format: "deliveries: %d (%.0f per second of load)", delivered, Double(delivered) / seconds))
    }
}
