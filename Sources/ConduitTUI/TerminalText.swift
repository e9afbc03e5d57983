import CNcursesw

/// Text as a terminal shows it: display width (wide characters take two columns, combining marks
/// none), truncation and wrapping by columns, and control characters made visible.
///
/// Everything the TUI draws goes through ``sanitized(_:)`` first: a parameter holding an escape
/// sequence or a right-to-left override must not repaint or reorder the approver's screen.
public enum TerminalText {
    /// `text` with everything a screen could draw as something else made visible: C0 controls in
    /// caret notation (`^[`, `^?` for DEL), and as `\u{…}` every other control, format character
    /// (soft hyphen, bidi controls, U+0600, zero-width joiners, tag characters), separator other
    /// than the space (U+2028, U+00A0, U+3000), default-ignorable code point (Hangul fillers,
    /// variation selectors), private-use or unassigned code point, the blank U+2800, and whatever
    /// `wcwidth(3)` calls unprintable. What is left draws as itself, and takes the columns
    /// ``width(of:)-(String)`` says.
    public static func sanitized(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F: result += "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
            case 0x7F: result += "^?"
            default:
                if isHidden(scalar) {
                    result += escaped(scalar)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// `\u{AD}`: how a hidden scalar is shown.
    public static func escaped(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// Whether `scalar` could draw as nothing, as a space, or as something it is not.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return false }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse, .unassigned,
            .surrogate:
            return true
        default: break
        }
        if properties.isDefaultIgnorableCodePoint || properties.isNoncharacterCodePoint || scalar.value == 0x2800 {
            return true
        }
        return conduit_wcwidth(scalar.value) < 0
    }

    /// Columns `character` takes: the sum of its scalars' `wcwidth(3)` — how ncurses places it
    /// (combining marks 0, wide characters 2). Counting more than the terminal draws only leaves a
    /// blank; counting less would let text run past its column, so nothing here guesses.
    public static func width(of character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns `text` takes.
    public static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// `wcwidth(3)` of `scalar` under a UTF-8 locale; an unprintable one (which ``sanitized(_:)``
    /// never lets through) counts as its escape would.
    static func width(of scalar: Unicode.Scalar) -> Int {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value != 0x7F ? 1 : 2 }
        let width = Int(conduit_wcwidth(scalar.value))
        return width >= 0 ? width : escaped(scalar).utf8.count
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
