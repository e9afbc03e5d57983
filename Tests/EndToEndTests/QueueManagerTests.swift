import ConduitClient
import ConduitCore
import ConduitTUI
import ConduitTestSupport
import Foundation
import Testing

/// The real `ccc-queue` in a real terminal (tmux), deciding requests of the real `ccc-client`.
@Suite("ccc-queue in tmux (real binaries)", .serialized)
struct QueueManagerTests {
    static func withQueueManager(
        width: Int = 120, height: Int = 30, _ body: (Workspace, ServerProcess, TmuxSession) async throws -> Void
    ) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        try workspace.write("actions/ask.yaml", "description: Waits for a person.\npolicy: queue\nparams: [{name: note, type: string}]\n")
        let server = try workspace.startServer()
        defer { server.stop() }
        let tmux = try TmuxSession(
            "\(Binaries.path("ccc-queue")) --secrets user-secrets.json --server \(server.url)", in: workspace.path,
            width: width, height: height)
        #expect(tmux.waitFor("live"), "\(tmux.screen())")
        try await body(workspace, server, tmux)
    }

    func submit(_ workspace: Workspace, _ server: ServerProcess, _ json: String) throws -> ChildProcess {
        try ChildProcess(
            Binaries.path("ccc-client"), ["--secrets", "agent-secrets.json", json], in: workspace.path,
            environment: ["CCC_SERVER": server.url])
    }

    @Test func aRequestAppearsLiveAndYApprovesItSoTheWaitingClientExits0() async throws {
        try await Self.withQueueManager { workspace, server, tmux in
            #expect(tmux.screen().contains("No pending requests."))
            let client = try submit(workspace, server, #"{"action":"ask","note":"deploy please"}"#)
            #expect(tmux.waitFor("deploy please"), "appears without pressing r:\n\(tmux.screen())")
            let screen = tmux.screen()
            #expect(screen.contains("Waits for a person."))
            #expect(screen.contains("agent"))
            #expect(screen.contains("1 pending"))
            try tmux.send("y")
            let result = client.finish()
            #expect(result.exitCode == 0, "\(result)")
            #expect(try JSONValue.parse(Array(result.stdout.utf8))["status"] == "completed")
            #expect(tmux.waitFor("No pending requests."), "a decided request disappears:\n\(tmux.screen())")
        }
    }

    @Test func nWithAReasonDeniesItAndTheWaitingClientPrintsTheReason() async throws {
        try await Self.withQueueManager { workspace, server, tmux in
            let client = try submit(workspace, server, #"{"action":"ask","note":"drop the table"}"#)
            #expect(tmux.waitFor("drop the table"))
            try tmux.send("n")
            #expect(tmux.waitFor("reason"))
            try tmux.send("not in production", literal: true)
            try tmux.send("Enter")
            let result = client.finish()
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stdout.contains("not in production"))
            #expect(try JSONValue.parse(Array(result.stdout.utf8))["status"] == "denied")
        }
    }

    @Test func hShowsTheDecisionJustMadeWithWhoAndWhy() async throws {
        try await Self.withQueueManager(width: 160) { workspace, server, tmux in
            let client = try submit(workspace, server, #"{"action":"ask","note":"history please"}"#)
            #expect(tmux.waitFor("history please"))
            try tmux.answer("n", with: "wrong branch")
            #expect(client.finish().exitCode == 1)
            try tmux.send("h")
            #expect(tmux.waitFor("Conduit history"), "\(tmux.screen())")
            #expect(tmux.waitFor("denied by user: wrong branch"), "\(tmux.screen())")
            try tmux.answer("f", with: "no-such-action")
            #expect(tmux.waitFor("No decisions yet."), "\(tmux.screen())")
            try tmux.send("Escape")
            #expect(tmux.waitFor("No pending requests."))
        }
    }

    @Test func aApprovesAndRemembersSoTheSameRequestIsAcceptedAgain() async throws {
        try await Self.withQueueManager { workspace, server, tmux in
            let first = try submit(workspace, server, #"{"action":"ask","note":"same again"}"#)
            #expect(tmux.waitFor("same again"))
            try tmux.answer("a", with: "10m")
            #expect(first.finish().exitCode == 0)
            let second = try submit(workspace, server, #"{"action":"ask","note":"same again"}"#).finish()
            #expect(second.exitCode == 0, "accepted by the grant, without a person: \(second)")
            // g lists the grant; x revokes it, and the same request waits for a person again.
            try tmux.send("g")
            #expect(tmux.waitFor("note=same again"), "\(tmux.screen())")
            try tmux.send("x")
            #expect(tmux.waitFor("No remembered approvals"), "\(tmux.screen())")
            let third = try submit(workspace, server, #"{"action":"ask","note":"same again"}"#)
            try tmux.send("g")
            #expect(tmux.waitFor("same again"), "asks again:\n\(tmux.screen())")
            try tmux.send("n")
            try tmux.send("Enter")
            #expect(third.finish().exitCode == 1)
        }
    }

    @Test func aUserWhoMayDecideNobodysRequestsIsToldSo() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        let server = try workspace.startServer()
        defer { server.stop() }
        let tmux = try TmuxSession(
            "\(Binaries.path("ccc-queue")) --secrets agent-secrets.json --server \(server.url)", in: workspace.path, width: 120)
        #expect(tmux.waitFor("agent may approve nobody's requests"), "\(tmux.screen())")
        #expect(tmux.screen().contains("ccc-keygen --grant agent:SUBMITTER"))
    }

    @Test func aUserTheServerDoesNotKnowEndsWithTheReason() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        let server = try workspace.startServer()
        defer { server.stop() }
        #expect(try workspace.keygen("--create", "stranger", "--output", "stranger-secrets.json").exitCode == 0)
        let tmux = try TmuxSession(
            "\(Binaries.path("ccc-queue")) --secrets stranger-secrets.json --server \(server.url); echo \"exit=$?\"; sleep 30",
            in: workspace.path, width: 160)
        #expect(tmux.waitFor("exit=3"), "\(tmux.screen())")
        #expect(tmux.screen().contains("the server has no user \"stranger\""), "\(tmux.screen())")
    }

    @Test func movingSelectsAnotherRequestAndLongOrNonASCIIValuesStayInsideTheScreen() async throws {
        try await Self.withQueueManager(width: 80, height: 24) { workspace, server, tmux in
            let long = String(repeating: "ž中", count: 60)
            let one = try submit(workspace, server, #"{"action":"ask","note":"first"}"#)
            #expect(tmux.waitFor("first"))
            let two = try submit(workspace, server, "{\"action\":\"ask\",\"note\":\"\(long)\"}")
            #expect(tmux.waitFor("2 pending"))
            let three = try submit(workspace, server, "{\"action\":\"ask\",\"note\":\"red\\u001b[2J\\u001b[31mtext\"}")
            #expect(tmux.waitFor("3 pending"))
            try tmux.send("j")
            #expect(tmux.waitFor("ž中ž中"))
            try tmux.send("Down")
            #expect(tmux.waitFor("red^[[2J^[[31mtext"), "escapes shown, not obeyed:\n\(tmux.screen())")
            let rows = tmux.screen().split(separator: "\n", omittingEmptySubsequences: false)
            #expect(rows.allSatisfy { TerminalText.width(of: String($0)) <= 80 })
            try tmux.resize(width: 60, height: 20)
            #expect(tmux.waitFor("3 pending"), "after resizing:\n\(tmux.screen())")
            #expect(tmux.screen().split(separator: "\n").allSatisfy { TerminalText.width(of: String($0)) <= 60 })
            #expect(tmux.screen().contains("Conduit queue"), "the title is back at the top after a resize")
            try tmux.send("q")
            #expect(tmux.waitFor("ccc-queue exited"), "q quits")
            for client in [one, two, three] { client.process.terminate() }
        }
    }

    @Test func itReconnectsOnItsOwnAfterTheServerRestarts() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        try workspace.write("actions/ask.yaml", "description: Waits.\npolicy: queue\nparams: [{name: note, type: string}]\n")
        let server = try workspace.startServer()
        let tmux = try TmuxSession(
            "\(Binaries.path("ccc-queue")) --secrets user-secrets.json --server \(server.url)", in: workspace.path)
        #expect(tmux.waitFor("live"))
        #expect(server.stop() == 0)
        #expect(tmux.waitFor("disconnected"), "\(tmux.screen())")
        let restarted = try workspace.startServer(["--port", String(server.port)])
        defer { restarted.stop() }
        let client = try submit(workspace, restarted, #"{"action":"ask","note":"after the restart"}"#)
        #expect(tmux.waitFor("after the restart", timeout: 20), "\(tmux.screen())")
        #expect(tmux.screen().contains("live"))
        client.process.terminate()
    }

    @Test func closingTheTerminalEndsIt() async throws {
        try await Self.withQueueManager { workspace, _, tmux in
            let before = Self.queueProcesses(in: workspace.path)
            #expect(before.count == 1, "\(before)")
            try tmux.tmux(["kill-server"])
            #expect(eventually { Self.queueProcesses(in: workspace.path).isEmpty }, "ccc-queue outlived its terminal")
        }
    }

    /// Pids of `ccc-queue` processes started in `directory` (found through /proc).
    static func queueProcesses(in directory: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
                command.hasPrefix(Binaries.path("ccc-queue")),
                let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
            else { return false }
            return cwd == directory
        }
    }
}
