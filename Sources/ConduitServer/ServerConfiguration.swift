import ConduitCore

/// Everything `ccc-server` needs to run, as a plain value: commands build it from flags and the
/// environment; this library never reads either.
public struct ServerConfiguration: Sendable {
    /// The secrets file.
    public var secretsPath: String
    /// The SQLite database file (created if missing); `:memory:` keeps nothing across restarts.
    public var databasePath: String
    /// The directory of action files.
    public var actionsDirectory: String
    /// Address to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free one (the bound port is reported through `onServerRunning`).
    public var port: Int
    /// Container directory that relative `path` parameters resolve against.
    public var root: String
    /// Shared directories.
    public var volumes: [Volume]
    /// Oldest acceptable signature, in seconds.
    public var maxAge: Int64
    /// Furthest acceptable clock skew into the future, in seconds.
    public var maxSkew: Int64
    /// Largest accepted request body, in bytes.
    public var bodyLimit: Int
    /// Cap on the captured stdout and stderr of a handler, each, in bytes.
    public var outputLimit: Int
    /// Seconds a queued request waits for a person when its action sets no `expires`.
    public var defaultExpiry: Int
    /// Interval of the comment lines that keep `/v1/events` streams alive.
    public var heartbeat: Duration
    /// Events a `/v1/events` subscriber may fall behind before it gets `overflow` and is disconnected.
    public var eventBuffer = ServerDefaults.eventBuffer
    /// Run when a request is queued, with its id, action and submitter appended (no shell).
    public var notify: [String]?
    /// Whether the audit log is written. Only the benchmark turns it off, to measure its cost.
    public var auditing = true
    /// Supervised runs: run policies, projects, slots, the runner.
    public var runs = RunConfiguration()

    public init(
        secretsPath: String, databasePath: String = ":memory:", actionsDirectory: String = ServerDefaults.actions,
        host: String = ServerDefaults.host, port: Int = ServerDefaults.port, root: String = ServerDefaults.root, volumes: [Volume],
        maxAge: Int64 = Int64(ServerDefaults.maxAge), maxSkew: Int64 = Int64(ServerDefaults.maxSkew),
        bodyLimit: Int = ServerDefaults.bodyLimit, outputLimit: Int = ServerDefaults.outputLimit,
        defaultExpiry: Int = ServerDefaults.defaultExpires, heartbeat: Duration = .seconds(ServerDefaults.heartbeat)
    ) {
        self.secretsPath = secretsPath
        self.databasePath = databasePath
        self.defaultExpiry = defaultExpiry
        self.heartbeat = heartbeat
        self.actionsDirectory = actionsDirectory
        self.host = host
        self.port = port
        self.root = root
        self.volumes = volumes
        self.maxAge = maxAge
        self.maxSkew = maxSkew
        self.bodyLimit = bodyLimit
        self.outputLimit = outputLimit
    }
}
