import ConduitCore
import Logging
import Synchronization

/// The secrets and action catalog in force. Reloading (SIGHUP) swaps both at once, or neither.
public final class BrokerState: Sendable {
    /// One consistent view of what is loaded.
    public struct Snapshot: Sendable {
        public var secrets: Secrets
        public var catalog: ActionCatalog
    }

    private let current: Mutex<Snapshot>
    private let changes = Atomic<UInt64>(0)
    private let secretsPath: String
    private let actionsDirectory: String

    /// Loads secrets and actions; throws the first problem (the server then refuses to start).
    public init(secretsPath: String, actionsDirectory: String) throws {
        self.secretsPath = secretsPath
        self.actionsDirectory = actionsDirectory
        current = Mutex(try Self.load(secretsPath: secretsPath, actionsDirectory: actionsDirectory))
    }

    /// A fixed state, for tests.
    public init(secrets: Secrets, catalog: ActionCatalog) {
        secretsPath = ""
        actionsDirectory = ""
        current = Mutex(Snapshot(secrets: secrets, catalog: catalog))
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

    /// Reads both files again; keeps the old ones if either new one is invalid.
    public func reload(logger: Logger) {
        do {
            let fresh = try Self.load(secretsPath: secretsPath, actionsDirectory: actionsDirectory)
            current.withLock { $0 = fresh }
            changes.add(1, ordering: .releasing)
            logger.info(
                "reloaded secrets and actions",
                metadata: ["users": "\(fresh.secrets.users.count)", "actions": "\(fresh.catalog.actions.count)"])
        } catch {
            logger.error("reload refused, keeping the previous secrets and actions: \(error)")
        }
    }

    private static func load(secretsPath: String, actionsDirectory: String) throws -> Snapshot {
        let secrets = try SecretsFile.load(from: secretsPath)
        let catalog = try ActionCatalog.load(from: actionsDirectory)
        return Snapshot(secrets: secrets, catalog: catalog)
    }
}
