import ConduitCore
import Foundation

/// One value of a request as the approver reads it: `input.command`, `url`, `tool`.
///
/// The fields that decide what happens come first — the tool, then the command, the file it
/// touches, the URL, the directory it runs in — and long ones (a Write's `content`, a WebFetch's
/// `prompt`) last, so a 4 KB write cannot push the file name off the screen.
public struct RequestField: Sendable, Equatable {
    /// The parameter, or `parameter.member` for a member of an object parameter.
    public var name: String
    /// The value as text: strings as themselves, anything else as compact JSON.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The last part of ``name`` (`command` for `input.command`).
    public var key: String { name.split(separator: ".").last.map(String.init) ?? name }

    /// Keys that say what will happen, most decisive first.
    static let decisiveKeys = [
        "tool", "command", "file_path", "filename", "path", "notebook_path", "url", "cwd", "pattern", "query",
        "old_string", "new_string", "description", "session",
    ]

    /// Where this field goes: decisive keys in their order, then the rest, shortest first.
    var rank: Int { Self.decisiveKeys.firstIndex(of: key) ?? Self.decisiveKeys.count }

    /// Whether this field is one the approver must read whole (wrapped, never cut to one line).
    public var isDecisive: Bool { rank < Self.decisiveKeys.firstIndex(of: "old_string")! }

    /// The fields of a record's `params`, members of object parameters one level deep, in the order
    /// an approver should read them.
    public static func fields(of params: JSONValue?) -> [RequestField] {
        guard case .object(let members)? = params else { return [] }
        var fields: [RequestField] = []
        for (name, value) in members {
            if case .object(let inner) = value, !inner.isEmpty {
                for (member, memberValue) in inner { fields.append(RequestField(name: name + "." + member, value: memberValue.plainText)) }
            } else {
                fields.append(RequestField(name: name, value: value.plainText))
            }
        }
        return fields.sorted { lhs, rhs in
            if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
            if lhs.value.utf8.count != rhs.value.utf8.count { return lhs.value.utf8.count < rhs.value.utf8.count }
            return lhs.name < rhs.name
        }
    }

    /// The value as it may be drawn: sanitized, and a URL whose host is not ASCII flagged with the
    /// host's `xn--` form (what the browser will really visit).
    public var displayValue: String {
        let shown = TerminalText.sanitized(value)
        guard let host = Self.host(ofURL: value), let ascii = Punycode.asciiHost(host) else { return shown }
        return shown + "  ⚠ non-ASCII host, really " + TerminalText.sanitized(ascii)
    }

    /// The host of an `http(s)` URL, by hand: userinfo, port, path, query and fragment dropped.
    static func host(ofURL text: String) -> String? {
        let lower = text.lowercased()
        guard let range = lower.range(of: "://"), ["http", "https"].contains(String(lower[..<range.lowerBound])) else {
            return nil
        }
        var authority = Substring(text[range.upperBound...])
        if let end = authority.firstIndex(where: { "/?#".contains($0) }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") { return String(authority) }
        if let colon = authority.lastIndex(of: ":") { authority = authority[..<colon] }
        return authority.isEmpty ? nil : String(authority)
    }
}
