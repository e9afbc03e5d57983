import ArgumentParser
import ConduitClient
import ConduitCommandLine
import Foundation

/// `ccc-client grants [list]` and `ccc-client grants revoke ID`: the remembered approvals
/// (`a` in ccc-queue, `remember` in the API) this user made or may see, and revoking one.
///
/// Exit codes: 0 done, 1 refused (403: only an approver of its submitter may revoke), 2 usage or
/// unknown grant (404), 3 authentication, 4 server unreachable.
struct GrantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "List remembered approvals, or revoke one.",
        discussion: "Prints the broker's JSON answer. Exit codes: 0 done, 1 refused, 2 usage or unknown grant, 3 authentication, 4 unreachable.",
        subcommands: [List.self, Revoke.self], defaultSubcommand: List.self)

    /// `GET /v1/grants`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the active remembered approvals, newest first.")

        @OptionGroup var connection: ConnectionOptions

        func execute() async -> Int32 {
            await GrantsCommand.answer(connection) { try await $0.grants() }
        }
    }

    /// `DELETE /v1/grants/{id}`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a remembered approval (its approver or another approver of its submitter).")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The grant's id (from `ccc-client grants`, or a record's decision.grant).")
        var id: String

        func execute() async -> Int32 {
            let id = self.id
            return await GrantsCommand.answer(connection) { try await $0.revokeGrant(id: id) }
        }
    }

    /// Sends one request, prints the answer's body, and returns the exit code.
    static func answer(_ connection: ConnectionOptions, _ request: @Sendable (ConduitHTTPClient) async throws -> ConduitResponse) async -> Int32 {
        do {
            let response = try await connection.withClient(request)
            print(String(decoding: response.body, as: UTF8.self))
            switch response.status {
            case 200: return 0
            case 400, 404: return 2
            default: return 1
            }
        } catch {
            return ClientFailure.exit(error)
        }
    }
}
