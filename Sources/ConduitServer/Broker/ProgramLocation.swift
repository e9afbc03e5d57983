import Foundation
import Subprocess

/// Where the broker finds the programs it ships with, and how it hands environments to them.
enum ProgramLocation {
    /// `name` beside the running executable (`swift build` puts every product in one directory).
    static func besideExecutable(_ name: String) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "ccc-server"
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// `variables` as swift-subprocess's keys (a name it cannot take is left out).
    static func environmentKeys(_ variables: [String: String]) -> [Environment.Key: String] {
        var keys: [Environment.Key: String] = [:]
        for (name, value) in variables {
            if let key = Environment.Key(rawValue: name) { keys[key] = value }
        }
        return keys
    }
}
