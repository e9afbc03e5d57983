import ConduitClient
import ConduitCore
import ConduitTestSupport
import Foundation
import Synchronization
import Testing

/// The SQLite store across stops: nothing acknowledged is lost, nothing runs twice.
@Suite("Durability (real binaries, kill -9)")
struct DurabilityTests {
    @Test func everyAcknowledgedRequestSurvivesKill9DuringABurstAndStaysApprovable() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        try workspace.write("actions/ask.yaml", "description: Waits.\npolicy: queue\nparams: [{name: n, type: integer}]\n")
        let server = try workspace.startServer()
        let acknowledged = Shared<[String]>([])
        let pid = server.process.processIdentifier
        try await workspace.withClient(as: "agent", server: server) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for n in 0..<10_000 {
                            let answer: ConduitResponse
                            do {
                                answer = try await client.submit(["action": "ask", "n": .integer(Int64(worker * 10_000 + n))])
                            } catch {
                                return  // the server died
                            }
                            guard answer.status == 202, let id = answer.json?["id"]?.stringValue else {
                                Issue.record("unexpected answer: \(answer.status) \(answer.json ?? .null)")
                                return
                            }
                            acknowledged.update { $0.append(id) }
                        }
                    }
                }
                group.addTask {
                    // Mid-burst: once 50 requests were acknowledged (at most 20 s).
                    for _ in 0..<2000 where acknowledged.value.count < 50 { try await Task.sleep(for: .milliseconds(10)) }
                    kill(pid, SIGKILL)
                }
                try await group.waitForAll()
            }
        }
        server.process.waitUntilExit()
        let ids = acknowledged.value
        #expect(ids.count >= 50, "the burst was under way when the server died")

        let restarted = try workspace.startServer()
        defer { restarted.stop() }
        try await workspace.withClient(as: "user", server: restarted) { client in
            let pending = Set(try await client.queue().json?["pending"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            let lost = Set(ids).subtracting(pending)
            #expect(lost.isEmpty, "acknowledged but lost: \(lost.count) of \(ids.count)")
            let first = try #require(ids.first)
            #expect(try await client.approve(id: first).status == 200)
            #expect(try await client.approve(id: first).status == 409)
        }
    }

    @Test func aRequestRunningWhenTheServerDiesIsMarkedFailedAndNeverRunAgain() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        let marker = workspace.file("runs.log")
        try workspace.write(
            "actions/long-job.yaml",
            "description: Records a run, then works a while.\npolicy: auto-accept\nrun: [/bin/sh, -c, \"echo run >> \(marker); sleep 3\"]\ntimeout: 60\n")
        let server = try workspace.startServer()
        let client = try ChildProcess(
            Binaries.path("ccc-client"), ["--secrets", "agent-secrets.json", #"{"action":"long-job"}"#], in: workspace.path,
            environment: ["CCC_SERVER": server.url])
        #expect(eventually { workspace.read("runs.log") == "run\n" })
        server.signal(SIGKILL)
        server.process.waitUntilExit()
        #expect(client.finish().exitCode == 4, "the client learns the server went away")

        let restarted = try workspace.startServer()
        defer { restarted.stop() }
        #expect(restarted.log.contains("marked 1 request(s) left running"))
        try await workspace.withClient(as: "user", server: restarted) { client in
            let events = try await client.events(lastEventID: "0")
            var records: [JSONValue] = []
            for try await event in events {
                guard let record = try JSONValue.parse(Array(event.data.utf8))["record"] else { continue }
                records.append(record)
                if record["status"] == "failed" { break }
            }
            let failed = try #require(records.last)
            #expect(failed["status"] == "failed")
            #expect(failed["reason"]?.stringValue?.contains("interrupted") == true)
        }
        // A barrier: a new request of another action appends to the same log through the same
        // runner; once its line is there, the restarted broker has run handlers, and the
        // interrupted one was not among them.
        try workspace.write(
            "actions/mark.yaml", "description: Marks the log.\npolicy: auto-accept\nrun: [/bin/sh, -c, \"echo barrier >> \(marker)\"]\n")
        #expect(restarted.reload())
        let barrier = try workspace.client(
            ["--secrets", "agent-secrets.json", #"{"action":"mark"}"#], environment: ["CCC_SERVER": restarted.url])
        #expect(barrier.exitCode == 0, "\(barrier)")
        #expect(workspace.read("runs.log") == "run\nbarrier\n", "never run again")
    }
}
