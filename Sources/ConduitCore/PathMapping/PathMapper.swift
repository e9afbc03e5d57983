import Foundation

/// A container path and the host path it maps to.
public struct MappedPath: Sendable, Equatable {
    /// The normalised container path as requested, e.g. `/workspace/public/link/data.txt`.
    public var container: String
    /// The host path the handler receives, symbolic links resolved, e.g. `/home/me/conduit/workspace/hello.txt`.
    public var host: String
    /// The resolved path in its container form, e.g. `/workspace/private/data.txt` when `public/link`
    /// is a link to `../private`. Rules on `path` parameters see both forms.
    public var resolvedContainer: String
    /// The volume's physical host directory that ``host`` lies in (where a descriptor is opened beneath).
    public var hostRoot: String

    public init(container: String, host: String, resolvedContainer: String? = nil, hostRoot: String? = nil) {
        self.container = container
        self.host = host
        self.resolvedContainer = resolvedContainer ?? container
        self.hostRoot = hostRoot ?? host
    }
}

/// Maps container paths to host paths through docker-style volumes, and never out of them.
///
/// 1. The text is checked: no control, format or invisible characters (``PathCharacters``).
/// 2. Relative paths resolve against ``root`` (a container directory): `hello.txt` → `/workspace/hello.txt`.
/// 3. The path is normalised lexically (`.`/`..`), on bytes, and must lie inside a volume's container directory.
/// 4. The matching host path is resolved through symbolic links, on bytes (dangling ones by their
///    target, missing parts by their nearest existing ancestor) and must still lie inside *that*
///    volume's host directory.
/// 5. The kernel is asked too (``BeneathCheck``, `openat2` with `RESOLVE_BENEATH`): it must agree that
///    the path stays beneath the volume and reach the same physical file.
public struct PathMapper: Sendable {
    /// The shared directories; the longest container prefix wins.
    public var volumes: [Volume]
    /// The container directory that relative paths resolve against.
    public var root: String

    public init(volumes: [Volume], root: String = "/workspace") {
        self.volumes = volumes.sorted { $0.container.utf8.count > $1.container.utf8.count }
        self.root = LexicalPath.normalize(root)
    }

    /// Whether the kernel can be asked (`openat2`, Linux ≥ 5.6). Without it, mapping relies on the
    /// byte-level prediction alone and parameters with `open:` cannot be opened (their actions fail).
    public static var kernelCheckAvailable: Bool { BeneathCheck.isAvailable }

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
        if let scalar = PathCharacters.forbidden(in: path) { throw PathCharacters.error(for: scalar) }
        let requested = LexicalPath.bytes(path)
        let absolute = requested.first == LexicalPath.slash ? requested : LexicalPath.join(LexicalPath.bytes(root), requested)
        let container = LexicalPath.normalize(absolute)
        let containerText = String(decoding: container, as: UTF8.self)
        for volume in volumes {
            guard let relative = volume.relativePath(of: container) else { continue }
            let volumeHost = LexicalPath.bytes(volume.host)
            let hostRoot = try SymlinkResolver.resolve(volumeHost)
            let predicted = try SymlinkResolver.resolve(LexicalPath.join(volumeHost, relative))
            guard let inside = LexicalPath.relative(of: predicted, below: hostRoot) else {
                throw .escapesVolume(path: containerText, resolved: String(decoding: predicted, as: UTF8.self))
            }
            var host = predicted
            switch BeneathCheck.verdict(for: relative, beneath: volumeHost) {
            case .resolved(let physical):
                guard physical == predicted else { throw .changedWhileChecking(containerText) }
                host = physical
            case .escapes:
                throw .escapesVolume(path: containerText, resolved: String(decoding: predicted, as: UTF8.self))
            case .loop:
                throw .symlinkLoop(containerText)
            case .missing, .unavailable:
                break
            }
            guard let hostText = LexicalPath.text(host) else { throw .invalidEncoding(containerText) }
            let resolvedContainer = LexicalPath.join(LexicalPath.bytes(volume.container), inside)
            guard let resolvedText = LexicalPath.text(resolvedContainer) else { throw .invalidEncoding(containerText) }
            if let scalar = PathCharacters.forbidden(in: resolvedText) { throw PathCharacters.error(for: scalar) }
            return MappedPath(
                container: containerText, host: hostText, resolvedContainer: resolvedText,
                hostRoot: String(decoding: hostRoot, as: UTF8.self))
        }
        throw .outsideVolumes(containerText)
    }
}

extension PathMapper {
    /// Opens a mapped path for its program, the kernel refusing any step out of its volume
    /// (`openat2` with `RESOLVE_BENEATH`), so a link swapped in since the check is not followed out.
    /// Only a regular file is opened (a FIFO, socket or device is refused without blocking).
    /// - Returns: a descriptor the caller owns (close-on-exec).
    public static func open(_ path: MappedPath, for access: FileAccess) throws(FileOpenError) -> Int32 {
        let root = LexicalPath.bytes(path.hostRoot)
        guard let relative = LexicalPath.relative(of: LexicalPath.bytes(path.host), below: root) else {
            throw FileOpenError(path: path.container, reason: "it is not inside its volume")
        }
        let flags: Int32 = switch access {
        case .read: O_RDONLY | O_NOCTTY | O_NONBLOCK
        case .write: O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK
        }
        let descriptor: Int32
        switch BeneathCheck.openFile(relative, beneath: root, flags: flags) {
        case .success(let opened): descriptor = opened
        case .failure(let error) where error.code == EXDEV:
            throw FileOpenError(path: path.container, reason: "it now leads outside its volume")
        case .failure(let error) where error.code == ELOOP:
            throw FileOpenError(path: path.container, reason: "too many symbolic links")
        case .failure(let error):
            throw FileOpenError(path: path.container, reason: String(cString: strerror(error.code)))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw FileOpenError(path: path.container, reason: "it is not a regular file")
        }
        if access == .write { _ = ftruncate(descriptor, 0) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }
}

/// A path the broker could not open for its program.
public struct FileOpenError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot open \(path): \(reason)" }
}
