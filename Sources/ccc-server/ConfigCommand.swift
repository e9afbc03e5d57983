import ArgumentParser
import ConduitCore
import ConduitServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `ccc-server config print`: the effective configuration and where each value came from.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show the effective configuration.", subcommands: [Print.self])

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting with its source (flag, environment, file or default).")

        @OptionGroup var options: ServerOptions

        /// Prints the settings once they pass the checks `serve` makes (a missing secrets file
        /// aside, which the listing shows as not set).
        func run() async throws {
            let settings = try options.settings()
            do {
                _ = try ServerConfiguration(settings: settings, workingDirectory: FileManager.default.currentDirectoryPath)
            } catch where error != .missingSecrets {
                throw ValidationError(error.description)
            } catch {}
            print(settings.printed)
        }
    }
}
