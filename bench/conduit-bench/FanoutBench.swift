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
            /// How the stream ended early, if it did.
            var ended: String?
        }
        let seen = Mutex(Seen())
    }

    /// Counts shared by the bench's tasks.
    final class Tally: Sendable {
        let opened = Atomic<Int>(0)
        /// Failed decisions by status (0: no answer).
        let errors = Mutex<[Int: Int]>([:])
    }

    /// Opens `count` event streams, `perUser` for each of the users `sub0`, `sub1`, … (each allowed
    /// to decide the agent's requests, so it sees them), keeps them `seconds` after they are all
    /// open, then prints what they saw. Run it in a process of its own, so its parsing does not share
    /// an event loop with the load it watches.
    static func subscribe(server: String, secretsPath: String, count: Int, perUser: Int, seconds: Double) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count + 8
        configuration.httpVersion = .http1Only
        let streaming = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let subscribers = (0..<count).map { _ in Subscriber() }
        let tally = Tally()
        let began = ContinuousClock.now
        let readers = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, subscriber) in subscribers.enumerated() {
                    let user = "sub\(index / perUser)"
                    group.addTask {
                        do {
                            let client = try ConduitHTTPClient(
                                serverURL: server, credentials: try ClientCredentials.load(secretsPath: secretsPath, user: user),
                                httpClient: streaming, timeout: .seconds(60))
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
                            subscriber.seen.withLock { $0.ended = "closed by the server" }
                        } catch {
                            subscriber.seen.withLock { $0.ended = "\(error)" }
                        }
                        let after = QueueBench.seconds(ContinuousClock.now - began)
                        subscriber.seen.withLock { $0.ended! += String(format: " (after %.1f s)", after) }
                    }
                }
            }
        }
        let openDeadline = ContinuousClock.now + .seconds(60)
        while tally.opened.load(ordering: .relaxed) < count, ContinuousClock.now < openDeadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        // Unbuffered: bench/run.sh starts the load when it reads this line.
        FileHandle.standardOutput.write(
            Data("subscribers: \(tally.opened.load(ordering: .relaxed)) of \(count) event streams open (\(perUser) per user)\n".utf8))
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        // Then until every open stream has reached the same last event and stays there for 1 s
        // (this process runs at a low priority, so it may still be reading), at most 60 s.
        let waitingFrom = ContinuousClock.now
        var settledSince = ContinuousClock.now
        var previous: Set<Int64> = []
        while ContinuousClock.now - waitingFrom < .seconds(60) {
            let lastIDs = Set(subscribers.compactMap { $0.seen.withLock { $0.ended == nil ? $0.lastID : nil } })
            if lastIDs != previous || lastIDs.count > 1 { settledSince = ContinuousClock.now }
            previous = lastIDs
            if ContinuousClock.now - settledSince >= .seconds(1) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let caughtUp = QueueBench.seconds(ContinuousClock.now - waitingFrom)
        let seen = subscribers.map { $0.seen.withLock { $0 } }
        readers.cancel()
        try? await streaming.shutdown()
        let events = seen.map(\.events)
        let lastIDs = Set(seen.filter { $0.ended == nil }.map(\.lastID))
        print(
            "subscribers: events each: min \(events.min() ?? 0), max \(events.max() ?? 0); last id of those still open: "
                + "\(lastIDs.sorted().map(String.init).joined(separator: ", ")); "
                + "out of order: \(seen.map(\.outOfOrder).reduce(0, +)); overflow markers: \(seen.map(\.overflows).reduce(0, +)); "
                + "ended early: \(seen.filter { $0.ended != nil }.count)")
        for (index, subscriber) in seen.enumerated() {
            if let ended = subscriber.ended { print("  subscriber \(index) ended: \(ended)") }
        }
        let delivered = events.reduce(0, +)
        print(String(format: "subscribers: %d deliveries; settled %.1f s after the watch (1 s of it to be sure)", delivered, caughtUp))
    }

    /// Signed decisions in a closed loop on `connections` for `seconds`, with `/healthz` sampled
    /// alongside; run it while ``subscribe(server:secretsPath:count:perUser:seconds:)`` watches.
    static func load(server: String, agent: ConduitHTTPClient, http: HTTPClient, connections: Int, seconds: Double, action: String)
        async throws
    {
        let tally = Tally()
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
        let health = await healthLatencies.value
        print(
            String(
                format: "signed decisions: %d answered (%.0f req/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms",
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
                format: "GET /healthz (%d samples, every 20 ms): p50 %.2f ms, p99 %.2f ms, max %.1f ms", health.count,
                QueueBench.percentile(health, 0.5) * 1000, QueueBench.percentile(health, 0.99) * 1000,
                (health.max() ?? 0) * 1000))
    }
}
