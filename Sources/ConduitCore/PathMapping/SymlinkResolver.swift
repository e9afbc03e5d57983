import Foundation

/// Resolves symbolic links the way the kernel would follow them, even where the target is missing.
///
/// Unlike `realpath(3)`, a path that does not exist is not an error: the existing part is resolved
/// (its nearest existing ancestor) and the rest is appended. A dangling link is judged by its target,
/// so a link to `/etc/cron.d/x` resolves to `/etc/cron.d/x` whether or not `x` exists.
enum SymlinkResolver {
    /// The most links followed while resolving one path, as Linux's `MAXSYMLINKS`.
    static let maximumLinks = 40

    /// The physical path of `path` (absolute); throws ``PathError/symlinkLoop(_:)`` on a loop.
    static func resolve(_ path: String) throws(PathError) -> String {
        var pending = path.split(separator: "/").map(String.init).reversed() as [String]
        var resolved: [String] = []
        var linksFollowed = 0
        var missing = false
        while let component = pending.popLast() {
            switch component {
            case "", ".":
                continue
            case "..":
                _ = resolved.popLast()
                continue
            default:
                break
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            if missing {
                resolved.append(component)
                continue
            }
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                // Nothing exists here; what follows cannot exist either and is taken as written.
                missing = true
                resolved.append(component)
                continue
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            linksFollowed += 1
            guard linksFollowed <= maximumLinks else { throw .symlinkLoop(path) }
            guard let target = readLink(candidate) else {
                resolved.append(component)
                continue
            }
            if target.hasPrefix("/") { resolved.removeAll() }
            pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
        }
        return "/" + resolved.joined(separator: "/")
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        buffer[length] = 0
        return String(cString: buffer)
    }
}
