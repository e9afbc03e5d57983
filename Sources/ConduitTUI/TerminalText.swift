/// Text as a terminal shows it: display width (wide characters take two columns, combining marks
/// none), truncation and wrapping by columns, and control characters made visible.
///
/// Everything the TUI draws goes through ``sanitized(_:)`` first: a parameter holding an escape
/// sequence or a right-to-left override must not repaint or reorder the approver's screen.
public enum TerminalText {
    /// `text` with control characters shown in caret notation (`^[`), and bidirectional controls
    /// and other invisible format characters shown as `<U+202E>`.
    public static func sanitized(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F: result += "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
            case 0x7F: result += "^?"
            case 0x80...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB:
                result += "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Columns `character` takes: 0 for combining marks, 2 for wide (East Asian, emoji), else 1.
    public static func width(of character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            width = max(width, self.width(of: scalar))
        }
        if character.unicodeScalars.count > 1, character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) {
            width = 2  // emoji presentation
        }
        return width
    }

    /// Columns `text` takes.
    public static func width(of text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200D || (0xFE00...0xFE0F).contains(value) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD,
            0x30000...0x3FFFD:
            return 2
        default: return 1
        }
    }

    /// The longest prefix of `text` that fits in `columns`; with `ellipsis`, a cut ends in `…`.
    public static func truncated(_ text: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        guard width(of: text) > columns else { return text }
        let budget = ellipsis ? columns - 1 : columns
        var result = ""
        var used = 0
        for character in text {
            let w = width(of: character)
            if used + w > budget { break }
            result.append(character)
            used += w
        }
        return ellipsis ? result + "…" : result
    }

    /// `text` truncated or padded with spaces to exactly `columns`.
    public static func fitted(_ text: String, to columns: Int) -> String {
        let cut = truncated(text, to: columns)
        let missing = columns - width(of: cut)
        return missing > 0 ? cut + String(repeating: " ", count: missing) : cut
    }

    /// `text` broken into lines of at most `columns`, at spaces where possible, else mid-word.
    public static func wrapped(_ text: String, to columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var used = 0
        var lastSpace: String.Index?
        for character in text {
            let w = width(of: character)
            if used + w > columns {
                if let space = lastSpace, character != " " {
                    let rest = String(line[line.index(after: space)...])
                    lines.append(String(line[..<space]))
                    line = rest
                    used = width(of: rest)
                } else {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                lastSpace = nil
                if character == " " && line.isEmpty { continue }
            }
            if character == " " { lastSpace = line.endIndex }
            line.append(character)
            used += w
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
