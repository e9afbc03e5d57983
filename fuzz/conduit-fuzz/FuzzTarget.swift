import ConduitCore
import Foundation

/// One fuzz input, dispatched on its first byte to the parser that faces the network:
///
/// - `0`: signature fields — the rest is `Signature-Input`, `Signature` and `Content-Digest`
///   separated by newlines, plus a body after a NUL, authenticated against a fixed key. It must
///   never verify (the fuzzer does not know the key) and never crash.
/// - `1`: a request body — parsed as an action request and validated against a `path` action and
///   an `object` action over a volume with planted links.
/// - `2`: a path parameter — if the mapper accepts it, the kernel's own resolution of the host path
///   must lie inside the same volume (else the process traps, which the fuzzer reports as a crash).
enum FuzzTarget {
    static let fixture = Fixture()

    static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let rest = Array(data.dropFirst())
        switch selector % 3 {
        case 0: signature(rest)
        case 1: body(rest)
        default: path(rest)
        }
    }

    static func signature(_ bytes: [UInt8]) {
        let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let headers = String(decoding: parts.first ?? [], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var fields: [String: [String]] = [:]
        for (name, value) in zip(["signature-input", "signature", "content-digest"], headers) { fields[name] = [String(value)] }
        let message = HTTPMessageComponents.request(
            method: "POST", target: "/v1/actions?x=1", authority: "127.0.0.1:3015", fields: fields)
        let authenticator = RequestAuthenticator(startedAt: 0)
        let body = parts.count > 1 ? Array(parts[1]) : []
        if (try? authenticator.authenticate(message, body: body, secrets: fixture.secrets, now: 1_700_000_000)) != nil {
            fatalError("a signature made without the key verified")
        }
    }

    static func body(_ bytes: [UInt8]) {
        guard let request = try? ActionRequest(body: bytes), let action = fixture.catalog[request.action] else { return }
        if let values = try? fixture.validator.validate(request, against: action) {
            for case .path(let mapped) in values.values { fixture.checkInside(mapped) }
            _ = PolicyEvaluator.decide(action, parameters: values)
        }
    }

    static func path(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let mapped = try? fixture.validator.pathMapper.map(text) { fixture.checkInside(mapped) }
    }
}

/// A temporary host directory with two volumes, an outside directory and links into all of them.
final class Fixture: Sendable {
    let root: String
    let validator: ParameterValidator
    let catalog: ActionCatalog
    let secrets: Secrets

    init() {
        var template = Array((NSTemporaryDirectory() + "/conduit-fuzz.XXXXXX").utf8CString)
        root = URL(fileURLWithPath: String(cString: mkdtemp(&template)!)).resolvingSymlinksInPath().path
        for directory in ["workspace/sub", "workspace/d\u{0D4E}", "claude-home", "outside"] {
            try? FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        for (name, target) in [
            ("workspace/A\u{0D4E}", "/"), ("workspace/up", ".."), ("workspace/out", root + "/outside"),
            ("workspace/home", "../claude-home"), ("workspace/sub/alias", "../d\u{0D4E}"), ("workspace/loop", "loop"),
            ("claude-home/ws", "../workspace"), ("workspace/d\u{0D4E}/x", "../../outside/secret"),
        ] {
            _ = symlink(target, root + "/" + name)
        }
        validator = ParameterValidator(
            pathMapper: PathMapper(volumes: PathMapper.defaultVolumes(hostDirectory: root), root: "/workspace"))
        catalog = ActionCatalog([
            ActionDefinition(
                name: "edit-file", description: "d", params: [ParameterSpec(name: "filename", type: .path, required: true)],
                policy: .autoDeny,
                rules: [PolicyRule(policy: .autoAccept, conditions: [.init(parameter: "filename", pattern: .glob("/workspace/*"))])]),
            ActionDefinition(
                name: "tool-use", description: "d",
                params: [ParameterSpec(name: "tool", type: .string, required: true), ParameterSpec(name: "input", type: .object, required: true)],
                policy: .queue,
                rules: [
                    PolicyRule(policy: .autoAccept, conditions: [.init(parameter: "input", fieldPath: ["name"], pattern: .glob("safe-*"))])
                ]),
        ])
        secrets = Secrets(users: ["agent": UserSecret(secret: String(repeating: "k", count: 43))])
    }

    var volumes: [String] { [root + "/workspace", root + "/claude-home"] }

    /// Traps unless the kernel resolves `mapped.host` (or its nearest existing ancestor) inside a volume.
    func checkInside(_ mapped: MappedPath) {
        // Bytes, as the kernel splits them: a String would join "/" and a following combining
        // mark (U+064E) into one Character and walk up past the volume (the fuzzer found that).
        var existing = Array(mapped.host.utf8)
        func exists(_ path: [UInt8]) -> Bool {
            guard let resolved = realpath(String(decoding: path, as: UTF8.self), nil) else { return false }
            free(resolved)
            return true
        }
        while !exists(existing), let slash = existing.lastIndex(of: UInt8(ascii: "/")), existing != [UInt8(ascii: "/")] {
            existing = Array(existing[..<slash])
            if existing.isEmpty { existing = [UInt8(ascii: "/")] }
        }
        guard let resolved = realpath(String(decoding: existing, as: UTF8.self), nil) else { return }
        defer { free(resolved) }
        let physical = Array(String(cString: resolved).utf8)
        let inside = volumes.contains { volume in
            let directory = Array(volume.utf8)
            return physical == directory || physical.starts(with: directory + [UInt8(ascii: "/")])
        }
        if !inside { fatalError("\(mapped.container) was accepted but resolves to \(String(cString: resolved))") }
    }
}
