import Foundation
import Synchronization

/// A program left running while the test does something else (a client waiting for a decision).
final class BackgroundCommand {
    let process = Process()
    private let stdoutFile: TemporaryFile
    private let stderrFile: TemporaryFile

    init(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        stdoutFile = try TemporaryFile()
        stderrFile = try TemporaryFile()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for name in ["CCC_SECRETS", "CCC_USER", "CCC_SERVER"] { env[name] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = stdoutFile.handle
        process.standardError = stderrFile.handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits at most `timeout` seconds for it to exit (then kills it) and returns what it did.
    func finish(timeout: TimeInterval = 30) -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return CommandResult(exitCode: process.terminationStatus, stdout: stdoutFile.contents(), stderr: stderrFile.contents())
    }

    deinit { if process.isRunning { process.terminate() } }
}

/// Polls `condition` every 20 ms for at most `timeout` seconds.
func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try condition() { return true }
        usleep(20_000)
    } while Date() < deadline
    return false
}

/// A value shared between a test and the tasks it starts.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value { storage.withLock { $0 } }

    func update(_ change: (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }
}
