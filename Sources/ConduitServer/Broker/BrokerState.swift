import ConduitCore
import Logging
import Synchronization

/// The secrets and action catalog in force. Reloading (SIGHUP) swaps both at once, or neither.
public final class BrokerState: Sendable {
    /// One consistent view of what is loaded.
    public struct Snapshot: Sendable {
        public var secrets: Secrets
        public var catalog: ActionCatalog
        /// The run policies (`--runs`).
        public var runs: RunPolicyCatalog = RunPolicyCatalog()
    }

    private let current: Mutex<Snapshot>
    private let changes = Atomic<UInt64>(0)
    private let secretsPath: String
    private let actionsDirectory: String
    private let runsDirectory: String?
    private let runsRequired: Bool

    /// Loads secrets, actions and run policies; throws the first problem (the server then refuses
    /// to start). `runsRequired`: the runs directory was named explicitly, so it must exist.
    public init(secretsPath: String, actionsDirectory: String, runsDirectory: String? = nil, runsRequired: Bool = false) throws {
        self.secretsPath = secretsPath
        self.actionsDirectory = actionsDirectory
        self.runsDirectory = runsDirectory
        self.runsRequired = runsRequired
        current = Mutex(
            try Self.load(secretsPath: secretsPath, actionsDirectory: actionsDirectory, runsDirectory: runsDirectory, runsRequired: runsRequired))
    }

    /// A fixed state, for tests.
    public init(secrets: Secrets, catalog: ActionCatalog, runs: RunPolicyCatalog = RunPolicyCatalog()) {
        secretsPath = ""
        actionsDirectory = ""
        runsDirectory = nil
        runsRequired = false
        current = Mutex(Snapshot(secrets: secrets, catalog: catalog, runs: runs))
    }

    /// What is loaded now.
    public var snapshot: Snapshot { current.withLock { $0 } }

    /// Counts the changes to what is loaded (without taking the lock), so a cache of something
    /// derived from ``snapshot`` can tell it is stale.
    public var generation: UInt64 { changes.load(ordering: .acquiring) }

    /// Puts `secrets` in force (what a reload of an edited secrets file does), keeping the catalog.
    public func replace(secrets: Secrets) {
        current.withLock { $0.secrets = secrets }
        changes.add(1, ordering: .releasing)
    }

    /// Reads the secrets, actions and run policies again; keeps the old ones if any new one is invalid.
    public func reload(logger: Logger) {
        do {
            let fresh = try Self.load(
                secretsPath: secretsPath, actionsDirectory: actionsDirectory, runsDirectory: runsDirectory, runsRequired: runsRequired)
            current.withLock { $0 = fresh }
            changes.add(1, ordering: .releasing)
            logger.info(
                "reloaded secrets and actions",
                metadata: [
                    "users": "\(fresh.secrets.users.count)", "actions": "\(fresh.catalog.actions.count)",
                    "run-policies": "\(fresh.runs.policies.count)",
                ])
        } catch {
            logger.error("reload refused, keeping the previous secrets and actions: \(error)")
        }
    }

    private static func load(secretsPath: String, actionsDirectory: String, runsDirectory: String?, runsRequired: Bool) throws
        -> Snapshot
    {
        let secrets = try SecretsFile.load(from: secretsPath)
        let catalog = try ActionCatalog.load(from: actionsDirectory)
        let runs = try runsDirectory.map { try RunPolicyCatalog.load(from: $0, required: runsRequired) } ?? RunPolicyCatalog()
        return Snapshot(secrets: secrets, catalog: catalog, runs: runs)
    }
}
