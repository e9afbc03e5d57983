import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// `ccc-client`'s documented exit codes, each produced for real.
@Suite("ccc-client exit codes (real binaries)")
struct ClientExitCodeTests {
    /// A workspace with keys, a running server, and extra actions for every outcome.
    static func withServer(_ body: (Workspace, ServerProcess, [String: String]) throws -> Void) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try workspace.keygen("--create", "user,agent")
        _ = try workspace.keygen("--filter", "agent", "--output", "agent-secrets.json")
        try workspace.write("actions/forbidden.yaml", "description: Always refused.\npolicy: auto-deny\n")
        try workspace.write("actions/fail.yaml", "description: Exits 1.\npolicy: auto-accept\nrun: [/bin/false]\n")
        let server = try workspace.startServer()
        defer { server.stop() }
        try body(workspace, server, ["CCC_SERVER": server.url, "CCC_SECRETS": "agent-secrets.json"])
    }

    @Test func completedAndQueuedWithoutWaitingExit0DeniedAndFailedExit1() throws {
        try Self.withServer { workspace, _, env in
            #expect(try workspace.client([#"{"action":"list-actions"}"#], environment: env).exitCode == 0)
            let queued = try workspace.client(["--no-wait", #"{"action":"open-terminal"}"#], environment: env)
            #expect(queued.exitCode == 0, "\(queued)")
            #expect(try JSONValue.parse(Array(queued.stdout.utf8))["status"] == "pending")
            let denied = try workspace.client([#"{"action":"forbidden"}"#], environment: env)
            #expect(denied.exitCode == 1, "\(denied)")
            #expect(try JSONValue.parse(Array(denied.stdout.utf8))["status"] == "denied")
            let failed = try workspace.client([#"{"action":"fail"}"#], environment: env)
            #expect(failed.exitCode == 1, "\(failed)")
            #expect(try JSONValue.parse(Array(failed.stdout.utf8))["status"] == "failed")
        }
    }

    @Test func sendIsTheDefaultSubcommandAndUnknownOptionsAreUsageErrors() throws {
        try Self.withServer { workspace, _, env in
            let explicit = try workspace.client(["send", "--timeout", "5", #"{"action":"list-actions"}"#], environment: env)
            #expect(explicit.exitCode == 0, "\(explicit)")
            #expect(try JSONValue.parse(Array(explicit.stdout.utf8))["status"] == "completed")
            for arguments in [["--bogus", #"{"action":"list-actions"}"#], ["mcp", "--bogus"], ["hook", "--bogus"]] {
                let wrong = try workspace.client(arguments, environment: env)
                #expect(wrong.exitCode == 2, "\(arguments): \(wrong)")
                #expect(wrong.stdout.isEmpty)
            }
        }
    }

    @Test func rejectedRequestsAndUsageErrorsExit2() throws {
        try Self.withServer { workspace, _, env in
            let unknown = try workspace.client([#"{"action":"rm-rf"}"#], environment: env)
            #expect(unknown.exitCode == 2, "\(unknown)")
            #expect(try JSONValue.parse(Array(unknown.stdout.utf8))["error"]?["code"] == "unknown_action")
            let outside = try workspace.client([#"{"action":"edit-file","filename":"/etc/passwd"}"#], environment: env)
            #expect(outside.exitCode == 2)
            let notJSON = try workspace.client(["{action:"], environment: env)
            #expect(notJSON.exitCode == 2)
            #expect(notJSON.stderr.hasPrefix("ccc-client: error:") && notJSON.stderr.split(separator: "\n").count == 1)
            #expect(try workspace.client([], environment: env).exitCode == 2)
            let huge = try workspace.client(
                [#"{"action":"open-browser","url":"https://example.com/\#(String(repeating: "a", count: 70_000))"}"#],
                environment: env)
            #expect(huge.exitCode == 2, "\(huge)")
            #expect(huge.stdout.contains("body_too_large"))
            #expect(try workspace.client(["--bogus-flag", "{}"], environment: env).exitCode == 2)
        }
    }

    @Test func aSymlinkOutOfTheWorkspaceIsRefusedAndNothingRuns() throws {
        try Self.withServer { workspace, _, env in
            try FileManager.default.createSymbolicLink(atPath: workspace.file("data/workspace/etc"), withDestinationPath: "/etc")
            try FileManager.default.createSymbolicLink(
                atPath: workspace.file("data/workspace/cron"), withDestinationPath: "/etc/cron.d/conduit-e2e-missing")
            for name in ["etc/passwd", "cron"] {
                let refused = try workspace.client([#"{"action":"edit-file","filename":"\#(name)"}"#], environment: env)
                #expect(refused.exitCode == 2, "\(refused)")
                #expect(refused.stdout.contains("path_outside_volumes"))
            }
            #expect(workspace.read("bin/opened.log").isEmpty)
        }
    }

    @Test func aWrongSecretExits3() throws {
        try Self.withServer { workspace, _, env in
            try workspace.write(
                "forged.json", #"{"agent": {"secret": "a-forged-secret-that-is-long-enough-000", "canApprove": []}}"#,
                mode: 0o600)
            let forged = try workspace.client(["--secrets", "forged.json", #"{"action":"list-actions"}"#], environment: env)
            #expect(forged.exitCode == 3, "\(forged)")
            #expect(forged.stderr.contains("invalid_signature") || forged.stderr.contains("does not verify"))
        }
    }

    @Test func anUnreachableServerExits4() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try workspace.keygen("--create", "agent")
        // Port 9 (discard) on loopback: nothing listens there on these machines.
        let result = try workspace.client(
            ["--server", "http://127.0.0.1:9", #"{"action":"list-actions"}"#], environment: ["CCC_SECRETS": "secrets.json"])
        #expect(result.exitCode == 4, "\(result)")
        #expect(
            result.stderr.hasPrefix(
                "ccc-client: error: cannot reach ccc-server at http://127.0.0.1:9 (connection refused) — is it running, and is that its address? (--server / CCC_SERVER)"
            ), "\(result)")
    }

    @Test func anUnsignedAnswerIsNotTrustedAndExits3() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try workspace.keygen("--create", "agent")
        // An impostor that answers every request 200 with a plausible body, unsigned.
        let impostor = try workspace.file("impostor.py")
        try workspace.write(
            "impostor.py",
            """
            import http.server, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    self.rfile.read(int(self.headers.get('Content-Length', 0)))
                    body = b'{"id":"x","action":"list-actions","status":"completed","result":{}}'
                    self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args): pass
            s = http.server.HTTPServer(('127.0.0.1', 0), H)
            print(s.server_address[1], flush=True)
            s.handle_request()
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", impostor]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        defer { process.terminate() }
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        let result = try workspace.client(
            ["--server", "http://127.0.0.1:\(port)", #"{"action":"list-actions"}"#], environment: ["CCC_SECRETS": "secrets.json"])
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aGroupReadableSecretsFileIsRefusedByTheClient() throws {
        try Self.withServer { workspace, _, env in
            chmod(workspace.file("agent-secrets.json"), 0o640)
            let result = try workspace.client([#"{"action":"list-actions"}"#], environment: env)
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stderr.contains("chmod 600"))
        }
    }
}
