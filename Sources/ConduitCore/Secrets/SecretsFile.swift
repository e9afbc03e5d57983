import Foundation

/// Reads and writes the secrets file.
///
/// Reading refuses a file that group or others can access (as ssh does for private keys) and
/// anything ``Secrets/validate(path:)`` rejects. Writing is atomic: a temporary file with mode 0600
/// in the same directory, then `rename(2)`, so a reader never sees half a file.
public enum SecretsFile {
    /// Loads and validates the secrets file at `path`.
    public static func load(from path: String) throws(SecretsError) -> Secrets {
        try checkPermissions(of: path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .cannotRead(path: path, reason: "\(describe(error))")
        }
        let secrets = try decode(data, path: path)
        try secrets.validate(path: path)
        return secrets
    }

    /// Decodes the JSON form `{"user": {"secret": "…", "canApprove": […]}, …}`.
    public static func decode(_ data: Data, path: String) throws(SecretsError) -> Secrets {
        let users: [String: UserSecret]
        do {
            users = try JSONDecoder().decode([String: UserSecret].self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .malformed(path: path, reason: "missing \"\(key.stringValue)\" in \(pathDescription(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .malformed(path: path, reason: "wrong type at \(pathDescription(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .malformed(path: path, reason: "null at \(pathDescription(context.codingPath))")
        } catch {
            throw .malformed(path: path, reason: "not valid JSON (expected {\"user\": {\"secret\": \"…\", \"canApprove\": []}})")
        }
        return Secrets(users: users)
    }

    /// Encodes the file's JSON, pretty-printed with sorted keys.
    public static func encode(_ secrets: Secrets) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding a dictionary of plain strings cannot fail.
        var data = (try? encoder.encode(secrets.users)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }

    /// Writes `secrets` to `path` atomically with mode 0600.
    /// - Parameter overwrite: when false, an existing file is an error.
    public static func write(_ secrets: Secrets, to path: String, overwrite: Bool) throws(SecretsError) {
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw .fileExists(path: path)
        }
        try AtomicFile.write(encode(secrets), to: path, mode: 0o600)
    }

    /// Refuses files that group or others may read, write or execute.
    public static func checkPermissions(of path: String) throws(SecretsError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt16(info.st_mode & 0o777)
        if mode & 0o077 != 0 {
            throw .tooOpen(path: path, mode: mode)
        }
    }

    private static func pathDescription(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map(\.stringValue).joined(separator: ".")
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return error.localizedDescription
    }
}

/// Writes a file through a temporary sibling and `rename(2)`.
enum AtomicFile {
    static func write(_ data: Data, to path: String, mode: mode_t) throws(SecretsError) {
        let directory = (path as NSString).deletingLastPathComponent
        let template = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).XXXXXX"
        var buffer = Array(template.utf8CString)
        let fd = mkstemp(&buffer)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = fchmod(fd, mode) == 0
        ok = ok && data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
    }
}
