/// The kinds of line in the audit log (``AuditEntry/event`` holds the raw value: the hashed text of
/// a stored entry must read back exactly, whatever a later version calls its events).
public enum AuditEvent: String, Sendable, CaseIterable {
    /// A request was stored, pending a person.
    case requestQueued = "request.queued"
    /// A request was refused before it was read: authentication, replay, budget.
    case requestRefused = "request.refused"
    /// The refusals of one 10-second window past the refusal budget, counted in one line.
    case requestRefusedSummary = "request.refused.summary"
    /// A request was authenticated but invalid (unknown action, bad parameter, path outside).
    case requestRejected = "request.rejected"
    /// A person decided, or a remembered approval (grant) did.
    case decision
    /// A policy or rule decided.
    case requestDecided = "request.decided"
    /// A handler started.
    case executionStarted = "execution.started"
    /// A handler ended.
    case executionFinished = "execution.finished"
    /// Nobody decided in time.
    case expired
    /// The submitter withdrew its request.
    case canceled
    /// A supervised run was asked for (its outcome: `queued`, `pending` a person, or `denied`).
    case runSubmitted = "run.submitted"
    /// A person decided a run's start, or nobody did in time.
    case runDecided = "run.decided"
    /// An attempt of a run started (its runner with a fresh credential).
    case attemptStarted = "run.attempt.started"
    /// A run was cancelled.
    case runCancelled = "run.cancelled"
    /// A run ended (succeeded, failed — `interrupted` included — or cancelled).
    case runFinished = "run.finished"

    /// The events that are decisions about a request (what the queue manager's history shows).
    public static let decisions: Set<AuditEvent> = [.decision, .requestDecided, .expired, .canceled]
}
