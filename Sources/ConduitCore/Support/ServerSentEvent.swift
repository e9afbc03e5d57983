/// One Server-Sent Event (WHATWG HTML, "Server-sent events"): what `GET /v1/events` streams.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    /// The `event:` field; `message` when absent.
    public var event: String?
    public var data: String

    public init(id: String? = nil, event: String? = nil, data: String) {
        self.id = id
        self.event = event
        self.data = data
    }

    /// The event as stream text, ending with the blank line that dispatches it. Line breaks in `data`
    /// become several `data:` lines; `id` and `event` must not contain line breaks.
    public var encoded: String {
        var text = ""
        if let id { text += "id: \(id)\n" }
        if let event { text += "event: \(event)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        return text + "\n"
    }

    /// A comment line, which clients ignore: keeps idle connections alive.
    public static func comment(_ text: String) -> String { ": \(text)\n\n" }
}

/// Turns a byte stream into events, a chunk at a time, as the specification's parser does
/// (fields `id`, `event`, `data`; comments and unknown fields ignored; `\n`, `\r\n` or `\r` line ends).
public struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var id: String?
    private var event: String?
    private var data: [String] = []
    private var hasData = false
    private var lastWasCR = false
    /// Comment lines (heartbeats) read since the last ``consume(_:comment:)`` handed them out.
    private var pendingComments: [String] = []

    public init() {}

    /// Feeds `bytes`; returns the events they completed, and passes each comment line's text (without
    /// the leading `:` and space) to `comment`.
    public mutating func consume(_ bytes: some Sequence<UInt8>, comment: (String) -> Void) -> [ServerSentEvent] {
        let events = consume(bytes)
        for text in pendingComments { comment(text) }
        pendingComments.removeAll()
        return events
    }

    /// Feeds `bytes`; returns the events they completed.
    public mutating func consume(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        pendingComments.removeAll(keepingCapacity: true)
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                lastWasCR = byte == 0x0D
                if let event = line(String(decoding: buffer, as: UTF8.self)) { events.append(event) }
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
            }
        }
        return events
    }

    private mutating func line(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer {
                data = []
                hasData = false
                event = nil
            }
            guard hasData else { return nil }
            return ServerSentEvent(id: id, event: event, data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") {
            var text = line.dropFirst()
            if text.hasPrefix(" ") { text = text.dropFirst() }
            if pendingComments.count < 64 { pendingComments.append(String(text)) }
            return nil
        }
        let name: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            name = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            name = Substring(line)
            value = ""
        }
        switch name {
        case "id": if !value.contains("\u{0}") { id = String(value) }
        case "event": event = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        default: break
        }
        return nil
    }
}
