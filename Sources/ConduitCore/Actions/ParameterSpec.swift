/// One declared parameter of an action.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var type: ParameterType
    public var required: Bool
    public var description: String

    public init(name: String, type: ParameterType, required: Bool, description: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
    }
}
