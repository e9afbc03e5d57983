import Foundation

/// The outcome of running a program to completion.
struct CommandResult: CustomStringConvertible {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(exitCode)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs programs the way a person at a shell would, with a bounded wait.
enum Command {
    /// Runs `executable` with `arguments` in `directory`; kills it after `timeout` seconds.
    static func run(
        _ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:],
        timeout: TimeInterval = 60
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for name in ["CCC_SECRETS", "CCC_USER", "CCC_SERVER", "CONDUIT_PORT", "CONDUIT_ROOT"] { env[name] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        let stdoutFile = try TemporaryFile()
        let stderrFile = try TemporaryFile()
        process.standardOutput = stdoutFile.handle
        process.standardError = stderrFile.handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return CommandResult(exitCode: process.terminationStatus, stdout: stdoutFile.contents(), stderr: stderrFile.contents())
    }
}

/// A file that collects a child's output.
final class TemporaryFile {
    let path: String
    let handle: FileHandle

    init() throws {
        path = NSTemporaryDirectory() + "/conduit-e2e-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func contents() -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
