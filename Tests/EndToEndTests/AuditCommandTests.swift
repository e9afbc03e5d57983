import ConduitClient
import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// `ccc-server audit verify|export` on a database the real server wrote.
@Suite("Audit commands (real binaries)")
struct AuditCommandTests {
    @Test func verifyPassesExportShowsEverythingWithoutSecretsAndATamperedRowIsNamed() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        let server = try workspace.startServer()
        let env = ["CCC_SERVER": server.url]
        #expect(try workspace.client(["--secrets", "agent-secrets.json", #"{"action":"list-actions"}"#], environment: env).exitCode == 0)
        #expect(try workspace.client(["--secrets", "agent-secrets.json", #"{"action":"rm-rf"}"#], environment: env).exitCode == 2)
        // A forged request claiming to be "user": refused, and audited with the claimed keyid.
        try workspace.write("forged-secrets.json", #"{"user": {"secret": "not-the-real-secret-but-long-enough-000000", "canApprove": []}}"#, mode: 0o600)
        #expect(try workspace.client(["--secrets", "forged-secrets.json", #"{"action":"list-actions"}"#], environment: env).exitCode == 3)
        #expect(server.stop() == 0)

        let database = workspace.file("conduit.sqlite")
        let verified = try Command.run(Binaries.path("ccc-server"), ["audit", "verify", "--db", database], in: workspace.path)
        #expect(verified.exitCode == 0, "\(verified)")
        #expect(verified.stdout.contains("audit log intact: 4 rows"), "\(verified)")
        // The database is found as the server finds it: CONDUIT_DB, or the config file's db.
        let byEnvironment = try Command.run(
            Binaries.path("ccc-server"), ["audit", "verify"], in: workspace.path, environment: ["CONDUIT_DB": database])
        #expect(byEnvironment.stdout.contains("audit log intact: 4 rows"), "\(byEnvironment)")
        try workspace.write("conduit.yaml", "db: \(database)\n")
        let byFile = try Command.run(
            Binaries.path("ccc-server"), ["audit", "export"], in: workspace.path, environment: ["CONDUIT_CONFIG": "conduit.yaml"])
        #expect(byFile.exitCode == 0 && byFile.stdout.split(separator: "\n").count == 4, "\(byFile)")
        let nowhere = try Command.run(Binaries.path("ccc-server"), ["audit", "verify", "--db", "nope.sqlite"], in: workspace.path)
        #expect(nowhere.exitCode != 0 && nowhere.stderr.contains("no database at nope.sqlite"), "\(nowhere)")

        let exported = try Command.run(Binaries.path("ccc-server"), ["audit", "export", "--db", database], in: workspace.path)
        #expect(exported.exitCode == 0)
        let entries = try exported.stdout.split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) }
        #expect(entries.map { $0["event"]?.stringValue ?? "" } == ["request.decided", "execution.finished", "request.rejected", "request.refused"])
        #expect(entries[2]["outcome"] == "unknown_action")
        #expect(entries[3]["user"] == "user")
        #expect(entries[3]["detail"]?["peer"]?.stringValue?.hasPrefix("127.0.0.1:") == true)
        let secrets = try SecretsFile.load(from: workspace.file("secrets.json"))
        for name in secrets.userNames { #expect(!exported.stdout.contains(secrets[name]!.secret)) }
        #expect(!exported.stdout.contains("sig1="), "no signature is stored")

        let csv = try Command.run(Binaries.path("ccc-server"), ["audit", "export", "--db", database, "--format", "csv", "--since", "0"], in: workspace.path)
        #expect(csv.stdout.hasPrefix("id,at,event,user,actor,action,request,outcome,detail,previous_hash,hash\n"))
        #expect(csv.stdout.split(separator: "\n").count == 5)
        let future = try Command.run(Binaries.path("ccc-server"), ["audit", "export", "--db", database, "--since", "2100-01-01T00:00:00Z"], in: workspace.path)
        #expect(future.exitCode == 0 && future.stdout.isEmpty)
        #expect(try Command.run(Binaries.path("ccc-server"), ["audit", "export", "--db", database, "--since", "yesterday"], in: workspace.path).exitCode != 0)

        // Someone edits row 3 behind the application's back (dropping the guard trigger first).
        let tamper = try Command.run(
            "/usr/bin/env",
            ["python3", "-c", """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.execute("DROP TRIGGER audit_log_no_update")
                db.execute("UPDATE audit_log SET outcome = 'completed' WHERE id = 3")
                db.commit()
                """, database], in: workspace.path)
        #expect(tamper.exitCode == 0, "\(tamper)")
        let broken = try Command.run(Binaries.path("ccc-server"), ["audit", "verify", "--db", database], in: workspace.path)
        #expect(broken.exitCode == 1)
        #expect(broken.stderr.contains("row 3"), "\(broken)")
    }
}
