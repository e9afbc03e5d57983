/// Conduit's version, reported by `GET /v1/status`, `--version` and the MCP server's handshake.
public enum ConduitVersion {
    public static let current = "0.4.0"
}
