import ConduitCore
import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Starts a runner for one attempt (its prompt on standard input, in a session of its own, in the
/// worktree) and hands each line of its standard output to `line` as it comes.
enum RunnerProcess {
    /// How an attempt's runner ended.
    struct Exit: Sendable {
        /// Its exit code (128 + the signal when killed); nil when it could not start.
        var code: Int32?
        /// The tail of what it wrote to standard error (or why it could not start).
        var stderr: String
    }

    /// The longest line read from a runner; a longer one ends the attempt (16 MiB).
    static let longestLine = 16 << 20

    static func run(
        program: String, arguments: [String], prompt: String, environment: [String: String], worktree: String,
        line: @escaping @Sendable (String) async -> Void
    ) async -> Exit {
        let capture: CaptureFile
        do {
            capture = try CaptureFile()
        } catch {
            return Exit(code: nil, stderr: "cannot prepare to run \(program): \(error)")
        }
        defer { capture.close() }
        let errors = dup(capture.descriptor)
        let keys = ProgramLocation.environmentKeys(environment)
        var options = PlatformOptions()
        options.createSession = true
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(arguments), environment: .custom(keys), workingDirectory: FilePath(worktree),
                platformOptions: options, input: .string(prompt), output: .sequence,
                error: .fileDescriptor(FileDescriptor(rawValue: errors), closeAfterSpawningProcess: true)
            ) { execution in
                for try await text in execution.standardOutput.strings(bufferingPolicy: .maxLineLength(longestLine)) {
                    await line(text)
                }
            }
            let code: Int32
            switch result.terminationStatus {
            case .exited(let value): code = value
            case .signaled(let signal): code = 128 + signal
            }
            return Exit(code: code, stderr: CheckExecution.tail(of: capture, limit: 2000))
        } catch {
            let said = CheckExecution.tail(of: capture, limit: 2000)
            return Exit(code: nil, stderr: "cannot run \(program): \(error)" + (said.isEmpty ? "" : "; it said: \(said)"))
        }
    }
}
