import Foundation

/// Times people type: ISO 8601 (`2026-11-21T12:00:00Z`, fractional seconds allowed) or Unix seconds.
public enum TimeArgument {
    /// The instant `text` names, or nil.
    public static func parse(_ text: String) -> Date? {
        if let seconds = Double(text), seconds.isFinite, !text.contains(where: { $0 == "e" || $0 == "E" }) {
            return Date(timeIntervalSince1970: seconds)
        }
        return (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
