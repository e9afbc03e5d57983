import ArgumentParser
import ConduitClient
import ConduitCommandLine
import ConduitCore
import Foundation

/// `ccc-client runs`: the runs this user may see, newest first (`GET /v1/runs`).
///
/// Exit codes: 0 done, 2 usage or refused query, 3 authentication, 4 server unreachable.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List supervised runs (yours, and those of the submitters you may approve for).",
        discussion: "Prints the broker's JSON answer ({\"runs\", \"next_cursor\"}). Exit codes: 0 done, 2 usage, 3 authentication, 4 unreachable.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Only the runs of this group (one POST /v1/runs; what ccc-client run prints as \"group\").")
    var group: String?

    @Option(help: "Only runs in this status (pending, queued, running, waiting, checking, succeeded, failed, cancelled, denied, expired).")
    var status: String?

    @Option(help: "At most this many runs (1–1000).")
    var limit = 100

    func execute() async -> Int32 {
        var query = ["limit=\(limit)"]
        if let group { query.append("group=\(Self.encoded(group))") }
        if let status { query.append("status=\(Self.encoded(status))") }
        let target = "/v1/runs?" + query.joined(separator: "&")
        do {
            let response = try await connection.withClient { try await $0.send(method: "GET", target: target) }
            print(String(decoding: response.body, as: UTF8.self))
            return response.status == 200 ? 0 : 2
        } catch {
            return ClientFailure.exit(error)
        }
    }

    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? value
    }
}
