/// Path arithmetic on text alone, without looking at the file system.
enum LexicalPath {
    /// Resolves `.` and `..` and collapses repeated slashes in an absolute path; `..` stops at `/`.
    static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// Joins an absolute directory and a relative path.
    static func join(_ directory: String, _ relative: String) -> String {
        relative.isEmpty ? directory : (directory == "/" ? "/" + relative : directory + "/" + relative)
    }

    /// Whether `path` is `directory` or lies below it (both normalised).
    static func isInside(_ path: String, directory: String) -> Bool {
        directory == "/" || path == directory || path.hasPrefix(directory + "/")
    }

    /// NUL, C0 and C1 control characters, DEL, and Unicode line/paragraph separators.
    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
                || scalar.value == 0x2029
        }
    }
}
