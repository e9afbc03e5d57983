import ConduitCore
import ConduitServer
import ConduitTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Yams

/// docs/openapi.yaml describes exactly the routes the server registers, and is what it serves.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `METHOD /path` for every operation in the document.
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            let methods = try #require(item as? [String: Any]).keys.filter {
                ["get", "post", "put", "patch", "delete"].contains($0)
            }
            for method in methods { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    @Test func everyRegisteredRouteIsDocumentedAndViceVersa() throws {
        let fixture = try BrokerFixture()
        defer { fixture.remove() }
        let router = buildRouter(configuration: fixture.configuration, broker: try fixture.makeBroker())
        let registered = Set(router.routes.map { route in
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method.rawValue) /" + path.joined(separator: "/")
        })
        #expect(registered == (try Self.documentedOperations()))
    }

    @Test func theDocumentsVersionIsTheServers() throws {
        let document = try #require(try Yams.load(yaml: String(decoding: OpenAPIDocument.bytes, as: UTF8.self)) as? [String: Any])
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["version"] as? String == ConduitVersion.current)
    }

    @Test func theServerServesTheDocument() async throws {
        let file = try Data(contentsOf: Self.repository.appendingPathComponent("docs/openapi.yaml"))
        #expect(!OpenAPIDocument.bytes.isEmpty)
        try await BrokerFixture.withRouter { c in
            let response = try await c.agent.client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(Array(buffer: response.body) == Array(file))
        }
    }
}
