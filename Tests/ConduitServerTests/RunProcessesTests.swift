import ConduitServer
import ConduitTestSupport
import Foundation
import Testing

/// Every process of a run is found by its marker and ended, including those that left the
/// runner's session and process group, as Claude Code's Bash commands and hooks do.
@Suite("Processes of a run")
struct RunProcessesTests {
    @Test func processesInSessionsOfTheirOwnAreFoundAndKilledAndOthersAreLeftAlone() throws {
        let run = "test-\(UUID().uuidString.lowercased())"
        let other = "test-\(UUID().uuidString.lowercased())"
        func start(_ marker: String, _ script: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = ["PATH": "/usr/bin:/bin", RunProcesses.markerName: marker]
            try process.run()
            return process
        }
        // The runner, a Bash command in a session of its own, and one that double-forks away.
        let runner = try start(run, "setsid sleep 300 & (setsid sh -c 'sleep 300 & wait' &) ; sleep 300")
        let bystander = try start(other, "sleep 300")
        defer {
            runner.terminate()
            bystander.terminate()
            _ = RunProcesses.killAll(run: other)
        }
        #expect(eventually { RunProcesses.find(run: run).count >= 4 }, "the run's four processes are running")
        let found = RunProcesses.find(run: run)
        // The double fork may still be starting its last child: what find saw, findAll sees too.
        #expect(Set(found).isSubset(of: RunProcesses.findAll()[run] ?? []))
        #expect(RunProcesses.killAll(run: run) >= 4)
        #expect(eventually { RunProcesses.find(run: run).isEmpty }, "no process of the run is left")
        for pid in found where pid != runner.processIdentifier {
            #expect(eventually { Self.isGone(pid) }, "process \(pid) is gone")
        }
        #expect(!RunProcesses.find(run: other).isEmpty, "another run's processes are not touched")
    }

    /// Gone, or dead and waiting for a parent to reap it (a zombie runs nothing).
    static func isGone(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
