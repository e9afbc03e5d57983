import ConduitCore

/// The one place `ccc-server`'s defaults are written. ``ServerSettings``' keys, the memberwise
/// ``ServerConfiguration`` initialiser, the broker's and runner's initialisers and the flags' help
/// text all read them from here.
public enum ServerDefaults {
    /// Address to bind: loopback.
    public static let host = "127.0.0.1"
    /// Port to bind.
    public static let port = 3015
    /// Container directory relative paths resolve against.
    public static let root = "/workspace"
    /// Directory of action files, relative to the working directory.
    public static let actions = "actions"
    /// Oldest acceptable signature, seconds.
    public static let maxAge = 30
    /// Furthest acceptable clock skew into the future, seconds.
    public static let maxSkew = 5
    /// Largest accepted request body, bytes.
    public static let bodyLimit = 64 * 1024
    /// Cap on a handler's captured stdout and stderr, each, bytes.
    public static let outputLimit = 64 * 1024
    /// Seconds a queued request waits for a person when its action sets no `expires`.
    public static let defaultExpires = 900
    /// Seconds between `/v1/events` heartbeat comments.
    public static let heartbeat = 15
    /// Events a `/v1/events` subscriber may fall behind before `overflow`.
    public static let eventBuffer = 10_000
    /// Log level.
    public static let logLevel = "info"
    /// Directory of run policy files, relative to the working directory.
    public static let runs = "runs"
    /// Runs whose runner or checks may be active at once.
    public static let maxActiveRuns = 2
    /// The Claude Code executable (a name looked up on `PATH`).
    public static let claude = "claude"

    /// The shared directories when none is given: `./data/workspace` → `/workspace` and
    /// `./data/claude-home` → `/home/claude`, below `workingDirectory`.
    public static func volumes(workingDirectory: String) -> [Volume] {
        PathMapper.defaultVolumes(hostDirectory: workingDirectory + "/data")
    }
}
