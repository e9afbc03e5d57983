/// Conduit's version, reported by `GET /v1/status`, `--version` and the MCP server's handshake. The
/// OpenAPI document (`docs/openapi.yaml`, `info.version`) states the same one; a test holds them equal.
public enum ConduitVersion {
    public static let current = "0.6.0"
}
