import ArgumentParser
import ConduitClient
import ConduitCommandLine
import ConduitCore
import Foundation
import Synchronization

/// `ccc-client run`: asks the broker to run a coding agent on a project (`POST /v1/runs`), follows
/// each run's events (one line per event on stderr) until it ends, and prints the final record(s).
///
/// Exit codes: 0 succeeded (every run), 1 failed, 2 usage or refused request (unknown policy or
/// project), 3 authentication, 4 server unreachable, 5 expired (nobody decided its start),
/// 6 cancelled, 7 `--timeout` reached (the runs go on), 8 denied. With fan-out, the code of the
/// first run (in order) that did not succeed.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a coding agent on a project under the broker's supervision.",
        discussion: """
            The words of PROMPT are joined with spaces. Progress goes to stderr, one line per event;
            the final run record goes to stdout (with --fanout, {"group", "runs"}).
            Exit codes: 0 succeeded, 1 failed, 2 usage or refused, 3 authentication, 4 unreachable,
            5 expired, 6 cancelled, 7 --timeout reached (the runs go on), 8 denied.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The run policy (a file runs/NAME.yaml of the broker).")
    var policy: String

    @Option(help: "The project (named on the broker with --project NAME=PATH).")
    var project: String

    @Option(help: "How many runs of the same request to start (each in its own worktree).")
    var fanout = 1

    @Flag(help: "Print the runs as started and exit 0; do not follow them.")
    var noWait = false

    @Option(help: "Seconds to follow the runs; then exit 7 (they go on).")
    var timeout = 24 * 3600

    @Argument(help: "What the agent is asked to do.")
    var prompt: [String] = []

    func run() async throws {
        Foundation.exit(await start())
    }

    func start() async -> Int32 {
        let text = prompt.joined(separator: " ")
        guard !text.isEmpty else { return ClientFailure.report(2, "no prompt given; e.g. ccc-client run --policy fix-bug --project demo Fix the failing test") }
        guard fanout >= 1, timeout >= 0 else { return ClientFailure.report(2, "--fanout must be at least 1 and --timeout not negative") }
        let body: JSONValue = [
            "policy": .string(policy), "project": .string(project), "prompt": .string(text), "fanout": .integer(Int64(fanout)),
        ]
        do {
            return try await connection.withClient { client in
                let answer = try await client.send(method: "POST", target: "/v1/runs", body: Array(body.serialized()))
                guard answer.status == 202 || answer.status == 403, let runs = answer.json?["runs"]?.arrayValue else {
                    print(String(decoding: answer.body, as: UTF8.self))
                    return answer.status == 400 || answer.status == 404 ? 2 : 1
                }
                let ids = runs.compactMap { $0["id"]?.stringValue }
                if answer.status == 403 || noWait {
                    print(String(decoding: answer.body, as: UTF8.self))
                    return answer.status == 403 ? 8 : 0
                }
                let deadline = ContinuousClock.now + .seconds(timeout)
                let finals = try await withThrowingTaskGroup(of: (Int, RunRecord?).self) { group in
                    for (index, id) in ids.enumerated() {
                        group.addTask { (index, try await Self.follow(id, client: client, until: deadline)) }
                    }
                    var finals = [RunRecord?](repeating: nil, count: ids.count)
                    for try await (index, record) in group { finals[index] = record }
                    return finals
                }
                var records: [JSONValue] = []
                for (index, id) in ids.enumerated() {
                    if let record = finals[index] {
                        records.append(record.json)
                    } else if let current = try await client.send(method: "GET", target: "/v1/runs/\(id)").json {
                        records.append(current)
                    }
                }
                let output: JSONValue = ids.count == 1 ? (records.first ?? .null) : ["group": answer.json?["group"] ?? .null, "runs": .array(records)]
                print(output.compactText)
                guard !finals.contains(where: { $0 == nil }) else { return 7 }
                return finals.compactMap { $0 }.map { Self.exitCode(for: $0.status) }.first { $0 != 0 } ?? 0
            }
        } catch {
            return ClientFailure.exit(error)
        }
    }

    /// Follows run `id`'s events until `run.finished` (the final record) or the deadline (nil).
    /// A broken stream is opened again after the last event seen, a few times.
    static func follow(_ id: String, client: ConduitHTTPClient, until deadline: ContinuousClock.Instant) async throws -> RunRecord? {
        let seen = LastEventID()
        var breaks = 0
        while ContinuousClock.now < deadline {
            do {
                let stream = try await client.events(target: "/v1/runs/\(id)/events", lastEventID: seen.value)
                let ended: RunRecord? = try await withThrowingTaskGroup(of: RunRecord?.self) { group in
                    group.addTask {
                        for try await message in stream {
                            guard let data = try? JSONValue.parse(Array(message.data.utf8)), let event = RunEvent(json: data) else { continue }
                            seen.value = String(event.id)
                            FileHandle.standardError.write(Data((RunProgress.line(for: event) + "\n").utf8))
                            if event.kind == .runFinished, let run = event.data["run"].flatMap(RunRecord.init(json:)) { return run }
                        }
                        return nil
                    }
                    group.addTask {
                        try? await Task.sleep(until: deadline)
                        return nil
                    }
                    let first = try await group.next() ?? nil
                    group.cancelAll()
                    return first
                }
                if let ended { return ended }
                if ContinuousClock.now >= deadline { return nil }
            } catch ClientError.unreachable(let why) {
                breaks += 1
                guard breaks <= 30 else { throw ClientError.unreachable(why) }
                try await Task.sleep(for: .seconds(1))
            }
            // The stream ended without run.finished (the broker stopped): read the run as it stands.
            if let record = try await client.send(method: "GET", target: "/v1/runs/\(id)").json.flatMap(RunRecord.init(json:)),
                record.status.isFinal
            {
                return record
            }
        }
        return nil
    }

    /// 0 succeeded, 1 failed, 5 expired, 6 cancelled, 8 denied.
    static func exitCode(for status: RunStatus) -> Int32 {
        switch status {
        case .succeeded: 0
        case .expired: 5
        case .cancelled: 6
        case .denied: 8
        case .failed, .pending, .queued, .running, .waiting, .checking: 1
        }
    }
}

/// The last event id a run's stream delivered, read when it is opened again.
private final class LastEventID: Sendable {
    private let id = Mutex<String?>(nil)
    var value: String? {
        get { id.withLock { $0 } }
        set { id.withLock { $0 = newValue } }
    }
}
