import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// The README's walk-throughs, read from README.md and run through the real binaries: the tour
/// after `scripts/demo.sh` in the same directory, and the Docker recipe's approver.
@Suite("README walk-throughs (real binaries)", .serialized)
struct ReadmeWalkthroughTests {
    /// The first ```sh block after the heading `heading`.
    static func shellBlock(after heading: String) throws -> [String] {
        let readme = try String(contentsOfFile: Binaries.repository + "/README.md", encoding: .utf8)
        let section = try #require(readme.range(of: "\n" + heading + "\n")).upperBound
        let start = try #require(readme.range(of: "```sh\n", range: section..<readme.endIndex)).upperBound
        let end = try #require(readme.range(of: "\n```", range: start..<readme.endIndex)).lowerBound
        return readme[start..<end].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A port nothing listens on now (the kernel's choice, released at once).
    static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func theTourRunsAsWrittenAfterTheDemoInTheSameDirectory() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // The checkout as demo.sh reads it, with `swift` standing in for the build already done.
        try workspace.directory.mkdir("scripts")
        for script in ["demo.sh", "bootstrap.sh"] {
            try FileManager.default.copyItem(atPath: Binaries.repository + "/scripts/" + script, toPath: workspace.file("scripts/" + script))
        }
        try workspace.write(
            "bin/swift", "#!/bin/sh\ncase \"$*\" in *--show-bin-path*) echo '\(Binaries.directory)';; esac\nexit 0\n", mode: 0o755)
        let port = Self.freePort()
        let path = Binaries.directory + ":" + (workspace.serverEnvironment["PATH"] ?? "")
        let demo = try ChildProcess(
            "/bin/bash", ["scripts/demo.sh", "--port", String(port)], in: workspace.path, environment: ["PATH": path], combineOutput: true)
        defer { demo.signal(SIGTERM); _ = demo.finish(timeout: 15) }
        #expect(eventually(timeout: 60) { demo.stdout.contains("ccc-server listening on") }, "\(demo.stdout)")
        // What it prints reaches this broker.
        #expect(demo.stdout.contains("Demo broker starting on http://127.0.0.1:\(port)"), "\(demo.stdout)")
        #expect(demo.stdout.contains("ccc-queue --server http://127.0.0.1:\(port) --secrets secrets.json --user user"), "\(demo.stdout)")
        #expect(demo.stdout.contains("skip its steps 1 and 2"))

        // The tour from step 3, as the README says after the demo; its commands as written, with
        // the demo's address (the README: "add the --server it prints"; CCC_SERVER is the same).
        let tour = try Self.shellBlock(after: "## Five-minute tour")
        let step3 = try #require(tour.firstIndex { $0.hasPrefix("# 3.") })
        var ran = 0
        for (index, line) in tour.enumerated().dropFirst(step3) where !line.hasPrefix("#") && !line.isEmpty {
            guard !line.hasPrefix("kill %1") else { continue }  // the tour's own broker; the demo's is stopped below
            let command = line.replacingOccurrences(of: "127.0.0.1:3015", with: "127.0.0.1:\(port)")
            // The exit code the README states on the `->` lines that follow, else 0.
            let notes = tour.dropFirst(index + 1).prefix { $0.hasPrefix("#") }.filter { $0.hasPrefix("#   ->") }.joined()
            let expected = notes.firstMatch(of: /exit (?:code )?(\d+)/).map { Int32($0.1)! } ?? 0
            let result = try Command.run(
                "/bin/sh", ["-c", command], in: workspace.path,
                environment: ["PATH": path, "CCC_SERVER": "http://127.0.0.1:\(port)"])
            #expect(result.exitCode == expected, "\(command)\n\(result)")
            if command.contains("edit-file") && expected == 0 {
                let answer = try JSONValue.parse(Array(result.stdout.utf8))
                // The sample output's fields are the real answer's.
                for field in ["action", "decision", "id", "result", "status"] { #expect(answer[field] != nil, "\(field) in \(answer)") }
                #expect(answer["decision"]?["outcome"] == "approved")
            }
            ran += 1
        }
        #expect(ran >= 6, "the tour's commands were found")
        #expect(workspace.read("bin/opened.log").contains("hello.txt"))
    }

    @Test func theDockerRecipesApproverConnectsWhereTheBrokerListens() throws {
        let recipe = try Self.shellBlock(after: "## Supervising Claude Code")
        let serverLine = try #require(recipe.first { $0.hasPrefix("ccc-server ") })
        let queueLine = try #require(recipe.first { $0.hasPrefix("ccc-queue ") })
        func option(_ name: String, in line: String) -> String? {
            let words = line.split(separator: " ").map(String.init)
            return words.firstIndex(of: name).flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
        }
        let host = try #require(option("--host", in: serverLine))
        let port = option("--port", in: serverLine) ?? "3015"
        #expect(option("--server", in: queueLine) == "http://\(host):\(port)", "\(serverLine)\n\(queueLine)")

        // Both lines as written, with the bridge address (absent here) and port moved to loopback
        // alike: the approver's queue goes live.
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        let free = String(Self.freePort())
        func local(_ line: String) -> String {
            line.replacingOccurrences(of: "\(host):\(port)", with: "127.0.0.1:\(free)").replacingOccurrences(of: host, with: "127.0.0.1")
                .replacingOccurrences(of: " &", with: "")
        }
        let path = Binaries.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        try workspace.directory.mkdir("data")
        let server = try ChildProcess(
            "/bin/sh", ["-c", "exec " + local(serverLine) + " --port \(free)"], in: workspace.path, environment: ["PATH": path],
            combineOutput: true)
        defer { server.signal(SIGTERM); _ = server.finish(timeout: 15) }
        #expect(eventually(timeout: 30) { server.stdout.contains("ccc-server listening on http://127.0.0.1:\(free)") }, "\(server.stdout)")
        let tmux = try TmuxSession("PATH='\(path)' " + local(queueLine), in: workspace.path, width: 120)
        #expect(tmux.waitFor("live"), "\(tmux.screen())")
    }
}
