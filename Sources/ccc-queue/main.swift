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
            Queue keys: y approve, n deny (asks for an optional reason), a approve and remember (asks
            for a duration such as 15m or 2h), v or Enter the whole request (j/k, space/b scroll; v or
            Esc back), j/k or arrows move, h history, g remembered approvals, r refresh, q quit.
            History (h): f filter by action, j/k scroll, r refresh, h or Esc back.
            Remembered approvals (g): x revoke the highlighted one, j/k move, r refresh, g or Esc back.
            Exit codes: 0 quit, 2 usage, 3 the broker refuses this user's signature (the reason is printed).
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
        if let reason = QueueApp(client: client).run(screen: CursesScreen()) {
            FileHandle.standardError.write(Data("ccc-queue: error: \(reason)\n".utf8))
            throw ExitCode(3)
        }
    }
}
