import Foundation
import Synchronization

/// Polls `condition` every 20 ms for at most `timeout` seconds; whether it became true.
public func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try condition() { return true }
        usleep(20_000)
    } while Date() < deadline
    return false
}

/// Polls `condition` every 20 ms for `duration` seconds; whether it held every time. For what must
/// *not* happen when nothing observable marks that it would have by now.
public func holds(for duration: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(duration)
    repeat {
        guard try condition() else { return false }
        usleep(20_000)
    } while Date() < deadline
    return true
}

/// A value shared between a test and the tasks it starts.
public final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) {
        storage = Mutex(value)
    }

    public var value: Value { storage.withLock { $0 } }

    public func update(_ change: (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }
}

/// ``holds(for:_:)`` for a condition that must be awaited (a request to the broker).
public func holds(for duration: TimeInterval, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(duration)
    repeat {
        guard try await condition() else { return false }
        try? await Task.sleep(for: .milliseconds(20))
    } while Date() < deadline
    return true
}

/// ``eventually(timeout:_:)`` for a condition that must be awaited.
public func eventually(timeout: TimeInterval = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    } while Date() < deadline
    return false
}
