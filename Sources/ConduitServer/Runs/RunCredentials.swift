import ConduitCore
import Synchronization

/// The credentials minted for attempts of supervised runs: one keyid per attempt
/// (`run-<run id>-<attempt>`), a fresh random secret, valid only while the attempt runs.
///
/// A request signed with one acts as the run's submitter (so the same people decide its tool calls)
/// but only within ``RunScope``: it may submit `tool-use` and the catalog's actions, and read or
/// withdraw its own requests; anything else is refused (403). Once the attempt ends the keyid is
/// unknown (401). Kept in memory only: a broker that stops ends every attempt with it.
public final class RunCredentials: Sendable {
    /// One attempt's credential.
    public struct Credential: Sendable, Equatable {
        public var keyID: String
        public var secret: String
        public var scope: RunScope
        /// The run's submitter, whom the attempt's requests are made as.
        public var submitter: String

        public var key: [UInt8] { Array(secret.utf8) }
    }

    private let credentials = Mutex<[String: Credential]>([:])

    public init() {}

    /// The keyid of attempt `attempt` of run `run`.
    public static func keyID(run: String, attempt: Int) -> String { "run-\(run)-\(attempt)" }

    /// A new credential for the attempt, in force until ``revoke(_:)``.
    public func mint(run: String, attempt: Int, submitter: String) -> Credential {
        let credential = Credential(
            keyID: Self.keyID(run: run, attempt: attempt), secret: SecretGenerator.newSecret(),
            scope: RunScope(run: run, attempt: attempt), submitter: submitter)
        credentials.withLock { $0[credential.keyID] = credential }
        return credential
    }

    /// Ends the credential `keyID` (later requests signed with it are refused: unknown key).
    public func revoke(_ keyID: String) {
        _ = credentials.withLock { $0.removeValue(forKey: keyID) }
    }

    /// The credential in force for `keyID`.
    public subscript(keyID: String) -> Credential? { credentials.withLock { $0[keyID] } }

    /// How many are in force (tests).
    public var count: Int { credentials.withLock { $0.count } }
}

/// What a request signed with an attempt's credential may do: act for one run.
public struct RunScope: Sendable, Equatable {
    public var run: String
    public var attempt: Int

    /// The only routes such a request may reach: submitting an action (which the actions
    /// controller limits to `tool-use` and the catalog's own), and reading or withdrawing one of
    /// its requests (which it limits to the run's). Everything else is 403.
    public static func allows(method: String, path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        switch (method, parts.count) {
        case ("POST", 3): return parts[1] == "v1" && parts[2] == "actions"
        case ("GET", 4), ("DELETE", 4): return parts[1] == "v1" && parts[2] == "actions" && !parts[3].isEmpty
        default: return false
        }
    }
}
