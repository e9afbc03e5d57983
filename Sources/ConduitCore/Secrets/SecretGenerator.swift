import Crypto
import Foundation

/// Makes new secrets: 32 random bytes (256 bits) from the system's CSPRNG, base64url without padding.
public enum SecretGenerator {
    /// A fresh 43-character secret.
    public static func newSecret() -> String {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        return Base64URL.encode(bytes)
    }
}

/// Base64url (RFC 4648 §5) without padding.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        let standard = data.base64EncodedString().utf8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(standard.count)
        for byte in standard {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
