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
            FileHandle.standardError.write(Data("ccc-server: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
