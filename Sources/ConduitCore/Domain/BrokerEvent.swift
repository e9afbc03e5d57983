import Foundation

/// Something that happened to a request, as `GET /v1/events` streams it. Stored, so ids survive restarts.
public struct BrokerEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A request was queued for a person.
        case queued
        /// A person, grant, policy or rule decided (approved or denied).
        case decided
        /// Its command started.
        case started
        /// It completed or failed.
        case finished
        /// Nobody decided in time.
        case expired
        /// Its submitter withdrew it.
        case canceled
    }

    /// Increasing, never reused (SQLite `AUTOINCREMENT`).
    public var id: Int64
    public var kind: Kind
    public var time: Date
    /// The record as it stood right after the event.
    public var record: ActionRecord

    public init(id: Int64, kind: Kind, time: Date, record: ActionRecord) {
        self.id = id
        self.kind = kind
        self.time = time
        self.record = record
    }

    /// The event's `data:` payload.
    public var json: JSONValue {
        ["id": .integer(id), "type": .string(kind.rawValue), "at": .string(ActionRecord.format(time)), "record": record.json]
    }

    /// Reads the ``json`` payload back (a `/v1/events` event's `data:`); nil if it is not one.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.integerValue, let kind = json["type"]?.stringValue.flatMap(Kind.init(rawValue:)),
            let time = json["at"]?.stringValue.flatMap(ActionRecord.parse), let record = json["record"].flatMap(ActionRecord.init(json:))
        else { return nil }
        self.init(id: id, kind: kind, time: time, record: record)
    }
}

extension BrokerEvent: JSONShaped {
    public static let shapeDescription = "a broker event (id, type, at and record are required)"
}
