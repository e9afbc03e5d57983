/// Bounds the text an unauthenticated request can put into the audit log.
public enum AuditField {
    /// The most UTF-8 bytes kept of one field (a path, a claimed keyid, a reason) of a refusal.
    public static let limit = 256

    /// `text` if it fits in ``limit`` bytes; else its first bytes (whole characters) and a marker
    /// saying it was cut and how long it was, e.g. `/aaaa…[cut: 60000 bytes in all]`.
    public static func cut(_ text: String, limit: Int = AuditField.limit) -> String {
        let count = text.utf8.count
        guard count > limit else { return text }
        var kept = ""
        var used = 0
        for scalar in text.unicodeScalars {
            let size = String(scalar).utf8.count
            guard used + size <= limit else { break }
            kept.unicodeScalars.append(scalar)
            used += size
        }
        return kept + "…[cut: \(count) bytes in all]"
    }
}
