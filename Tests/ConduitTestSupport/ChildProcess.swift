import Foundation

/// A program started by a test, the one way the end-to-end tests start programs (``Command``,
/// ``ChildProcess`` and the tests' server launcher are built on it).
///
/// Its environment is the test's without any inherited `CCC_*` or `CONDUIT_*` variable — a
/// developer's own settings never leak into a test — plus exactly what the test passes. Standard
/// input is `/dev/null`; standard output and error go to temporary files (the same one when
/// `combineOutput`), readable while it runs.
public final class ChildProcess {
    public let process = Process()
    private let stdoutFile: TemporaryFile
    private let stderrFile: TemporaryFile?

    /// The test's environment without the variables Conduit's programs read.
    public static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CCC_") && !$0.key.hasPrefix("CONDUIT_") }
    }

    /// Starts `executable` with `arguments` in `directory`.
    public init(
        _ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:],
        combineOutput: Bool = false
    ) throws {
        stdoutFile = try TemporaryFile()
        stderrFile = combineOutput ? nil : try TemporaryFile()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = Self.cleanEnvironment.merging(environment) { _, new in new }
        process.standardOutput = stdoutFile.handle
        process.standardError = (stderrFile ?? stdoutFile).handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// What it wrote to standard output so far (with standard error, when combined).
    public var stdout: String { stdoutFile.contents() }
    /// What it wrote to standard error so far ("" when combined).
    public var stderr: String { stderrFile?.contents() ?? "" }

    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` without waiting.
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits at most `timeout` seconds for it to exit, then sends `SIGTERM` (and `SIGKILL` 5 s
    /// later); returns what it did. `exitCode` is -1 when it had to be killed.
    @discardableResult
    public func finish(timeout: TimeInterval = 30) -> CommandResult {
        if !waitForExit(timeout: timeout) {
            signal(SIGTERM)
            if !waitForExit(timeout: 5) {
                signal(SIGKILL)
                process.waitUntilExit()
            }
            return CommandResult(exitCode: -1, stdout: stdout, stderr: stderr)
        }
        return CommandResult(exitCode: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Whether it exited within `timeout` seconds (polled every 5 ms).
    public func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        return !process.isRunning
    }

    deinit {
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// The outcome of running a program to completion.
public struct CommandResult: CustomStringConvertible, Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String { "exit \(exitCode)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs programs the way a person at a shell would, with a bounded wait.
public enum Command {
    /// Runs `executable` with `arguments` in `directory`; stops it after `timeout` seconds.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:],
        timeout: TimeInterval = 60
    ) throws -> CommandResult {
        try ChildProcess(executable, arguments, in: directory, environment: environment).finish(timeout: timeout)
    }
}

/// A file that collects a child's output; removed when released.
public final class TemporaryFile {
    public let path: String
    public let handle: FileHandle

    public init() throws {
        path = NSTemporaryDirectory() + "/conduit-output-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    public func contents() -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
