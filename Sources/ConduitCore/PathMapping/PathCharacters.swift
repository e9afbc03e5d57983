/// Which characters may appear in a path parameter (and a volume).
///
/// A path is shown to the person who approves it and matched by rules, so it may hold nothing
/// that a screen draws as nothing, draws as something else, or that a terminal or a log obeys:
/// control characters (C0, DEL, C1), format characters (Cf: soft hyphen, bidi controls, U+0600…,
/// zero-width joiners, tag characters), line and paragraph separators, default-ignorable code
/// points (Hangul fillers, variation selectors, U+034F), noncharacters, and U+FFFD — what invalid
/// UTF-8 becomes when a decoder repairs it.
enum PathCharacters {
    /// The first character a path may not hold, or nil.
    static func forbidden(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isForbidden)
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value == 0xFFFD { return true }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: return true
        default: break
        }
        return properties.isDefaultIgnorableCodePoint || properties.isNoncharacterCodePoint
    }

    /// Whether `scalar` is one of the control characters (as opposed to an invisible one).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// The error for a forbidden character.
    static func error(for scalar: Unicode.Scalar) -> PathError {
        isControl(scalar) ? .controlCharacter : .invisibleCharacter(scalar.value)
    }
}
