import Foundation

/// The rules of the `url` parameter type.
///
/// Accepted: absolute `http`/`https` URLs with a host, no user information (`http://localhost@evil`
/// reads as a local address to people and as `evil` to browsers), no whitespace or control characters.
public enum URLValidator {
    /// Returns why `text` is not an acceptable URL, or nil when it is.
    public static func problem(with text: String) -> String? {
        guard text.utf8.count <= 8192 else { return "the URL is longer than 8192 bytes" }
        let forbidden = text.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.properties.generalCategory == .format
        }
        if forbidden { return "the URL contains whitespace or control characters" }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "not an absolute URL"
        }
        guard scheme == "http" || scheme == "https" else { return "only http and https URLs are accepted" }
        guard let host = components.host, !host.isEmpty else { return "the URL has no host" }
        guard components.user == nil, components.password == nil else {
            return "URLs with user information (user@host) are not accepted"
        }
        return nil
    }
}
