import Foundation

/// Durations as people type and read them: `90`, `90s`, `15m`, `2h`, `7d`; `1h 5m`, `12s`.
public enum DurationText {
    /// Seconds for `text` (a number with an optional unit s, m, h or d), or nil.
    public static func seconds(from text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last else { return nil }
        let multipliers: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let (digits, multiplier) = last.isNumber ? (Substring(trimmed), 1) : (trimmed.dropLast(), multipliers[last] ?? 0)
        guard multiplier > 0, !digits.isEmpty, digits.allSatisfy(\.isASCII), let number = Int(digits), number > 0,
            number <= Int.max / multiplier
        else { return nil }
        return number * multiplier
    }

    /// A short reading of `seconds`: `45s`, `3m`, `2h 5m`, `1d 2h`.
    public static func short(_ seconds: Int) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" + (seconds % 60 > 0 && seconds < 600 ? " \(seconds % 60)s" : "") }
        if seconds < 86400 { return "\(seconds / 3600)h" + (seconds % 3600 >= 60 ? " \(seconds % 3600 / 60)m" : "") }
        return "\(seconds / 86400)d" + (seconds % 86400 >= 3600 ? " \(seconds % 86400 / 3600)h" : "")
    }
}
