import ConduitClient
import ConduitCore
import ConduitTestSupport
import Foundation
import Testing

/// `--config`, `CONDUIT_*`, `config print`, and the notify hook, through the real binary.
@Suite("Configuration (real binaries)")
struct ConfigurationTests {
    @Test func configPrintShowsEveryValueAndItsSource() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("conduit.yaml", "secrets: secrets.json\nport: 4000\nmax-age: 45\nvolumes: [/srv/w:/workspace]\n")
        let printed = try Command.run(
            Binaries.path("ccc-server"), ["config", "print", "--config", "conduit.yaml", "--max-age", "20"], in: workspace.path,
            environment: ["CONDUIT_PORT": "5000"])
        #expect(printed.exitCode == 0, "\(printed)")
        for line in ["port: 5000  # environment", "max-age: 20  # flag", "secrets: secrets.json  # file",
                     "volumes: [/srv/w:/workspace]  # file", "max-skew: 5  # default", "notify: []  # default"] {
            #expect(printed.stdout.contains(line), "\(line) in\n\(printed.stdout)")
        }
        let missing = try Command.run(Binaries.path("ccc-server"), ["config", "print", "--config", "nope.yaml"], in: workspace.path)
        #expect(missing.exitCode != 0 && missing.stderr.contains("nope.yaml"))
        try workspace.write("bad.yaml", "secrets: secrets.json\nbody_limit: 10\n")
        let bad = try Command.run(Binaries.path("ccc-server"), ["--config", "bad.yaml"], in: workspace.path)
        #expect(bad.exitCode != 0)
        #expect(bad.stderr.contains("bad.yaml: unknown setting \"body_limit\""), "\(bad)")
    }

    @Test func configPrintShowsTheDefaultVolumesAndRefusesWhatServeRefuses() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let printed = try Command.run(Binaries.path("ccc-server"), ["config", "print"], in: workspace.path)
        #expect(printed.exitCode == 0, "\(printed)")
        let volumes = "volumes: [\(workspace.file("data/workspace")):/workspace, \(workspace.file("data/claude-home")):/home/claude]  # default"
        #expect(printed.stdout.contains(volumes), "\(printed.stdout)")
        #expect(printed.stdout.contains("secrets: (not set)"))
        for arguments in [["--volume", "bogus"], ["--root", "relative"]] {
            let printing = try Command.run(Binaries.path("ccc-server"), ["config", "print", "--secrets", "s.json"] + arguments, in: workspace.path)
            let serving = try Command.run(Binaries.path("ccc-server"), ["--secrets", "s.json"] + arguments, in: workspace.path)
            #expect(printing.exitCode != 0 && serving.exitCode != 0, "\(arguments): \(printing)\n\(serving)")
            let reason = try #require(serving.stderr.split(separator: "\n").first)
            #expect(printing.stderr.contains(reason), "the same refusal: \(printing.stderr) vs \(serving.stderr)")
        }
    }

    @Test func notifyTakesArgumentsThatStartWithADash() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let printed = try Command.run(
            Binaries.path("ccc-server"), ["config", "print", "--notify", "sh", "--notify", "-c", "--notify", "notify-send \"$1\""],
            in: workspace.path)
        #expect(printed.exitCode == 0, "\(printed)")
        #expect(printed.stdout.contains("notify: [sh, -c, notify-send \"$1\"]  # flag"), "\(printed.stdout)")
    }

    @Test func theServerRunsFromAConfigFileAndTheNotifyHookHearsOfQueuedRequests() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.createUsers()
        try workspace.write("actions/ask.yaml", "description: Waits.\npolicy: queue\n")
        try workspace.write("bin/notify", "#!/bin/sh\nprintf '%s|' \"$@\" >> \"$(dirname \"$0\")/notified.log\"\n", mode: 0o755)
        try workspace.write(
            "conduit.yaml",
            "secrets: secrets.json\nactions: actions\ndb: state/conduit.sqlite\nnotify: [\(workspace.file("bin/notify")), Conduit]\n")
        let server = try ServerProcess(
            arguments: ["--config", "conduit.yaml", "--db", workspace.file("state/conduit.sqlite")], in: workspace.path,
            environment: workspace.serverEnvironment)
        defer { server.stop() }
        let queued = try workspace.client(["--secrets", "agent-secrets.json", "--no-wait", #"{"action":"ask"}"#], environment: ["CCC_SERVER": server.url])
        #expect(queued.exitCode == 0, "\(queued)")
        let id = try #require(try JSONValue.parse(Array(queued.stdout.utf8))["id"]?.stringValue)
        #expect(eventually { workspace.read("bin/notified.log") == "Conduit|\(id)|ask|agent|" }, "\(workspace.read("bin/notified.log"))")
        #expect(FileManager.default.fileExists(atPath: workspace.file("state/conduit.sqlite")))
    }
}
