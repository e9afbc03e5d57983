import ConduitClient
import ConduitCore
import Foundation

/// Figures for the approval queue: how soon a waiting client learns of a decision, and how long
/// listing a long queue takes.
enum QueueBench {
    /// - Parameters:
    ///   - decisions: how many request → wait → approve rounds to time.
    ///   - pending: how many pending requests to list.
    static func run(agent: ConduitHTTPClient, approver: ConduitHTTPClient, action: String, decisions: Int, pending: Int)
        async throws
    {
        let body: JSONValue = ["action": .string(action)]
        var latencies: [Double] = []
        for _ in 0..<decisions {
            let submitted = try await agent.submit(body)
            guard submitted.status == 202, let id = submitted.json?["id"]?.stringValue else {
                throw BenchError("expected 202 for \(action), got \(submitted.status)")
            }
            let waiter = Task { try await agent.record(id: id, wait: 30) }
            try await Task.sleep(for: .milliseconds(30))  // the wait is registered at the server
            let approved = ContinuousClock.now
            let answer = try await approver.approve(id: id)
            guard answer.status == 200 else { throw BenchError("approve answered \(answer.status)") }
            let final = try await waiter.value
            let elapsed = ContinuousClock.now - approved
            guard final.json?["status"]?.stringValue == "completed" else { throw BenchError("not completed: \(final.status)") }
            latencies.append(seconds(elapsed))
        }
        print(
            String(
                format: "approve → waiting client returns (%d decisions): p50 %.2f ms, p99 %.2f ms, max %.2f ms", decisions,
                percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000, (latencies.max() ?? 0) * 1000))

        let fillStarted = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for _ in stride(from: worker, to: pending, by: 8) {
                        let answer = try await agent.submit(body)
                        guard answer.status == 202 else { throw BenchError("queueing answered \(answer.status)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        print(String(format: "queued %d requests in %.1f s", pending, seconds(ContinuousClock.now - fillStarted)))
        var listings: [Double] = []
        var count = 0
        var bytes = 0
        for _ in 0..<20 {
            let started = ContinuousClock.now
            let listing = try await approver.queue()
            listings.append(seconds(ContinuousClock.now - started))
            count = listing.json?["pending"]?.arrayValue?.count ?? 0
            bytes = listing.body.count
        }
        print(
            String(
                format: "GET /v1/queue with %d pending (%.1f MB, 20 times): p50 %.0f ms, p99 %.0f ms", count,
                Double(bytes) / 1e6, percentile(listings, 0.5) * 1000, percentile(listings, 0.99) * 1000))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
