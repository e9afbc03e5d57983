import ConduitTestSupport
import Foundation

/// The real `ccc-server` binary on a free loopback port.
final class ServerProcess {
    let child: ChildProcess
    private(set) var port = 0

    var url: String { "http://127.0.0.1:\(port)" }
    var process: Process { child.process }

    /// Starts `ccc-server --port 0 …` in `directory` and waits (at most 30 s) for it to listen.
    /// Without `--db` in `arguments`, the database is `directory/conduit.sqlite`.
    init(arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        let arguments = arguments.contains("--db") ? arguments : arguments + ["--db", directory + "/conduit.sqlite"]
        child = try ChildProcess(
            Binaries.path("ccc-server"), ["--port", "0"] + arguments, in: directory, environment: environment, combineOutput: true)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("ccc-server listening on ") }),
                let port = Int(line.split(separator: ":").last ?? "")
            {
                self.port = port
                return
            }
            guard child.isRunning else { break }
            usleep(20_000)
        }
        child.signal(SIGKILL)
        throw ServerDidNotStart(log: log)
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        var log: String
        var description: String { "ccc-server did not start:\n\(log)" }
    }

    /// Sends a signal without waiting.
    func signal(_ signal: Int32) { child.signal(signal) }

    /// How many reloads (`SIGHUP`) it has logged, successful or not.
    var reloads: Int { log.components(separatedBy: "reload").count - 1 }

    /// Sends `SIGHUP` and waits (at most 10 s) until the reload is logged; whether it was.
    @discardableResult
    func reload() -> Bool {
        let before = reloads
        signal(SIGHUP)
        return eventually { reloads > before }
    }

    /// Sends SIGTERM and returns the exit status (waits at most 15 s, then kills: -1).
    @discardableResult
    func stop() -> Int32 {
        if child.isRunning { signal(SIGTERM) }
        if child.waitForExit(timeout: 15) { return process.terminationStatus }
        signal(SIGKILL)
        process.waitUntilExit()
        return -1
    }

    /// Everything it wrote to standard output and error so far.
    var log: String { child.stdout }

    deinit { if child.isRunning { stop() } }
}
