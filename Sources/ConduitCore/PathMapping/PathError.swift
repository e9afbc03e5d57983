/// Why a `path` parameter was refused. The server answers 400 naming the parameter.
public enum PathError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong
    case controlCharacter
    /// A format, invisible or replacement character (its code point), e.g. U+0600 or U+00AD.
    case invisibleCharacter(UInt32)
    /// A symbolic link on the way names a file with bytes that are not UTF-8.
    case invalidEncoding(String)
    case outsideVolumes(String)
    case escapesVolume(path: String, resolved: String)
    case symlinkLoop(String)
    /// The file system changed between two looks at the path (a link swapped in): nothing was decided.
    case changedWhileChecking(String)

    /// The error code in the JSON body.
    public var code: String {
        switch self {
        case .empty, .tooLong, .controlCharacter, .invisibleCharacter, .invalidEncoding, .symlinkLoop,
            .changedWhileChecking:
            "invalid_path"
        case .outsideVolumes, .escapesVolume: "path_outside_volumes"
        }
    }

    public var description: String {
        switch self {
        case .empty: "the path is empty"
        case .tooLong: "the path is longer than 4096 bytes"
        case .controlCharacter: "the path contains a NUL, newline or other control character"
        case .invisibleCharacter(let value):
            "the path contains U+\(String(value, radix: 16, uppercase: true).leftPadded(to: 4)), a format or invisible character that has no place in a file name"
        case .invalidEncoding(let path): "\(path) leads through a symbolic link to a name that is not valid UTF-8"
        case .outsideVolumes(let path): "\(path) is not inside any shared volume"
        case .escapesVolume(let path, _): "\(path) leads outside its volume through a symbolic link"
        case .symlinkLoop(let path): "\(path) has too many levels of symbolic links"
        case .changedWhileChecking(let path): "\(path) changed while it was being checked; send the request again"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
