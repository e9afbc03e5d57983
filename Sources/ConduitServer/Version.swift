/// Conduit's version, reported by `GET /v1/status` and `--version`.
public enum ConduitVersion {
    public static let current = "0.3.0"
}
