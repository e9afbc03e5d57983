/// One terminal row: spans of text with a style, exactly as wide as the screen.
public struct ScreenRow: Sendable, Equatable {
    /// How a span is drawn.
    public enum Style: Sendable, Equatable {
        case normal
        case bold
        case reverse
        case dim
    }

    /// A run of text in one style.
    public struct Span: Sendable, Equatable {
        public var text: String
        public var style: Style
    }

    public var spans: [Span]

    public init(_ spans: [Span]) {
        self.spans = spans
    }

    /// The row's text without styles.
    public var text: String { spans.map(\.text).joined() }
}

extension ScreenRow.Span {
    static func normal(_ text: String) -> Self { .init(text: text, style: .normal) }
    static func bold(_ text: String) -> Self { .init(text: text, style: .bold) }
    static func reverse(_ text: String) -> Self { .init(text: text, style: .reverse) }
    static func dim(_ text: String) -> Self { .init(text: text, style: .dim) }
}
