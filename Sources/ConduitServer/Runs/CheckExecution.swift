import ConduitCore
import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs one check in a worktree: its argv (no shell), standard output and error interleaved in one
/// capture, killed with every process of the run at its timeout.
enum CheckExecution {
    /// The most of a check's output kept: its tail, which is where failures are reported.
    static let outputTail = 4000

    static func run(_ check: RunCheck, in worktree: String, run: String, environment: [String: String]) async -> CheckResult {
        let capture: CaptureFile
        do {
            capture = try CaptureFile()
        } catch {
            return CheckResult(name: check.name, exitCode: -1, passed: false, output: "cannot prepare to run the check: \(error)")
        }
        defer { capture.close() }
        let output = dup(capture.descriptor)
        let errors = dup(capture.descriptor)
        let environmentKeys = ProgramLocation.environmentKeys(environment)
        let executable: Executable = check.run[0].contains("/") ? .path(FilePath(check.run[0])) : .name(check.run[0])
        enum Finish: Sendable { case exited(Int32), failed(String), timedOut }
        let finish: Finish = await withTaskGroup(of: Finish.self) { group in
            group.addTask {
                var options = PlatformOptions()
                options.createSession = true
                do {
                    let result = try await Subprocess.run(
                        executable, arguments: Arguments(Array(check.run.dropFirst())), environment: .custom(environmentKeys),
                        workingDirectory: FilePath(worktree), platformOptions: options, input: .none,
                        output: .fileDescriptor(FileDescriptor(rawValue: output), closeAfterSpawningProcess: true),
                        error: .fileDescriptor(FileDescriptor(rawValue: errors), closeAfterSpawningProcess: true))
                    switch result.terminationStatus {
                    case .exited(let code): return .exited(code)
                    case .signaled(let signal): return .exited(128 + signal)
                    }
                } catch {
                    return .failed("cannot run \(check.run[0]): \(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(check.timeout))
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            if case .timedOut = first {
                RunProcesses.killAll(run: run)
                _ = await group.next()
            }
            group.cancelAll()
            return first
        }
        let text = tail(of: capture, limit: outputTail)
        switch finish {
        case .exited(let code): return CheckResult(name: check.name, exitCode: code, passed: code == 0, output: text)
        case .failed(let message): return CheckResult(name: check.name, exitCode: -1, passed: false, output: message)
        case .timedOut:
            return CheckResult(
                name: check.name, exitCode: -1, passed: false, output: text + "\n[killed after \(check.timeout) s: its timeout]")
        }
    }

    /// The last `limit` bytes written to `capture`, as text.
    static func tail(of capture: CaptureFile, limit: Int) -> String {
        var size = stat()
        guard fstat(capture.descriptor, &size) == 0, size.st_size > 0 else { return "" }
        let length = min(Int(size.st_size), limit)
        var buffer = [UInt8](repeating: 0, count: length)
        let count = pread(capture.descriptor, &buffer, length, off_t(Int(size.st_size) - length))
        guard count > 0 else { return "" }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int(size.st_size) > limit ? "[…]" + text : text
    }
}
