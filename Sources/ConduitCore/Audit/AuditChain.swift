import Crypto

/// The audit log's tamper evidence: each entry's hash covers its content and the previous entry's
/// hash, so editing, removing or reordering any entry breaks every hash after it.
///
/// `hash = hex(SHA-256(previous ‖ "\n" ‖ content))`, where `content` is the entry (everything but
/// its id and hashes) as compact JSON with sorted keys (``JSONValue/serialized()``), and the first
/// entry's `previous` is ``genesis``.
public enum AuditChain {
    /// The `previous` of the first entry: 64 zeros.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an entry with `content` following an entry whose hash is `previous`.
    public static func hash(previous: String, content: JSONValue) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(previous.utf8))
        hasher.update(data: [0x0A])
        hasher.update(data: content.serialized())
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in hasher.finalize() {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
