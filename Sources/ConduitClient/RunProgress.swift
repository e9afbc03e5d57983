import ConduitCore

/// One line per run event, as `ccc-client run` prints its progress on standard error:
/// `[1a2b3c4d] tool.call Bash {"command":"make test"}`.
public enum RunProgress {
    /// The longest a line gets (inputs and texts are cut).
    public static let width = 200

    public static func line(for event: RunEvent) -> String {
        let data = event.data
        let detail: String
        switch event.kind {
        case .runStatus:
            detail = [data["status"]?.stringValue, data["reason"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
        case .attemptStarted:
            detail = "attempt \(data["attempt"]?.integerValue ?? 0)" + (data["resumes"]?.stringValue.map { " (resumes \($0))" } ?? "")
        case .message:
            detail = data["text"]?.stringValue ?? ""
        case .toolCall:
            detail = "\(data["tool"]?.stringValue ?? "?") \(data["input"]?.compactText ?? "")"
        case .toolDecision:
            let words = [data["outcome"]?.stringValue, data["by"].flatMap(\.stringValue).map { "by \($0)" }, data["reason"]?.stringValue]
            detail = "\(data["tool"]?.stringValue ?? data["action"]?.stringValue ?? "") " + words.compactMap { $0 }.joined(separator: " ")
        case .toolResult:
            detail = (data["is_error"]?.boolValue == true ? "error: " : "") + (data["text"]?.stringValue ?? "")
        case .checkFinished:
            let passed = data["passed"]?.boolValue == true
            detail = "\(data["name"]?.stringValue ?? "?"): " + (passed ? "passed" : "failed (exit code \(data["exitCode"]?.integerValue ?? -1))")
        case .attemptFinished:
            detail = "attempt \(data["attempt"]?.integerValue ?? 0) \(data["status"]?.stringValue ?? "")"
                + (data["reason"]?.stringValue.map { ": \($0)" } ?? "")
        case .runFinished:
            let run = data["run"]
            detail = (run?["status"]?.stringValue ?? "") + (run?["reason"]?.stringValue.map { ": \($0)" } ?? "")
        }
        let flat = detail.split(whereSeparator: \.isNewline).joined(separator: " ")
        let text = "[\(event.run.prefix(8))] \(event.kind.rawValue) \(flat)"
        return text.count > width ? String(text.prefix(width - 1)) + "…" : text
    }
}
