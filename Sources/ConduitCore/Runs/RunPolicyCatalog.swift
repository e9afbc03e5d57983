import Foundation

/// Every run policy the broker offers: the `*.yaml` files of one directory (`--runs`).
public struct RunPolicyCatalog: Sendable, Equatable {
    /// Policies by name.
    public private(set) var policies: [String: RunPolicy]

    public init(_ policies: [RunPolicy] = []) {
        self.policies = Dictionary(policies.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The policy called `name`.
    public subscript(name: String) -> RunPolicy? { policies[name] }

    /// Policy names, sorted.
    public var names: [String] { policies.keys.sorted() }

    /// Loads every `*.yaml` / `*.yml` file of `directory`; one invalid file fails the whole load.
    /// - Parameter required: when false, a directory that does not exist is an empty catalog (the
    ///   default `./runs` of a broker that runs no agents); when true it is an error.
    public static func load(
        from directory: String, required: Bool = true, parser: RunPolicyParser = RunPolicyParser()
    ) throws(RunPolicyError) -> RunPolicyCatalog {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if required { throw RunPolicyError(file: directory, field: "", reason: "the run policies directory does not exist") }
            return RunPolicyCatalog()
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RunPolicyError(file: directory, field: "", reason: "cannot read the run policies directory")
        }
        var policies: [RunPolicy] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(entry)
            guard ["yaml", "yml"].contains(url.pathExtension) else { continue }
            let name = url.deletingPathExtension().lastPathComponent
            if policies.contains(where: { $0.name == name }) {
                throw RunPolicyError(file: url.path, field: "", reason: "run policy \"\(name)\" is defined twice")
            }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw RunPolicyError(file: url.path, field: "", reason: "cannot read the file as UTF-8")
            }
            policies.append(try parser.parse(text, name: name, file: url.path))
        }
        return RunPolicyCatalog(policies)
    }
}
