import ArgumentParser
import AsyncHTTPClient
import ConduitClient
import ConduitTUI
import Foundation

/// `ccc-queue`: approve or deny queued actions, live, in the terminal.
@main
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-queue",
        abstract: "Approve or deny queued Conduit actions, live.",
        discussion: """
            Shows the pending requests you may decide (those of the users in your canApprove list).
            Keys: y approve, n deny (asks for an optional reason), a approve and remember (asks for a
            duration such as 15m or 2h), j/k or arrows move, r refresh, q quit.
            """)

    @Option(help: "The secrets file holding your user's secret (env CCC_SECRETS). [default: secrets.json]")
    var secrets: String?

    @Option(help: "Your user name (env CCC_USER); defaults to the only user of the secrets file.")
    var user: String?

    @Option(help: "The broker's URL (env CCC_SERVER). [default: http://127.0.0.1:3015]")
    var server: String?

    func run() throws {
        let httpClient = ConduitHTTPClient.makeHTTPClient()
        defer { try? httpClient.syncShutdown() }
        let client: ConduitHTTPClient
        do {
            let settings = ClientSettings(
                secrets: secrets, user: user, server: server, environment: ProcessInfo.processInfo.environment)
            client = try ConduitHTTPClient(
                serverURL: settings.serverURL, credentials: try settings.loadCredentials(), httpClient: httpClient)
        } catch {
            FileHandle.standardError.write(Data("ccc-queue: error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        QueueApp(client: client).run(screen: CursesScreen())
    }
}
