/// Why a `path` parameter was refused. The server answers 400 naming the parameter.
public enum PathError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong
    case controlCharacter
    case outsideVolumes(String)
    case escapesVolume(path: String, resolved: String)
    case symlinkLoop(String)

    /// The error code in the JSON body.
    public var code: String {
        switch self {
        case .empty, .tooLong, .controlCharacter, .symlinkLoop: "invalid_path"
        case .outsideVolumes, .escapesVolume: "path_outside_volumes"
        }
    }

    public var description: String {
        switch self {
        case .empty: "the path is empty"
        case .tooLong: "the path is longer than 4096 bytes"
        case .controlCharacter: "the path contains a NUL, newline or other control character"
        case .outsideVolumes(let path): "\(path) is not inside any shared volume"
        case .escapesVolume(let path, _): "\(path) leads outside its volume through a symbolic link"
        case .symlinkLoop(let path): "\(path) has too many levels of symbolic links"
        }
    }
}
