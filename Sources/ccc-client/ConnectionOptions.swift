import ArgumentParser
import ConduitClient

/// Where every `ccc-client` command finds its secrets, user and broker.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The secrets file holding your user's secret (env CCC_SECRETS). [default: secrets.json]")
    var secrets: String?

    @Option(help: "Your user name (env CCC_USER); defaults to the only user of the secrets file.")
    var user: String?

    @Option(help: "The broker's URL (env CCC_SERVER). [default: http://127.0.0.1:3015]")
    var server: String?

    /// The flags, else `CCC_*`, else the defaults.
    func settings(environment: [String: String]) -> ClientSettings {
        ClientSettings(secrets: secrets, user: user, server: server, environment: environment)
    }
}
