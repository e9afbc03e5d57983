import ConduitCore
import ConduitStore
import Foundation
import Logging
import Synchronization

/// Starts and supervises runs of coding agents: takes `POST /v1/runs`, holds a start for a person
/// when the run policy says `queue`, starts at most ``RunConfiguration/maxActiveRuns`` at once (the
/// rest wait, `queued`, in order), and hands each active run to a ``RunDriver``, the one writer of
/// its record while it is active. Every start, decision, cancel and finish is audited.
public actor RunSupervisor {
    let broker: ActionBroker
    let configuration: RunConfiguration
    /// The broker's environment, which runners get a scrubbed part of.
    let environment: [String: String]
    let logger: Logger
    /// Where worktrees go.
    let worktrees: RunWorktrees
    /// Where attempts' credential and settings files go (one directory per run, mode 0700).
    let attemptFiles: String
    /// The `ccc-client` the runners' hook and MCP server are.
    let client: String

    private var brokerURL: String?
    private var queued: [String] = []
    private var drivers: [String: RunDriver] = [:]
    /// The ids of ``drivers``, readable without the actor (a stop kills their processes at once).
    private let active = Mutex<Set<String>>([])
    /// Follows the broker's events about runs' starts and runs' tool calls, from the start.
    private let follower = Follower()

    public init(
        broker: ActionBroker, configuration: RunConfiguration, dataDirectory: String, logger: Logger = Logger(label: "conduit.runs")
    ) {
        self.broker = broker
        self.configuration = configuration
        self.environment = configuration.environment
        self.logger = logger
        worktrees = RunWorktrees(directory: configuration.worktrees ?? dataDirectory + "/worktrees")
        attemptFiles = dataDirectory + "/attempts"
        client = configuration.clientProgram ?? ProgramLocation.besideExecutable("ccc-client")
        startObserving()
    }

    /// The URL the runners' hook and MCP server reach the broker at: its own address, or loopback
    /// when it listens on every interface.
    public static func loopbackURL(host: String, port: Int) -> String {
        switch host {
        case "0.0.0.0", "": "http://127.0.0.1:\(port)"
        case "::": "http://[::1]:\(port)"
        default: host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        }
    }

    nonisolated var clock: any BrokerClock { broker.clock }

    // MARK: Life

    /// Call once before serving: ends runs a stop left active (`failed`, `interrupted`, their
    /// processes killed), queues again those that were `queued`, settles starts decided meanwhile,
    /// and begins following the broker's decisions.
    public func recover() async throws {
        let now = clock.now()
        for var run in try await broker.store.runs(in: [.running, .waiting, .checking]) {
            // Only this broker's runs: another broker's on the same machine are not ours to end.
            let killed = RunProcesses.killAll(run: run.id)
            if killed > 0 { logger.warning("killed \(killed) process(es) left by run \(run.id)") }
            if var attempt = run.attempts.last, !attempt.status.isFinal {
                attempt.status = .failed
                attempt.reason = "interrupted"
                attempt.finished = now
                run.attempts[run.attempts.count - 1] = attempt
            }
            run.status = .failed
            run.reason = "interrupted"
            run.finished = now
            try await broker.store.save(
                run, changes: [.init(.runStatus, ["status": "failed", "reason": "interrupted"]), .init(.runFinished, ["run": run.json])],
                audit: [audit(.runFinished, run, outcome: "failed", detail: ["reason": "interrupted"])])
            logger.warning("run \(run.id) was active when the broker stopped: failed (interrupted)")
        }
        queued = try await broker.store.runs(in: [.queued]).map(\.id)
        for run in try await broker.store.runs(in: [.pending]) {
            if let request = run.request, let record = try await broker.store.record(id: request), record.status.isFinal {
                try await settleStart(of: record)
            }
        }
    }

    /// The broker listens at `url` (what the runners' hook and MCP server talk to): queued runs may start.
    public func serve(at url: String) async {
        brokerURL = url
        await schedule()
    }

    /// Cancels every active run (the broker is stopping); they end `failed`, `interrupted`, at the next start otherwise.
    public nonisolated func stop() {
        follower.stop()
        for id in active.withLock({ $0 }) { RunProcesses.killAll(run: id) }
    }

    /// Events are handed over in the order they were published, one at a time.
    private nonisolated func startObserving() {
        let (stream, continuation) = AsyncStream<BrokerEvent>.makeStream()
        let subscription = broker.store.events.subscribe { published in
            let record = published.event.record
            if record.run != nil || record.action == ActionDefinition.runStart.name { continuation.yield(published.event) }
        }
        let task = Task { [weak self] in
            for await event in stream { await self?.observe(event) }
        }
        follower.started(subscription, task)
    }

    private func observe(_ event: BrokerEvent) async {
        let record = event.record
        if let run = record.run {
            drivers[run]?.deliver(.toolRequest(event))
        } else if record.action == ActionDefinition.runStart.name, record.status != .pending {
            do {
                try await settleStart(of: record)
            } catch {
                logger.error("could not settle the start of the runs of request \(record.id): \(error)")
            }
        }
    }

    // MARK: Asking

    /// What `POST /v1/runs` made.
    public struct Submission: Sendable {
        public var group: String
        public var runs: [RunRecord]
        /// The run policy is `auto-deny` (403).
        public var denied: Bool
    }

    /// Validates and records `fanout` runs of `policy` on `project`, for `submitter`.
    public func submit(policy name: String, project: String, prompt: String, fanout: Int, from submitter: String) async throws
        -> Submission
    {
        guard let policy = broker.state.snapshot.runs[name] else { throw RunError.unknownPolicy(name) }
        guard configuration.projects[project] != nil else { throw RunError.unknownProject(project) }
        guard (1...RunLimits.mostFanout).contains(fanout) else {
            throw RunError.invalid("\"fanout\" must be a whole number from 1 to \(RunLimits.mostFanout)")
        }
        let now = clock.now()
        let group = UUID().uuidString.lowercased()
        var runs = (0..<fanout).map { _ in
            RunRecord(
                id: UUID().uuidString.lowercased(), group: group, policy: name, project: project, prompt: prompt,
                submitter: submitter, status: .queued, created: now)
        }
        switch policy.policy {
        case .autoDeny:
            for index in runs.indices {
                runs[index].status = .denied
                runs[index].reason = "denied by run policy \(name) (auto-deny)"
                runs[index].finished = now
            }
        case .autoAccept:
            break
        case .queue:
            let request = try await broker.requestRunStart(
                policy: policy, project: project, prompt: prompt, fanout: fanout, from: submitter)
            for index in runs.indices {
                runs[index].status = .pending
                runs[index].request = request.id
            }
        }
        for run in runs {
            var changes: [ConduitStore.RunChange] = [.init(.runStatus, ["status": .string(run.status.rawValue)])]
            if run.status == .denied { changes.append(.init(.runFinished, ["run": run.json])) }
            let detail: JSONValue = [
                "policy": .string(name), "project": .string(project), "fanout": .integer(Int64(fanout)),
                "run_policy": .string(policy.policy.rawValue),
            ]
            try await broker.store.save(
                run, changes: changes, audit: [audit(.runSubmitted, run, outcome: run.status.rawValue, detail: detail)])
        }
        if policy.policy == .autoAccept {
            queued += runs.map(\.id)
            await schedule()
        }
        // Read back: a run that started at once is answered as it stands now.
        var answered: [RunRecord] = []
        for run in runs { answered.append(try await broker.store.run(id: run.id) ?? run) }
        return Submission(group: group, runs: answered, denied: policy.policy == .autoDeny)
    }

    /// A start held for a person was decided (or expired, or withdrawn): its runs queue or end.
    private func settleStart(of request: ActionRecord) async throws {
        let now = clock.now()
        for var run in try await broker.store.runs(awaitingRequest: request.id) where run.status == .pending {
            let outcome: RunStatus
            switch request.status {
            case .completed, .running: outcome = .queued
            case .expired: outcome = .expired
            case .canceled: outcome = .cancelled
            case .denied, .failed: outcome = .denied
            case .pending: continue
            }
            run.status = outcome
            if outcome != .queued {
                run.reason = request.reason ?? outcome.rawValue
                run.finished = now
            }
            var changes: [ConduitStore.RunChange] = [.init(.runStatus, ["status": .string(outcome.rawValue), "reason": run.reason.map(JSONValue.string) ?? .null])]
            if outcome.isFinal { changes.append(.init(.runFinished, ["run": run.json])) }
            var detail: [String: JSONValue] = ["request": .string(request.id)]
            if let reason = run.reason { detail["reason"] = .string(reason) }
            try await broker.store.save(
                run, changes: changes,
                audit: [audit(.runDecided, run, outcome: outcome.rawValue, actor: request.decision?.by, detail: .object(detail))])
            if outcome == .queued { queued.append(run.id) }
        }
        await schedule()
    }

    // MARK: Running

    /// Starts queued runs while slots are free and the broker listens.
    private func schedule() async {
        guard let url = brokerURL else { return }
        while drivers.count < configuration.maxActiveRuns, !queued.isEmpty {
            let id = queued.removeFirst()
            guard let run = try? await broker.store.run(id: id), run.status == .queued else { continue }
            guard let project = configuration.projects[run.project] else {
                await end(run, as: .failed, reason: "the project \(run.project) is no longer configured")
                continue
            }
            guard let policy = broker.state.snapshot.runs[run.policy] else {
                await end(run, as: .failed, reason: "the run policy \(run.policy) is no longer loaded")
                continue
            }
            let driver = RunDriver(
                run: run, policy: policy, projectPath: project, supervisor: self, brokerURL: url)
            drivers[id] = driver
            active.withLock { _ = $0.insert(id) }
            Task { [weak self] in
                await driver.drive()
                await self?.finished(id)
            }
        }
    }

    private func finished(_ id: String) async {
        drivers[id] = nil
        active.withLock { _ = $0.remove(id) }
        await schedule()
    }

    /// Ends a run that never became active.
    private func end(_ run: RunRecord, as status: RunStatus, reason: String) async {
        var run = run
        run.status = status
        run.reason = reason
        run.finished = clock.now()
        do {
            try await broker.store.save(
                run, changes: [.init(.runStatus, ["status": .string(status.rawValue), "reason": .string(reason)]), .init(.runFinished, ["run": run.json])],
                audit: [audit(.runFinished, run, outcome: status.rawValue, detail: ["reason": .string(reason)])])
        } catch {
            logger.error("could not store the end of run \(run.id): \(error)")
        }
    }

    // MARK: Reading and steering

    /// The run `id` as `user` may see it (theirs, or one whose submitter they may approve for).
    public func run(id: String, for user: String) async throws -> RunRecord? {
        guard let run = try await broker.store.run(id: id), broker.state.snapshot.secrets.maySee(run.submitter, user: user) else {
            return nil
        }
        return run
    }

    /// Cancels run `id` for `user`: a pending start is withdrawn, a queued run leaves the queue, an
    /// active one has every process killed and its pending tool requests withdrawn.
    public func cancel(id: String, by user: String) async throws -> RunRecord {
        guard var run = try await run(id: id, for: user) else { throw RunError.notFound }
        guard !run.status.isFinal else { throw RunError.conflict("the run is already \(run.status.rawValue)") }
        if let driver = drivers[id] {
            driver.cancel(by: user)
            await driver.ended()
            return try await broker.store.run(id: id) ?? run
        }
        let reason = "cancelled by \(user)"
        if run.status == .pending, let request = run.request {
            let others = try await broker.store.runs(awaitingRequest: request).filter { $0.id != id && $0.status == .pending }
            if others.isEmpty { _ = try? await broker.cancel(id: request, by: run.submitter) }
        }
        queued.removeAll { $0 == id }
        run.status = .cancelled
        run.reason = reason
        run.finished = clock.now()
        try await broker.store.save(
            run, changes: [.init(.runStatus, ["status": "cancelled", "reason": .string(reason)]), .init(.runFinished, ["run": run.json])],
            audit: [audit(.runCancelled, run, outcome: "cancelled", actor: user, detail: [:])])
        return run
    }

    /// A follow-up prompt for a finished run: a new attempt that resumes the runner's session in
    /// the same worktree (queued like a new run).
    public func message(id: String, prompt: String, by user: String) async throws -> RunRecord {
        guard var run = try await run(id: id, for: user) else { throw RunError.notFound }
        guard [.succeeded, .failed, .cancelled].contains(run.status), !run.attempts.isEmpty else {
            throw RunError.conflict("only a run that has finished an attempt takes a message; this one is \(run.status.rawValue)")
        }
        guard !drivers.keys.contains(id) else { throw RunError.conflict("the run is still active") }
        run.status = .queued
        run.followUp = prompt
        run.reason = nil
        run.finished = nil
        try await broker.store.save(
            run, changes: [.init(.runStatus, ["status": "queued", "follow_up": true])],
            audit: [audit(.runSubmitted, run, outcome: "queued", actor: user, detail: ["follow_up": true])])
        queued.append(id)
        await schedule()
        return try await broker.store.run(id: id) ?? run
    }

    // MARK: For drivers

    nonisolated func mint(run: String, attempt: Int, submitter: String) -> RunCredentials.Credential {
        broker.runCredentials.mint(run: run, attempt: attempt, submitter: submitter)
    }

    /// An audit entry about `run`.
    nonisolated func audit(_ event: AuditEvent, _ run: RunRecord, outcome: String, actor: String? = nil, detail: JSONValue) -> AuditEntry {
        var members: [String: JSONValue] = ["run": .string(run.id), "group": .string(run.group), "policy": .string(run.policy), "project": .string(run.project)]
        if case .object(let extra) = detail { members.merge(extra) { _, new in new } }
        return AuditEntry(
            timeMilliseconds: Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)), event: event.rawValue,
            user: run.submitter, actor: actor, action: "run", requestID: run.id, outcome: outcome, detail: .object(members))
    }
}

/// The subscription to the broker's events and the task that hands them to the supervisor.
private final class Follower: Sendable {
    private let state = Mutex<(EventHub.Subscription, Task<Void, Never>)?>(nil)

    func started(_ subscription: EventHub.Subscription, _ task: Task<Void, Never>) {
        state.withLock { $0 = (subscription, task) }
    }

    func stop() {
        let current = state.withLock { state in defer { state = nil }; return state }
        current?.0.cancel()
        current?.1.cancel()
    }

    deinit { stop() }
}

/// Bounds on what a run request may ask.
public enum RunLimits {
    /// The most runs one request may start.
    public static let mostFanout = 16
    /// The longest prompt, in bytes.
    public static let longestPrompt = 100_000
}
