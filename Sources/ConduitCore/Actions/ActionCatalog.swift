import Foundation

/// Every action the broker offers: the files of one directory plus the built-in `list-actions`.
public struct ActionCatalog: Sendable {
    /// Actions by name.
    public private(set) var actions: [String: ActionDefinition]

    /// A catalog of the given definitions plus the built-in `list-actions` and `run`.
    public init(_ definitions: [ActionDefinition]) {
        var actions: [String: ActionDefinition] = [
            ActionDefinition.listActions.name: .listActions, ActionDefinition.runStart.name: .runStart,
        ]
        for definition in definitions { actions[definition.name] = definition }
        self.actions = actions
    }

    /// The action called `name`.
    public subscript(name: String) -> ActionDefinition? { actions[name] }

    /// Action names, sorted.
    public var names: [String] { actions.keys.sorted() }

    /// Loads every `*.yaml` / `*.yml` file of `directory`; one invalid file fails the whole load.
    public static func load(
        from directory: String, parser: ActionFileParser = ActionFileParser()
    ) throws(ActionCatalogError) -> ActionCatalog {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ActionCatalogError(file: directory, field: "", reason: "cannot read the actions directory")
        }
        var definitions: [ActionDefinition] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(entry)
            guard ["yaml", "yml"].contains(url.pathExtension) else { continue }
            let file = url.path
            let name = url.deletingPathExtension().lastPathComponent
            if ActionDefinition.builtinNames.contains(name) {
                throw ActionCatalogError(file: file, field: "", reason: "\"\(name)\" is built in; rename the file")
            }
            if definitions.contains(where: { $0.name == name }) {
                throw ActionCatalogError(file: file, field: "", reason: "action \"\(name)\" is defined twice")
            }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ActionCatalogError(file: file, field: "", reason: "cannot read the file as UTF-8")
            }
            definitions.append(try parser.parse(text, name: name, file: file))
        }
        return ActionCatalog(definitions)
    }
}
