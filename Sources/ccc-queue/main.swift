import ArgumentParser
import AsyncHTTPClient
import ConduitClient
import ConduitCommandLine
import ConduitTUI
import Foundation

/// `ccc-queue`: approve or deny queued actions, live, in the terminal.
@main
struct QueueManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccc-queue",
        abstract: "Approve or deny queued Conduit actions, live.",
        discussion: """
            Shows the pending requests you may decide (those of the users in your canApprove list).
            Keys: y approve, n deny (asks for an optional reason), a approve and remember (asks for a
            duration such as 15m or 2h), j/k or arrows move, r refresh, q quit.
            """)

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let httpClient = ConduitHTTPClient.makeHTTPClient()
        defer { try? httpClient.syncShutdown() }
        let client: ConduitHTTPClient
        do {
            client = try connection.client(httpClient: httpClient)
        } catch {
            FileHandle.standardError.write(Data("ccc-queue: error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        QueueApp(client: client).run(screen: CursesScreen())
    }
}
