import ArgumentParser
import ConduitCore
import ConduitServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `ccc-server [serve]`: the broker.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the broker (the default when no subcommand is given).")

    @OptionGroup var options: ServerOptions

    @Flag(help: .hidden)
    var benchmarkWithoutAudit = false

    func run() async throws {
        let settings = try options.settings()
        var logger = Logger(label: "conduit")
        logger.logLevel = try options.logLevel(settings)
        var resolved = try options.serverConfiguration(settings)
        resolved.auditing = !benchmarkWithoutAudit
        resolved.runs.environment = ProcessInfo.processInfo.environment
        let configuration = resolved
        for volume in configuration.volumes where !FileManager.default.fileExists(atPath: volume.host) {
            logger.warning("volume host directory does not exist: \(volume.host)")
        }
        logger.info("database: \(configuration.databasePath)")
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(configuration: configuration, logger: logger) { port in
                // Written straight to the descriptor so a reading process sees it at once.
                FileHandle.standardOutput.write(Data("ccc-server listening on http://\(configuration.host):\(port)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("ccc-server: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("ccc-server: error: \(Self.explain(error, configuration))\n".utf8))
            throw ExitCode(1)
        }
    }

    /// A failure to run, in words that name what to change (the address for a failed bind).
    static func explain(_ error: any Error, _ configuration: ServerConfiguration) -> String {
        let address = "\(configuration.host):\(configuration.port)"
        guard let error = error as? IOError else { return "\(error)" }
        switch error.errnoCode {
        case EADDRINUSE:
            return "cannot listen on \(address): the address is already in use — is another ccc-server (or scripts/demo.sh) "
                + "running? Stop it, or choose another --port"
        case EADDRNOTAVAIL:
            return "cannot listen on \(address): no interface of this machine has that address (--host; `ip -4 addr` lists them)"
        case EACCES:
            return "cannot listen on \(address): permission denied (ports below 1024 need privileges; choose another --port)"
        default:
            return "cannot listen on \(address): \(error)"
        }
    }
}
