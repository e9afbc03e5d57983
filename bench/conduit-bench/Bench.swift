import ArgumentParser
import AsyncHTTPClient
import ConduitClient
import ConduitCore
import Foundation
import NIOCore
import NIOHTTP1

/// Load generator: the same closed-loop load on `GET /healthz` and on signed requests for a
/// decision-only auto-accept action, each request with a fresh nonce. Prints throughput and latency.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conduit-bench", abstract: "Measure signed-decision throughput against /healthz.")

    @Option(help: "The broker's URL.") var server = "http://127.0.0.1:3015"
    @Option(help: "Secrets file of the signing user.") var secrets = "secrets.json"
    @Option(help: "Signing user.") var user = "agent"
    @Option(help: "Decision-only auto-accept action to submit.") var action = "noop"
    @Option(help: "Concurrent connections.") var connections = 8
    @Option(help: "Seconds of measurement per workload.") var duration = 10.0
    @Option(help: "Seconds of warm-up per workload.") var warmup = 2.0
    @Option(help: "Workloads: both, healthz, signed, unsigned-post, queue, all (both, then queue), audit-verify, presign (requests signed ahead, for wrk); for fan-out, subscribe (event streams, in one process) and decide (signed decisions and /healthz, in another).")
    var workload = "both"
    @Option(help: "Approving user, for the queue workload.") var approver = "user"
    @Option(help: "Queued decision-only action, for the queue workload.") var queueAction = "ask"
    @Option(help: "Decisions to time in the queue workload.") var decisions = 200
    @Option(help: "Pending requests to list in the queue workload.") var pending = 10_000
    @Option(help: "Database for the audit-verify workload (filled if empty).") var db = "audit-bench.sqlite"
    @Option(help: "Audit rows to write for the audit-verify workload.") var auditRows = 100_000
    @Option(help: "Event-stream subscribers for the subscribe workload (users sub0, sub1, … in the secrets file).")
    var subscribers = 500
    @Option(help: "Event streams each subscribing user opens (the server allows 8).") var streamsPerUser = 8
    @Flag(help: "Time the per-request building blocks in process instead.") var micro = false
    @Option(help: "Requests to sign ahead, for the presign workload (wrk replays them: bench/signed.lua).") var count = 100_000
    @Option(help: "File the presign workload writes.") var output = "presigned.txt"

    struct Figures {
        var requests: Int
        var errors: Int
        var seconds: Double
        var latencies: [Double]

        var throughput: Double { Double(requests) / seconds }
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    func run() async throws {
        if micro { return try Micro.run() }
        if workload == "audit-verify" { return try await AuditBench.run(databasePath: db, rows: auditRows) }
        if workload == "store" { return try await StoreBench.run(databasePath: db, workers: connections, seconds: duration) }
        let credentials = try ClientCredentials.load(secretsPath: secrets, user: user)
        if workload == "presign" {
            return try Presign.run(server: server, credentials: credentials, action: action, count: count, output: output)
        }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        configuration.httpVersion = .http1Only
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = try ConduitHTTPClient(serverURL: server, credentials: credentials, httpClient: http, timeout: .seconds(10))
        let body = Array(JSONValue.object(["action": .string(action)]).serialized())
        let url = server

        let healthz: @Sendable () async -> Bool = {
            guard let response = try? await http.execute(HTTPClientRequest(url: url + "/healthz"), timeout: .seconds(10)) else {
                return false
            }
            _ = try? await response.body.collect(upTo: 1 << 16)
            return response.status == .ok
        }
        let signed: @Sendable () async -> Bool = {
            guard let response = try? await client.send(method: "POST", target: "/v1/actions", body: body) else {
                return false
            }
            return response.status == 200 && response.verified
        }

        print("conduit-bench: \(connections) connections, \(duration) s per workload (after \(warmup) s warm-up)")
        let unsignedPost: @Sendable () async -> Bool = {
            var request = HTTPClientRequest(url: url + "/v1/actions")
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: body))
            guard let response = try? await http.execute(request, timeout: .seconds(10)) else { return false }
            _ = try? await response.body.collect(upTo: 1 << 16)
            return response.status == .unauthorized
        }
        var rows: [(String, Figures)] = []
        if workload == "unsigned-post" {
            _ = await measure(unsignedPost, seconds: warmup)
            rows.append(("unsigned POST (401)", await measure(unsignedPost, seconds: duration)))
        }
        let all = workload == "all"
        if workload == "both" || workload == "healthz" || all {
            _ = await measure(healthz, seconds: warmup)
            rows.append(("GET /healthz", await measure(healthz, seconds: duration)))
        }
        if workload == "both" || workload == "signed" || all {
            _ = await measure(signed, seconds: warmup)
            rows.append(("signed decision (\(action))", await measure(signed, seconds: duration)))
        }
        if workload == "subscribe" {
            try await FanoutBench.subscribe(
                server: server, secretsPath: secrets, count: subscribers, perUser: streamsPerUser, seconds: duration)
        }
        if workload == "decide" {
            try await FanoutBench.load(
                server: server, agent: client, http: http, connections: connections, seconds: duration, action: action)
        }
        if workload == "queue" || all {
            let approving = try ConduitHTTPClient(
                serverURL: server, credentials: try ClientCredentials.load(secretsPath: secrets, user: approver),
                httpClient: http, timeout: .seconds(60))
            let waiting = try ConduitHTTPClient(serverURL: server, credentials: credentials, httpClient: http, timeout: .seconds(60))
            try await QueueBench.run(
                agent: waiting, approver: approving, action: queueAction, decisions: decisions, pending: pending)
        }
        try await http.shutdown()
        guard !rows.isEmpty else { return }

        print("workload                    requests  errors     req/s   p50 ms   p99 ms")
        for (name, figures) in rows {
            print(
                name.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(
                        format: "%10d %7d %9.0f %8.3f %8.3f", figures.requests, figures.errors, figures.throughput,
                        figures.percentile(0.5) * 1000, figures.percentile(0.99) * 1000))
        }
        if rows.count == 2 {
            print(String(format: "signed / healthz throughput: %.2f", rows[1].1.throughput / rows[0].1.throughput))
        }
    }

    /// Runs `operation` in a closed loop on every connection for `seconds`.
    func measure(_ operation: @escaping @Sendable () async -> Bool, seconds: Double) async -> Figures {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: (Int, [Double]).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var errors = 0
                    var latencies: [Double] = []
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        let ok = await operation()
                        let elapsed = ContinuousClock.now - begin
                        if ok {
                            latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                        } else {
                            errors += 1
                        }
                    }
                    return (errors, latencies)
                }
            }
            var all: [(Int, [Double])] = []
            for await result in group { all.append(result) }
            return all
        }
        let elapsed = ContinuousClock.now - started
        let latencies = results.flatMap(\.1)
        return Figures(
            requests: latencies.count, errors: results.map(\.0).reduce(0, +),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            latencies: latencies)
    }
}
