import ConduitCore
import Foundation
import GRDB

/// `run`: one row per run; its attempts as their JSON (always read and written with the run).
struct RunRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "run"

    var id: String
    var groupID: String
    var policy: String
    var project: String
    var prompt: String
    var submitter: String
    var status: String
    var created: Double
    var started: Double?
    var finished: Double?
    var reason: String?
    var result: String?
    var request: String?
    var followUp: String?
    var attempts: String

    init(_ run: RunRecord) {
        id = run.id
        groupID = run.group
        policy = run.policy
        project = run.project
        prompt = run.prompt
        submitter = run.submitter
        status = run.status.rawValue
        created = run.created.timeIntervalSince1970
        started = run.started?.timeIntervalSince1970
        finished = run.finished?.timeIntervalSince1970
        reason = run.reason
        result = run.result
        request = run.request
        followUp = run.followUp
        attempts = JSONValue.array(run.attempts.map(\.json)).compactText
    }

    /// The run, or nil for a row this version cannot read (an unknown status).
    var record: RunRecord? {
        guard let status = RunStatus(rawValue: status) else { return nil }
        let attempts = ((try? JSONValue.parse(Data(attempts.utf8)))?.arrayValue ?? []).compactMap(RunAttempt.init(json:))
        return RunRecord(
            id: id, group: groupID, policy: policy, project: project, prompt: prompt, submitter: submitter, status: status,
            created: Date(timeIntervalSince1970: created), started: started.map(Date.init(timeIntervalSince1970:)),
            finished: finished.map(Date.init(timeIntervalSince1970:)), reason: reason, result: result, request: request,
            followUp: followUp, attempts: attempts)
    }
}

/// `run_event`: what happened in a run, kept for as long as the run (a finished run replays all).
struct RunEventRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "run_event"

    var id: Int64?
    var run: String
    var kind: String
    var time: Double
    var data: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var event: RunEvent? {
        guard let id, let kind = RunEvent.Kind(rawValue: kind), let data = try? JSONValue.parse(Data(data.utf8)) else { return nil }
        return RunEvent(id: id, run: run, kind: kind, time: Date(timeIntervalSince1970: time), data: data)
    }
}
