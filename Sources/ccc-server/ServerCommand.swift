import ArgumentParser
import ConduitCore
import ConduitServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `ccc-server`: the broker (`serve`, the default), its audit tools and its effective configuration.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-server",
        abstract: "Conduit's broker: runs typed, signed action requests from containers under per-action policies.",
        discussion:
            "Without a subcommand, ccc-server runs the broker (serve). Its flags (--secrets, --host, --port, --volume, "
            + "--actions, --db, --config, --max-age, --body-limit, --notify, …) are listed by `ccc-server serve --help`; "
            + "each can also come from CONDUIT_<FLAG> or the config file (`ccc-server config print` shows what is in "
            + "force and where it came from).",
        version: ConduitVersion.current,
        subcommands: [Serve.self, AuditCommand.self, ConfigCommand.self], defaultSubcommand: Serve.self)

    /// Blocks the signals the server handles before any other thread exists, so every thread
    /// inherits the mask and they reach the service lifecycle instead of killing the process.
    static func main() async {
        ProcessSignals.blockHandledSignals()
        // Run Swift concurrency on NIO's event loops: requests no longer hop between NIO's threads
        // and the cooperative pool (measured: see docs/DESIGN.md, "Benchmark").
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }

    /// `$XDG_STATE_HOME/conduit/conduit.sqlite`, else `~/.local/state/conduit/conduit.sqlite`.
    static func defaultDatabasePath(_ environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/conduit/conduit.sqlite" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/conduit/conduit.sqlite"
    }

    /// `$XDG_CONFIG_HOME/conduit/conduit.yaml`, else `~/.config/conduit/conduit.yaml`.
    static func defaultConfigPath(_ environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/conduit/conduit.yaml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/conduit/conduit.yaml"
    }
}
