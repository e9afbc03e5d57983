import ConduitCore
import ConduitStore
import Foundation
import Logging
import Synchronization

/// Drives one active run through its attempts, and is the one writer of the run's record while it
/// is active: the runner's output, the broker's decisions on its tool calls, a cancellation and the
/// attempt's timeout all arrive as ``Signal``s in one inbox and are handled in order.
///
/// An attempt: a credential of its own → the runner (prompt on stdin) → every process of the
/// attempt killed when the runner ends → the credential revoked, the attempt's pending requests
/// withdrawn → what changed committed on the run's branch → the checks. A failing check with
/// `on_fail: retry` and attempts left starts the next attempt, which resumes the session and is
/// told which check failed, its exit code and the tail of its output.
final class RunDriver: Sendable {
    enum Signal: Sendable {
        case output(RunnerOutput)
        case toolRequest(BrokerEvent)
        case exited(RunnerProcess.Exit)
        case timedOut
        case cancelled
    }

    let initial: RunRecord
    let policy: RunPolicy
    let projectPath: String
    let supervisor: RunSupervisor
    let brokerURL: String
    private let inbox: AsyncStream<Signal>
    private let continuation: AsyncStream<Signal>.Continuation
    private let cancelledBy = Mutex<String?>(nil)
    private let completion = Completion()

    init(run: RunRecord, policy: RunPolicy, projectPath: String, supervisor: RunSupervisor, brokerURL: String) {
        initial = run
        self.policy = policy
        self.projectPath = projectPath
        self.supervisor = supervisor
        self.brokerURL = brokerURL
        (inbox, continuation) = AsyncStream<Signal>.makeStream()
    }

    var id: String { initial.id }
    var store: ConduitStore { supervisor.broker.store }
    var clock: any BrokerClock { supervisor.clock }
    var logger: Logger { supervisor.logger }

    func deliver(_ signal: Signal) { continuation.yield(signal) }

    /// Ends the run: every process of it is killed now; the driver records `cancelled`.
    func cancel(by user: String) {
        cancelledBy.withLock { if $0 == nil { $0 = user } }
        RunProcesses.killAll(run: id)
        deliver(.cancelled)
    }

    /// Returns once the driver has recorded the run's end.
    func ended() async { await completion.wait() }

    // MARK: Driving

    func drive() async {
        defer {
            continuation.finish()
            completion.complete()
        }
        var run = initial
        do {
            try await attempts(&run)
        } catch {
            logger.error("run \(id) failed to be driven: \(error)")
            RunProcesses.killAll(run: id)
            run.status = .failed
            run.reason = "the broker could not go on with the run: \(error)"
            run.finished = clock.now()
            if var attempt = run.attempts.last, !attempt.status.isFinal {
                attempt.status = .failed
                attempt.reason = run.reason
                attempt.finished = run.finished
                run.attempts[run.attempts.count - 1] = attempt
            }
            try? await finish(run)
        }
    }

    private func attempts(_ run: inout RunRecord) async throws {
        let worktrees = supervisor.worktrees
        let worktree: String
        if run.attempts.isEmpty {
            worktree = try await worktrees.create(run: id, project: projectPath)
        } else {
            worktree = worktrees.path(ofRun: id)
            guard await RunWorktrees.isRepository(worktree) else {
                throw RunWorktrees.Failure(step: "resuming", output: "the run's worktree \(worktree) is gone")
            }
        }
        var prompt = run.followUp ?? run.prompt
        var resume = run.followUp == nil ? nil : run.attempts.last?.session
        run.followUp = nil
        while true {
            let number = run.attempts.count + 1
            let outcome = try await attempt(number, prompt: prompt, resume: resume, worktree: worktree, run: &run)
            guard case .retry(let next, let session) = outcome else { break }
            prompt = next
            resume = session
        }
        try await finish(run)
    }

    private enum AttemptOutcome {
        case done
        case retry(prompt: String, session: String?)
    }

    private func attempt(_ number: Int, prompt: String, resume: String?, worktree: String, run: inout RunRecord) async throws
        -> AttemptOutcome
    {
        let now = clock.now()
        run.status = .running
        run.reason = nil
        run.finished = nil
        if run.started == nil { run.started = now }
        var attempt = RunAttempt(number: number, status: .running, branch: RunRecord.branch(forRun: id), prompt: prompt, started: now)
        run.attempts.append(attempt)
        let credential = supervisor.mint(run: id, attempt: number, submitter: run.submitter)
        try await save(
            run,
            [
                .init(.runStatus, ["status": "running"]),
                .init(.attemptStarted, ["attempt": .integer(Int64(number)), "prompt": .string(prompt), "resumes": resume.map(JSONValue.string) ?? .null]),
            ],
            audit: [supervisor.audit(.attemptStarted, run, outcome: "running", detail: ["attempt": .integer(Int64(number)), "keyid": .string(credential.keyID)])])

        let files: AttemptFiles
        do {
            files = try AttemptFiles.write(
                credential: credential, client: supervisor.client, in: supervisor.attemptFiles + "/\(id)-\(number)")
        } catch {
            supervisor.broker.runCredentials.revoke(credential.keyID)
            throw error
        }
        let runner = policy.runner.runner
        let environment = AttemptFiles.environment(
            broker: supervisor.environment, runner: runner, run: id, credential: credential, secretsFile: files.secrets,
            brokerURL: brokerURL)
        let arguments = runner.arguments(for: RunnerInvocation(
            model: policy.model, maxTurns: policy.maxTurns, maxBudgetUSD: policy.maxBudgetUSD, resume: resume,
            settingsFile: files.settings, mcpConfigFile: files.mcpConfig))
        let program = supervisor.configuration.runnerProgram
        let process = Task { [continuation] in
            let exit = await RunnerProcess.run(
                program: program, arguments: arguments, prompt: prompt, environment: environment, worktree: worktree
            ) { line in
                for output in runner.parse(line: line) { continuation.yield(.output(output)) }
            }
            continuation.yield(.exited(exit))
        }
        let timeout = policy.timeout
        let clock = self.clock
        let timer = Task { [continuation] in
            try? await clock.sleep(for: .seconds(timeout))
            if !Task.isCancelled { continuation.yield(.timedOut) }
        }
        if cancelledBy.withLock({ $0 }) != nil { RunProcesses.killAll(run: id) }

        var tools = ToolCalls()
        var result: RunnerResult?
        var exit = RunnerProcess.Exit(code: nil, stderr: "")
        var timedOut = false
        signals: for await signal in inbox {
            switch signal {
            case .output(let output):
                if case .finished(let ending) = output { result = ending }
                if case .session(let session) = output { attempt.session = session }
                run.attempts[run.attempts.count - 1].session = attempt.session
                if let change = tools.change(for: output, attempt: number) { try await save(run, [change]) }
            case .toolRequest(let event):
                let (changes, waiting) = tools.observe(event, attempt: number)
                if let waiting {
                    let status: RunStatus = waiting ? .waiting : .running
                    if run.status != status, run.status == .running || run.status == .waiting {
                        run.status = status
                        run.attempts[run.attempts.count - 1].status = waiting ? .waiting : .running
                        attempt.status = run.attempts[run.attempts.count - 1].status
                        try await save(run, changes + [.init(.runStatus, ["status": .string(status.rawValue), "request": .string(event.record.id)])])
                        continue
                    }
                }
                if !changes.isEmpty { try await save(run, changes) }
            case .timedOut:
                timedOut = true
                RunProcesses.killAll(run: id)
            case .cancelled:
                RunProcesses.killAll(run: id)
            case .exited(let ended):
                exit = ended
                break signals
            }
        }
        timer.cancel()
        _ = await process.value
        // Nothing the attempt started outlives it (a background job of a Bash command included).
        RunProcesses.killAll(run: id)
        supervisor.broker.runCredentials.revoke(credential.keyID)
        files.remove()
        for request in tools.pending { _ = try? await supervisor.broker.cancel(id: request, by: run.submitter) }

        attempt = run.attempts[run.attempts.count - 1]
        attempt.turns = result?.turns
        attempt.costUSD = result?.costUSD
        if let session = result?.session { attempt.session = session }
        do {
            attempt.diffStat = try await supervisor.worktrees.commitAttempt(number, run: id, project: projectPath) ?? ""
        } catch {
            attempt.diffStat = nil
            logger.error("run \(id): could not commit attempt \(number): \(error)")
        }
        run.result = result?.text ?? run.result

        let verdict: (status: AttemptStatus, reason: String?)
        if let user = cancelledBy.withLock({ $0 }) {
            verdict = (.cancelled, "cancelled by \(user)")
        } else if timedOut {
            verdict = (.failed, "timed out after \(timeout) s")
        } else if let result, !result.isError, exit.code == 0 {
            return try await check(attempt, result: result, worktree: worktree, run: &run)
        } else if let result {
            verdict = (.failed, "the runner ended with \(result.ending): \(Self.cut(result.text, 500))")
        } else {
            let said = exit.stderr.isEmpty ? "" : ": \(Self.cut(exit.stderr, 500))"
            verdict = (.failed, "the runner exited \(exit.code.map { "with status \($0)" } ?? "before it started")\(said)")
        }
        attempt.status = verdict.status
        attempt.reason = verdict.reason
        attempt.finished = clock.now()
        run.attempts[run.attempts.count - 1] = attempt
        run.status = verdict.status == .cancelled ? .cancelled : .failed
        run.reason = verdict.reason
        try await save(run, [attemptFinished(attempt)])
        return .done
    }

    /// Runs the checks after an attempt whose runner finished without error.
    private func check(_ attempt: RunAttempt, result: RunnerResult, worktree: String, run: inout RunRecord) async throws -> AttemptOutcome {
        var attempt = attempt
        if !policy.checks.isEmpty {
            attempt.status = .checking
            run.attempts[run.attempts.count - 1] = attempt
            run.status = .checking
            try await save(run, [.init(.runStatus, ["status": "checking"])])
        }
        var environment: [String: String] = [RunProcesses.markerName: id]
        for (name, value) in supervisor.environment where ["PATH", "HOME", "LANG"].contains(name) { environment[name] = value }
        var failing: (check: RunCheck, result: CheckResult)?
        for check in policy.checks {
            let outcome = await CheckExecution.run(check, in: worktree, run: id, environment: environment)
            attempt.checks.append(outcome)
            run.attempts[run.attempts.count - 1] = attempt
            var data = outcome.json
            if case .object(var members) = data {
                members["attempt"] = .integer(Int64(attempt.number))
                data = .object(members)
            }
            try await save(run, [.init(.checkFinished, data)])
            if cancelledBy.withLock({ $0 }) != nil || !outcome.passed {
                failing = (check, outcome)
                break
            }
        }
        attempt.finished = clock.now()
        if let user = cancelledBy.withLock({ $0 }) {
            attempt.status = .cancelled
            attempt.reason = "cancelled by \(user)"
            run.status = .cancelled
            run.reason = attempt.reason
        } else if let failing {
            let reason = "check \"\(failing.check.name)\" failed (exit code \(failing.result.exitCode))"
            attempt.status = .failed
            attempt.reason = reason
            run.reason = reason
            if failing.check.onFail == .retry, attempt.number < policy.maxAttempts {
                run.attempts[run.attempts.count - 1] = attempt
                try await save(run, [attemptFinished(attempt)])
                return .retry(prompt: Self.retryPrompt(failing.check, failing.result), session: attempt.session)
            }
            run.status = .failed
        } else {
            attempt.status = .succeeded
            run.status = .succeeded
            run.reason = nil
        }
        run.attempts[run.attempts.count - 1] = attempt
        try await save(run, [attemptFinished(attempt)])
        return .done
    }

    /// What the next attempt is told after a failing check.
    static func retryPrompt(_ check: RunCheck, _ result: CheckResult) -> String {
        """
        The check "\(check.name)" (\(check.run.joined(separator: " "))) failed after your changes, with exit code \
        \(result.exitCode). The end of its output:

        \(result.output)

        Fix the problem so that the check passes.
        """
    }

    private func attemptFinished(_ attempt: RunAttempt) -> ConduitStore.RunChange {
        var data: [String: JSONValue] = ["attempt": .integer(Int64(attempt.number)), "status": .string(attempt.status.rawValue)]
        if let reason = attempt.reason { data["reason"] = .string(reason) }
        if let turns = attempt.turns { data["turns"] = .integer(Int64(turns)) }
        if let cost = attempt.costUSD { data["cost_usd"] = .number(cost) }
        if let diff = attempt.diffStat { data["diff_stat"] = .string(diff) }
        return .init(.attemptFinished, .object(data))
    }

    private func finish(_ run: RunRecord) async throws {
        var run = run
        run.finished = clock.now()
        var changes: [ConduitStore.RunChange] = [.init(.runStatus, ["status": .string(run.status.rawValue), "reason": run.reason.map(JSONValue.string) ?? .null])]
        changes.append(.init(.runFinished, ["run": run.json]))
        var entries = [supervisor.audit(.runFinished, run, outcome: run.status.rawValue, detail: ["reason": run.reason.map(JSONValue.string) ?? .null])]
        if run.status == .cancelled {
            entries.insert(supervisor.audit(.runCancelled, run, outcome: "cancelled", actor: cancelledBy.withLock { $0 }, detail: [:]), at: 0)
        }
        try await save(run, changes, audit: entries)
    }

    private func save(_ run: RunRecord, _ changes: [ConduitStore.RunChange], audit: [AuditEntry] = []) async throws {
        try await store.save(run, changes: changes, audit: audit)
    }

    static func cut(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}

/// Waiters for one moment (a driver's end).
final class Completion: Sendable {
    private struct State {
        var done = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func complete() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
