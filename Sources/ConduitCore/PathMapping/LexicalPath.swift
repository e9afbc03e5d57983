/// Path arithmetic on bytes alone, without looking at the file system.
///
/// A path is bytes to the kernel: it splits at the byte `/` (0x2F) and compares byte for byte.
/// Swift's `String` compares and splits by grapheme clusters under canonical equivalence, where a
/// Prepend character (U+0600, U+0D4E, …) swallows the `/` after it, so every split, comparison and
/// prefix test here is on UTF-8 bytes. (0x2F never occurs inside a multi-byte UTF-8 sequence, so the
/// pieces of valid UTF-8 are valid UTF-8.)
enum LexicalPath {
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")

    /// The non-empty components between slashes, `.` and `..` included.
    static func components(_ path: some Collection<UInt8>) -> [[UInt8]] {
        path.split(separator: slash, omittingEmptySubsequences: true).map { Array($0) }
    }

    static func isDot(_ component: [UInt8]) -> Bool { component == [dot] }
    static func isDotDot(_ component: [UInt8]) -> Bool { component == [dot, dot] }

    /// Resolves `.` and `..` and collapses repeated slashes in an absolute path; `..` stops at `/`.
    static func normalize(_ path: [UInt8]) -> [UInt8] {
        var kept: [[UInt8]] = []
        for component in components(path) {
            if isDot(component) { continue }
            if isDotDot(component) {
                _ = kept.popLast()
                continue
            }
            kept.append(component)
        }
        return absolute(kept)
    }

    /// `/a/b/c` from `[a, b, c]`; `/` from none.
    static func absolute(_ components: [[UInt8]]) -> [UInt8] {
        var path: [UInt8] = []
        for component in components {
            path.append(slash)
            path.append(contentsOf: component)
        }
        return path.isEmpty ? [slash] : path
    }

    /// Joins an absolute directory and a relative path.
    static func join(_ directory: [UInt8], _ relative: [UInt8]) -> [UInt8] {
        if relative.isEmpty { return directory }
        if directory == [slash] { return [slash] + relative }
        return directory + [slash] + relative
    }

    /// Whether `path` is `directory` or lies below it (both normalised), byte for byte.
    static func isInside(_ path: [UInt8], directory: [UInt8]) -> Bool {
        relative(of: path, below: directory) != nil
    }

    /// The bytes of `path` below `directory` (both normalised): empty for the directory itself,
    /// nil when `path` is not inside it.
    static func relative(of path: [UInt8], below directory: [UInt8]) -> [UInt8]? {
        if directory == [slash] { return Array(path.dropFirst()) }
        if path == directory { return [] }
        guard path.count > directory.count, path.starts(with: directory), path[directory.count] == slash else {
            return nil
        }
        return Array(path[(directory.count + 1)...])
    }

    // MARK: Text

    /// The bytes of a path given as text.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Text for bytes that are valid UTF-8, else nil (never repaired: a repaired name is another file).
    static func text(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }

    /// `normalize` for text that is known to be valid (configuration, tests).
    static func normalize(_ path: String) -> String {
        String(decoding: normalize(bytes(path)), as: UTF8.self)
    }

    /// `join` for text.
    static func join(_ directory: String, _ relative: String) -> String {
        String(decoding: join(bytes(directory), bytes(relative)), as: UTF8.self)
    }
}
