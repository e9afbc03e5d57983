import Foundation

/// The real `ccc-server` binary on a free loopback port.
final class ServerProcess {
    let process = Process()
    let output: TemporaryFile
    private(set) var port = 0

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `ccc-server --port 0 …` in `directory` and waits (at most 30 s) for it to listen.
    /// Without `--db` in `arguments`, the database is `directory/conduit.sqlite`.
    init(arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        let arguments = arguments.contains("--db") ? arguments : arguments + ["--db", directory + "/conduit.sqlite"]
        output = try TemporaryFile()
        process.executableURL = URL(fileURLWithPath: Binaries.path("ccc-server"))
        process.arguments = ["--port", "0"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = output.handle
        process.standardError = output.handle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let line = output.contents().split(separator: "\n").first(where: { $0.hasPrefix("ccc-server listening on ") }),
                let port = Int(line.split(separator: ":").last ?? "")
            {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        process.terminate()
        throw ServerDidNotStart(log: output.contents())
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        var log: String
        var description: String { "ccc-server did not start:\n\(log)" }
    }

    /// Sends a signal without waiting.
    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Sends SIGTERM and returns the exit status (waits at most 15 s, then kills).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { signal(SIGTERM) }
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    var log: String { output.contents() }

    deinit { if process.isRunning { stop() } }
}
