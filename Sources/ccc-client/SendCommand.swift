import ArgumentParser
import ConduitClient
import ConduitCommandLine
import ConduitCore
import Foundation
import NIOCore

/// `ccc-client [send]`: signs one action request, sends it, verifies the answer, waits for a queued request's
/// outcome (unless `--no-wait`), prints the final record.
///
/// Exit codes: 0 completed (or pending with `--no-wait`), 1 denied or failed, 2 usage or rejected
/// request (400/404/413), 3 authentication (401, or an answer whose signature does not verify),
/// 4 server unreachable, 5 expired, 6 canceled, 7 no decision before `--timeout` ran out (the request
/// was withdrawn, so it will not run; or it is still running).
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a signed action request (the default command).",
        discussion: """
            The arguments are joined with spaces and parsed as one JSON object:
              ccc-client '{"action": "edit-file",' '"filename": "/workspace/a"}'
            A queued request is waited for (--timeout, default 300 s; --no-wait returns at once),
            then the final record is printed. A request nobody decided within --timeout is
            withdrawn (canceled), so that a later approval cannot run it with nobody waiting.
            Exit codes: 0 completed (or pending with --no-wait), 1 denied or failed, 2 usage or
            rejected request, 3 authentication, 4 server unreachable, 5 expired, 6 canceled,
            7 no decision within --timeout (withdrawn; or still running).
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Seconds to wait for a queued request's outcome; then it is withdrawn.")
    var timeout = 300

    @Flag(help: "Do not wait for a queued request: print the pending record and exit 0.")
    var noWait = false

    @Argument(help: "The request as JSON, e.g. '{\"action\": \"list-actions\"}'.")
    var json: [String] = []

    func run() async throws {
        Foundation.exit(await send())
    }

    func send() async -> Int32 {
        let text = json.joined(separator: " ")
        guard !text.isEmpty else { return ClientFailure.report(2, "no request given; e.g. ccc-client '{\"action\": \"list-actions\"}'") }
        guard let request = try? JSONValue.parse(Array(text.utf8)), case .object = request else {
            return ClientFailure.report(2, "the arguments are not one JSON object: \(text)")
        }
        do {
            let (response, waited, timedOut) = try await connection.withClient { client in
                guard timeout >= 0 else { throw ClientError.usage("--timeout cannot be negative") }
                // One deadline bounds the submission and every wait (connections that stall included).
                // Two seconds beyond it are kept for withdrawing a request nobody decided.
                let asking = noWait ? client : client.bounded(by: .now() + .seconds(Int64(timeout)))
                let submitted = try await asking.submit(request)
                guard submitted.status == 202, !noWait, let id = submitted.json?["id"]?.stringValue else {
                    return (submitted, false, false)
                }
                let withdrawing = client.bounded(by: .now() + .seconds(Int64(timeout) + 2))
                let outcome: ConduitResponse
                do {
                    outcome = try await asking.waitForOutcome(of: id, timeout: timeout)
                } catch {
                    await withdrawing.withdraw(id)
                    throw error
                }
                guard outcome.recordStatus == .pending else { return (outcome, true, outcome.recordStatus == .running) }
                // Nobody decided in time: withdraw it, so that no approval runs it with nobody waiting.
                let withdrawn = await withdrawing.withdraw(id)
                if let withdrawn, withdrawn.status == 200, withdrawn.recordStatus == .canceled {
                    FileHandle.standardError.write(
                        Data("ccc-client: no decision within \(timeout) s; withdrew request \(id) (it will not run)\n".utf8))
                    return (withdrawn, true, true)
                }
                // Decided at the last moment (or the withdrawal got no answer): report what stands.
                let current = try await withdrawing.record(id: id)
                return (current, true, current.recordStatus?.isFinal != true)
            }
            print(String(decoding: response.body, as: UTF8.self))
            if timedOut { return 7 }
            return waited ? Self.exitCode(forWaited: response) : Self.exitCode(for: response)
        } catch {
            return ClientFailure.exit(error)
        }
    }

    /// For a waited-for record: 0 completed, 1 denied or failed, 5 expired, 6 canceled, 7 still pending.
    static func exitCode(forWaited response: ConduitResponse) -> Int32 {
        guard response.status == 200 else { return exitCode(for: response) }
        switch response.recordStatus {
        case .completed: return 0
        case .expired: return 5
        case .canceled: return 6
        case .pending, .running: return 7
        case .failed, .denied, nil: return 1
        }
    }

    /// 0 completed or queued, 1 denied or failed, 2 rejected, 3 authentication.
    static func exitCode(for response: ConduitResponse) -> Int32 {
        switch response.status {
        case 200: response.recordStatus == .completed ? 0 : 1
        case 202: 0
        case 403: 1
        case 401: 3
        case 400, 404, 413: 2
        default: 1
        }
    }

}
