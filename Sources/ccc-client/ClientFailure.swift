import ConduitClient
import Foundation

/// How `ccc-client`'s commands end on an error: one line on stderr and the documented exit code
/// (2 usage, 3 authentication, 4 unreachable; anything else 1).
enum ClientFailure {
    static func exit(_ error: any Error) -> Int32 {
        let code: Int32
        switch error as? ClientError {
        case .usage?: code = 2
        case .authentication?: code = 3
        case .unreachable?: code = 4
        case nil: code = 1
        }
        return report(code, "\(error)")
    }

    /// Writes `ccc-client: error: MESSAGE` to stderr and returns `code`.
    static func report(_ code: Int32, _ message: String) -> Int32 {
        FileHandle.standardError.write(Data("ccc-client: error: \(message)\n".utf8))
        return code
    }
}
