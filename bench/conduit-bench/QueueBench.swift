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
        // What ccc-queue asks for its screen: the first page (QueueApp.queuePage = 500).
        var firstPages: [Double] = []
        var total = 0
        var bytes = 0
        for _ in 0..<20 {
            let started = ContinuousClock.now
            let listing = try await approver.queue(limit: 500)
            firstPages.append(seconds(ContinuousClock.now - started))
            total = listing.json?["total"]?.integerValue.map(Int.init) ?? 0
            bytes = listing.body.count
        }
        // And every page after it, as ccc-queue reads them to scroll through all.
        let walkStarted = ContinuousClock.now
        var cursor: String?
        var listed = 0
        repeat {
            let page = try await approver.queue(limit: 500, cursor: cursor)
            listed += page.json?["pending"]?.arrayValue?.count ?? 0
            cursor = page.json?["next_cursor"]?.stringValue
        } while cursor != nil
        let walk = seconds(ContinuousClock.now - walkStarted)
        print(
            String(
                format: "GET /v1/queue?limit=500 with %d pending (%.2f MB a page, 20 times): p50 %.1f ms, p99 %.1f ms; all %d in pages: %.0f ms",
                total, Double(bytes) / 1e6, percentile(firstPages, 0.5) * 1000, percentile(firstPages, 0.99) * 1000, listed,
                walk * 1000))
        Target.report(3, "GET /v1/queue page for ccc-queue's screen, \(total) pending, p50", percentile(firstPages, 0.5) * 1000, unit: "ms", below: 100)
        Target.report(2, "approve → waiting client, p99", percentile(latencies, 0.99) * 1000, unit: "ms", below: 10)
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

/// One line per target of issue 16, which bench/run.sh's `targets` workload collects.
enum Target {
    static func report(_ number: Int, _ name: String, _ figure: Double, unit: String, below bound: Double) {
        let verdict = figure < bound ? "pass" : "falls short"
        print(String(format: "target %d  %@: %.2f %@ (bound < %g %@) — %@", number, name, figure, unit, bound, unit, verdict))
    }
}
