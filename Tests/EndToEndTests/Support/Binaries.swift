import Foundation

/// Where the built executables and the repository are.
enum Binaries {
    /// The repository root (this file is Tests/EndToEndTests/Support/Binaries.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `CONDUIT_BIN_DIR`, or the package's debug build directory.
    static let directory: String = ProcessInfo.processInfo.environment["CONDUIT_BIN_DIR"] ?? repository + "/.build/debug"

    static func path(_ name: String) -> String { directory + "/" + name }
}
