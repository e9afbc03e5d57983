import ConduitServer
import Foundation
import Synchronization
import Testing

/// Every handler runs under the real `ccc-tether` (built beside the test bundle by `swift build`).
@Suite("Handlers on a tether")
struct HandlerTetherTests {
    let runner = ActionRunner()
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(
            FileManager.default.isExecutableFile(atPath: runner.tether),
            "ccc-tether is missing at \(runner.tether): run `swift build` first")
    }

    @Test func theProgramStartsOnlyAfterItsStartIsRecorded() async throws {
        let marker = directory.appendingPathComponent("ran").path
        let seenBeforeStart = Mutex<Bool?>(nil)
        let outcome = await runner.run(["touch", marker], timeout: .seconds(10)) {
            seenBeforeStart.withLock { $0 = FileManager.default.fileExists(atPath: marker) }
        }
        #expect(outcome.succeeded, "\(outcome)")
        #expect(seenBeforeStart.withLock { $0 } == false, "the program had already run when its start was recorded")
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    struct StorageDown: Error, CustomStringConvertible {
        var description: String { "the database is unavailable" }
    }

    @Test func whenTheStartCannotBeRecordedNothingRuns() async throws {
        let marker = directory.appendingPathComponent("ran").path
        let outcome = await runner.run(["touch", marker], timeout: .seconds(10)) { throw StorageDown() }
        #expect(!outcome.succeeded)
        #expect(outcome.launchError == "not started: the database is unavailable")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func theExitStatusIsTheProgramsOwn() async {
        let outcome = await runner.run(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect(outcome.exitCode == 3)
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr == "err\n")
        #expect(outcome.launchError == nil)
    }

    @Test func aProgramKilledByASignalReportsThatSignal() async {
        let outcome = await runner.run(["sh", "-c", "kill -TERM $$"], timeout: .seconds(10))
        #expect(outcome.exitCode == 128 + 15)
        #expect(!outcome.timedOut)
    }

    @Test func aProgramThatDoesNotExistIsALaunchErrorNamingIt() async {
        let outcome = await runner.run(["conduit-no-such-program", "x"], timeout: .seconds(10))
        #expect(outcome.exitCode == 127)
        #expect(outcome.launchError == "cannot run conduit-no-such-program: No such file or directory")
    }

    @Test func theProgramReadsTheInputItIsHandedAndNothingElse() async throws {
        let file = directory.appendingPathComponent("input.txt")
        try Data("handed over\n".utf8).write(to: file)
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        #expect(descriptor >= 0)
        let outcome = await runner.run(["sh", "-c", "cat; ls /proc/self/fd | wc -l"], timeout: .seconds(10), input: descriptor)
        // stdin, stdout, stderr and the directory `ls` reads: no socket of the tether leaks into it.
        #expect(outcome.stdout == "handed over\n4\n", "\(outcome)")
    }

    @Test func aProgramPastItsTimeoutIsKilled() async {
        let outcome = await runner.run(["sleep", "30"], timeout: .milliseconds(300))
        #expect(outcome.timedOut)
        #expect(outcome.exitCode == 137)
    }

    @Test func ccc_tetherRefusesToRunByHand() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: runner.tether)
        process.arguments = []
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("not for use by hand"))
    }
}
