/// A container path and the host path it maps to.
public struct MappedPath: Sendable, Equatable {
    /// The normalised container path, e.g. `/workspace/hello.txt`.
    public var container: String
    /// The host path the handler receives, symbolic links resolved, e.g. `/home/me/conduit/workspace/hello.txt`.
    public var host: String

    public init(container: String, host: String) {
        self.container = container
        self.host = host
    }
}

/// Maps container paths to host paths through docker-style volumes, and never out of them.
///
/// 1. Relative paths resolve against ``root`` (a container directory): `hello.txt` → `/workspace/hello.txt`.
/// 2. The path is normalised lexically (`.`/`..`) and must lie inside a volume's container directory.
/// 3. The matching host path is resolved through symbolic links (dangling ones by their target, missing
///    parts by their nearest existing ancestor) and must still lie inside *that* volume's host directory.
public struct PathMapper: Sendable {
    /// The shared directories; the longest container prefix wins.
    public var volumes: [Volume]
    /// The container directory that relative paths resolve against.
    public var root: String

    public init(volumes: [Volume], root: String = "/workspace") {
        self.volumes = volumes.sorted { $0.container.count > $1.container.count }
        self.root = LexicalPath.normalize(root)
    }

    /// The volumes a newcomer gets: `/workspace` and `/home/claude` under one host directory.
    public static func defaultVolumes(hostDirectory: String) -> [Volume] {
        [
            Volume(host: LexicalPath.join(hostDirectory, "workspace"), container: "/workspace"),
            Volume(host: LexicalPath.join(hostDirectory, "claude-home"), container: "/home/claude"),
        ]
    }

    /// Maps one `path` parameter value.
    public func map(_ path: String) throws(PathError) -> MappedPath {
        guard !path.isEmpty else { throw .empty }
        guard path.utf8.count <= 4096 else { throw .tooLong }
        guard !LexicalPath.hasControlCharacter(path) else { throw .controlCharacter }
        let absolute = path.hasPrefix("/") ? path : LexicalPath.join(root, path)
        let container = LexicalPath.normalize(absolute)
        for volume in volumes {
            guard let relative = volume.relativePath(of: container) else { continue }
            let hostRoot = try SymlinkResolver.resolve(volume.host)
            let host = try SymlinkResolver.resolve(LexicalPath.join(volume.host, relative))
            guard LexicalPath.isInside(host, directory: hostRoot) else {
                throw .escapesVolume(path: container, resolved: host)
            }
            return MappedPath(container: container, host: host)
        }
        throw .outsideVolumes(container)
    }
}
