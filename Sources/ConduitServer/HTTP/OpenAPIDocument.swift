import Foundation

/// `docs/openapi.yaml` (the file lives in this target's resources; `docs/` links to it), served at
/// `GET /openapi.yaml`.
public enum OpenAPIDocument {
    /// The document's bytes (empty if the resource bundle is missing, which a test guards against).
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return [] }
        return Array(data)
    }()
}
