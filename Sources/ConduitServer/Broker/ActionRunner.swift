import ConduitCore
import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// What a handler's run produced.
public struct ExecutionOutcome: Sendable, Equatable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    /// Set when the command was killed for running past its timeout.
    public var timedOut: Bool
    /// Set when the command could not be started at all.
    public var launchError: String?

    /// Exit 0, on time, started: the request is `completed`; anything else is `failed`.
    public var succeeded: Bool { exitCode == 0 && !timedOut && launchError == nil }

    /// Why it failed, in words (for the record's `reason`): with the last line the command wrote
    /// to stderr, which is usually the handler's own reason (`exited with status 127: edit-file: no
    /// default text editor …`), at most 200 characters of it.
    public var failureDescription: String {
        if let launchError { return "could not start: \(launchError)" }
        let said = Self.lastLine(of: stderr).map { ": \($0)" } ?? ""
        if timedOut { return "timed out and was killed" + said }
        return "exited with status \(exitCode)" + said
    }

    static func lastLine(of text: String) -> String? {
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }

    /// `{exitCode, stdout, stderr}` plus `timedOut` / `error` when they apply.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "exitCode": .integer(Int64(exitCode)), "stdout": .string(stdout), "stderr": .string(stderr),
        ]
        if timedOut { members["timedOut"] = true }
        if let launchError { members["error"] = .string(launchError) }
        return .object(members)
    }
}

/// Runs an action's argv through swift-subprocess: no shell, the broker's environment with git's
/// repository-controlled programs switched off (``HostProgramEnvironment``), standard input from
/// `/dev/null` (or a file the broker opened for it),
/// stdout and stderr captured up to ``outputLimit`` bytes each, killed after its timeout.
///
/// Every program runs under `ccc-tether` (``HandlerTether``), in a session of its own: it starts
/// only after `beforeStart` (the broker records the start there), and it is killed with its process
/// group when the broker ends, however the broker ends.
///
/// Output goes to unlinked temporary files rather than pipes, so a program that leaves a
/// background child holding its stdout (as `xdg-open` may with a browser) does not hold the request.
public struct ActionRunner: Sendable {
    public var outputLimit: Int
    /// The `ccc-tether` executable.
    public var tether: String

    public init(outputLimit: Int = ServerDefaults.outputLimit, tether: String? = nil) {
        self.outputLimit = outputLimit
        self.tether = tether ?? HandlerTether.besideExecutable
    }

    /// Runs `argv`; `input`, when given, is a descriptor this call takes over (and closes) that
    /// becomes the program's standard input instead of `/dev/null`. `beforeStart` runs once
    /// everything is ready and before the program may start; if it throws, nothing runs.
    public func run(
        _ argv: [String], timeout: Duration, input: Int32? = nil,
        beforeStart: @Sendable () async throws -> Void = {}
    ) async -> ExecutionOutcome {
        let inputDescriptor = input ?? open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { _ = Foundation.close(inputDescriptor) }
        guard !argv.isEmpty else {
            return ExecutionOutcome(exitCode: -1, stdout: "", stderr: "", timedOut: false, launchError: "empty command")
        }
        let stdoutFile: CaptureFile
        let stderrFile: CaptureFile
        let tetherLine: HandlerTether
        do {
            stdoutFile = try CaptureFile()
            stderrFile = try CaptureFile()
            tetherLine = try HandlerTether()
        } catch {
            return ExecutionOutcome(
                exitCode: -1, stdout: "", stderr: "", timedOut: false, launchError: "cannot prepare to run: \(error)")
        }
        defer {
            stdoutFile.close()
            stderrFile.close()
            tetherLine.close()
        }
        let outputDescriptor = dup(stdoutFile.descriptor)
        let errorDescriptor = dup(stderrFile.descriptor)
        let tether = self.tether

        enum Finish: Sendable {
            case exited(TerminationStatus)
            case launchFailed(String)
            case notStarted(String)
            case timedOut
        }
        let finish: Finish = await withTaskGroup(of: Finish.self) { group in
            group.addTask {
                var options = PlatformOptions()
                options.createSession = true
                options.teardownSequence = [
                    .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))
                ]
                do {
                    let overrides: [Environment.Key: String?] = ProgramLocation.environmentKeys(HostProgramEnvironment.variables)
                    let result = try await Subprocess.run(
                        .path(FilePath(tether)), arguments: Arguments(argv), environment: .inherit.updating(overrides),
                        platformOptions: options,
                        input: .fileDescriptor(FileDescriptor(rawValue: tetherLine.tetherEnd), closeAfterSpawningProcess: true),
                        output: .fileDescriptor(FileDescriptor(rawValue: outputDescriptor), closeAfterSpawningProcess: true),
                        error: .fileDescriptor(FileDescriptor(rawValue: errorDescriptor), closeAfterSpawningProcess: true))
                    return .exited(result.terminationStatus)
                } catch {
                    if Task.isCancelled { return .timedOut }
                    return .launchFailed("cannot run \(tether) (ccc-tether, which runs every handler): \(error)")
                }
            }
            do {
                try await beforeStart()
                try tetherLine.release(input: inputDescriptor)
            } catch {
                // Closing our end tells ccc-tether to run nothing.
                tetherLine.close()
                let reason = "not started: \(error)"
                _ = await group.next()
                return .notStarted(reason)
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            if case .timedOut = first {
                // Wait for the teardown of the process (cancellation kills it) before reading output.
                _ = await group.next()
            }
            return first
        }
        let stdout = stdoutFile.read(limit: outputLimit)
        let stderr = stderrFile.read(limit: outputLimit)
        switch finish {
        case .exited(let status):
            switch tetherLine.report() {
            case .cannotRun(let code):
                let message = "cannot run \(argv[0]): \(String(validatingCString: strerror(code)) ?? "errno \(code)")"
                return ExecutionOutcome(exitCode: 127, stdout: stdout, stderr: stderr, timedOut: false, launchError: message)
            case .notStarted:
                return ExecutionOutcome(
                    exitCode: -1, stdout: stdout, stderr: stderr, timedOut: false,
                    launchError: "ccc-tether ended before starting \(argv[0]) (\(status))")
            case .started:
                break
            }
            let code: Int32
            switch status {
            case .exited(let value): code = value
            case .signaled(let signal): code = 128 + signal
            }
            return ExecutionOutcome(exitCode: code, stdout: stdout, stderr: stderr, timedOut: false, launchError: nil)
        case .launchFailed(let message), .notStarted(let message):
            // Subprocess closes the handed-over descriptors on a failed spawn too.
            return ExecutionOutcome(exitCode: 127, stdout: stdout, stderr: stderr, timedOut: false, launchError: message)
        case .timedOut:
            return ExecutionOutcome(exitCode: 137, stdout: stdout, stderr: stderr, timedOut: true, launchError: nil)
        }
    }
}

/// An unlinked temporary file that collects one output stream.
final class CaptureFile: Sendable {
    let descriptor: Int32

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/conduit-output.XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        unlink(String(cString: template))
        descriptor = fd
    }

    /// Up to `limit` bytes from the start, decoded as UTF-8 (invalid sequences replaced).
    func read(limit: Int) -> String {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = pread(descriptor, &buffer, limit, 0)
        guard count > 0 else { return "" }
        var text = String(decoding: buffer[..<count], as: UTF8.self)
        var size = stat()
        if fstat(descriptor, &size) == 0, Int(size.st_size) > limit {
            text += "\n[truncated: \(size.st_size) bytes in all]"
        }
        return text
    }

    func close() {
        _ = Foundation.close(descriptor)
    }
}
