import ConduitCore
import Foundation

/// Everything `ccc-queue` shows and every key it understands, with no terminal and no network:
/// keys become ``QueueCommand``s, broker events change ``items``, and ``render(width:height:now:)``
/// says what goes on each row.
public struct QueueViewModel: Sendable {
    /// A question on the prompt line.
    public enum Prompt: Sendable, Equatable {
        /// An optional reason for denying request `id`.
        case denyReason(id: String, text: String)
        /// How long to remember an approval of request `id`.
        case rememberDuration(id: String, text: String)
        /// Which action the history shows (empty: all).
        case historyFilter(text: String)
    }

    /// What the screen shows.
    public enum Mode: Sendable, Equatable {
        /// Pending requests and the highlighted one's details.
        case queue
        /// Recent decisions, newest first.
        case history
        /// One request whole, every field wrapped, scrolled to `offset` (key `v`).
        case request(id: String, offset: Int)
    }

    /// How long decision keys wait after the highlighted request changed under the approver
    /// (withdrawn, expired, decided elsewhere): a key pressed for the old one must not decide the new one.
    public static let holdAfterChange: TimeInterval = 1

    public private(set) var mode: Mode = .queue
    /// Recent decisions, newest first (history view).
    public private(set) var history: [HistoryItem] = []
    /// The action the history is limited to.
    public private(set) var historyAction: String?
    /// First history row shown.
    public private(set) var historyOffset = 0

    /// Pending requests, oldest first.
    public private(set) var items: [QueueItem] = []
    /// Index into ``items`` of the highlighted request.
    public private(set) var selected = 0
    public private(set) var prompt: Prompt?
    /// Set when the request a deny or remember prompt is about is no longer pending: the prompt
    /// stays open (what is typed stays text) and says so.
    public private(set) var promptTargetGone = false
    /// Until when decision keys are ignored, because the highlighted request changed.
    public private(set) var decisionsHeldUntil: Date?
    public var connection: ConnectionState = .connecting
    /// The last outcome to tell the user (e.g. "approved 1a2b3c4d"), shown on the status line.
    public var message: String?
    /// Who is deciding, and where: shown in the title.
    public let user: String
    public let server: String

    public init(user: String, server: String) {
        self.user = user
        self.server = server
    }

    /// The highlighted request.
    public var selectedItem: QueueItem? { items.indices.contains(selected) ? items[selected] : nil }

    // MARK: Changes from the broker

    /// Replaces the list (a refresh), keeping the highlighted request if it is still there.
    public mutating func replaceItems(_ newItems: [QueueItem], now: Date = Date()) {
        let current = selectedItem?.id
        items = newItems.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        selected = current.flatMap { id in items.firstIndex { $0.id == id } } ?? min(selected, max(items.count - 1, 0))
        noteSelectionChange(from: current, now: now)
        if let target = promptTarget, !items.contains(where: { $0.id == target }) { promptTargetGone = true }
    }

    /// Holds decision keys when the highlighted request became another one without the approver
    /// moving (not when the list was empty before).
    private mutating func noteSelectionChange(from previous: String?, now: Date) {
        guard let previous, let current = selectedItem?.id, current != previous else { return }
        decisionsHeldUntil = now.addingTimeInterval(Self.holdAfterChange)
    }

    /// The request the open deny/remember prompt is about.
    var promptTarget: String? {
        switch prompt {
        case .denyReason(let id, _)?, .rememberDuration(let id, _)?: id
        default: nil
        }
    }

    /// Applies one event of `/v1/events` (`kind` is its `event:` field, `record` the record it
    /// carries). Returns true when a new request arrived (the caller rings the bell).
    @discardableResult
    public mutating func apply(kind: String, record: JSONValue, now: Date = Date()) -> Bool {
        guard let id = record["id"]?.stringValue else { return false }
        let status = record["status"]?.stringValue.flatMap(ActionStatus.init(rawValue:))
        if BrokerEvent.Kind(rawValue: kind) == .queued, status == .pending, let item = QueueItem(record: record) {
            guard !items.contains(where: { $0.id == id }) else { return false }
            replaceItems(items + [item], now: now)
            return true
        }
        remove(id: id, now: now)
        return false
    }

    /// Drops request `id` (decided, expired, canceled). An open prompt about it stays open and
    /// says it is gone; if it was highlighted, decision keys wait ``holdAfterChange``.
    public mutating func remove(id: String, now: Date = Date()) {
        guard let index = items.firstIndex(where: { $0.id == id }) else { return }
        let current = selectedItem?.id
        items.remove(at: index)
        if index < selected || selected >= items.count { selected = max(0, selected - 1) }
        noteSelectionChange(from: current, now: now)
        if promptTarget == id { promptTargetGone = true }
        if case .request(let shown, _) = mode, shown == id { mode = .queue }
    }

    /// Shows `items` (newest first) in the history view.
    public mutating func replaceHistory(_ items: [HistoryItem]) {
        history = items
        historyOffset = min(historyOffset, max(0, items.count - 1))
    }

    // MARK: Keys

    /// What `key` does: moves, opens or edits a prompt, or returns a command to carry out.
    /// `now` decides whether decision keys are held (the highlighted request just changed).
    public mutating func handle(_ key: QueueKey, now: Date = Date()) -> QueueCommand? {
        if prompt != nil { return handlePrompt(key) }
        if mode == .history { return handleHistory(key) }
        if case .request = mode, let handled = handleRequestView(key) { return handled.command }
        if [.character("y"), .character("n"), .character("a")].contains(key), let held = decisionsHeldUntil, now < held {
            message = "the highlighted request changed — look again (y/n/a wait a second)"
            return nil
        }
        switch key {
        case .character("v"), .enter:
            guard let item = selectedItem else { return nil }
            mode = .request(id: item.id, offset: 0)
        case .character("h"):
            mode = .history
            return .loadHistory(action: historyAction)
        case .character("q"), .character("Q"): return .quit
        case .character("r"): return .refresh
        case .character("j"), .down:
            if selected + 1 < items.count { selected += 1 }
        case .character("k"), .up:
            if selected > 0 { selected -= 1 }
        case .character("y"):
            guard let item = selectedItem else { return nil }
            return .approve(id: item.id)
        case .character("n"):
            guard let item = selectedItem else { return nil }
            prompt = .denyReason(id: item.id, text: "")
            promptTargetGone = false
        case .character("a"):
            guard let item = selectedItem else { return nil }
            prompt = .rememberDuration(id: item.id, text: "")
            promptTargetGone = false
        default: break
        }
        return nil
    }

    /// A key the whole-request view took (with the command it makes, if any).
    private struct Handled {
        var command: QueueCommand?
    }

    /// Keys of the whole-request view: scrolling and back. Decision keys (y, n, a) are not taken:
    /// they decide the request shown, which is the highlighted one.
    private mutating func handleRequestView(_ key: QueueKey) -> Handled? {
        guard case .request(let id, let offset) = mode else { return nil }
        switch key {
        case .character("y"), .character("n"), .character("a"): return nil
        case .character("q"), .character("Q"): return Handled(command: .quit)
        case .character("v"), .escape, .character("h"), .enter: mode = .queue
        case .character("j"), .down: mode = .request(id: id, offset: offset + 1)
        case .character("k"), .up: mode = .request(id: id, offset: max(0, offset - 1))
        case .character(" "): mode = .request(id: id, offset: offset + 10)
        case .character("b"): mode = .request(id: id, offset: max(0, offset - 10))
        default: break
        }
        return Handled(command: nil)
    }

    private mutating func handleHistory(_ key: QueueKey) -> QueueCommand? {
        switch key {
        case .character("q"), .character("Q"): return .quit
        case .character("h"), .escape: mode = .queue
        case .character("r"): return .loadHistory(action: historyAction)
        case .character("f"): prompt = .historyFilter(text: historyAction ?? "")
        case .character("j"), .down: if historyOffset + 1 < history.count { historyOffset += 1 }
        case .character("k"), .up: if historyOffset > 0 { historyOffset -= 1 }
        default: break
        }
        return nil
    }

    private mutating func handlePrompt(_ key: QueueKey) -> QueueCommand? {
        guard let prompt else { return nil }
        switch (prompt, key) {
        case (_, .escape):
            self.prompt = nil
            promptTargetGone = false
            message = "canceled"
        case (.historyFilter(let text), .enter):
            self.prompt = nil
            let action = text.trimmingCharacters(in: .whitespaces)
            historyAction = action.isEmpty ? nil : action
            historyOffset = 0
            return .loadHistory(action: historyAction)
        case (.historyFilter(let text), .backspace): self.prompt = .historyFilter(text: String(text.dropLast()))
        case (.historyFilter(let text), .character(let character)):
            guard text.count < 64 else { return nil }
            self.prompt = .historyFilter(text: text + String(character))
        case (.denyReason(let id, _), .enter) where promptTargetGone, (.rememberDuration(let id, _), .enter) where promptTargetGone:
            self.prompt = nil
            promptTargetGone = false
            message = "\(id.prefix(8)) is no longer pending: nothing was sent"
        case (.denyReason(let id, let text), .enter):
            self.prompt = nil
            let reason = text.trimmingCharacters(in: .whitespaces)
            return .deny(id: id, reason: reason.isEmpty ? nil : reason)
        case (.rememberDuration(let id, let text), .enter):
            guard let seconds = DurationText.seconds(from: text) else {
                message = "not a duration: try 90s, 15m, 2h or 7d"
                return nil
            }
            self.prompt = nil
            return .approveRemembering(id: id, seconds: seconds)
        case (.denyReason(let id, let text), .backspace): self.prompt = .denyReason(id: id, text: String(text.dropLast()))
        case (.rememberDuration(let id, let text), .backspace):
            self.prompt = .rememberDuration(id: id, text: String(text.dropLast()))
        case (.denyReason(let id, let text), .character(let character)):
            guard !character.isNewline, text.count < 500 else { return nil }
            self.prompt = .denyReason(id: id, text: text + String(character))
        case (.rememberDuration(let id, let text), .character(let character)):
            guard text.count < 20 else { return nil }
            self.prompt = .rememberDuration(id: id, text: text + String(character))
        default: break
        }
        return nil
    }

    // MARK: Drawing

    /// The screen as `height` rows of exactly `width` columns: title, list and details side by side,
    /// status line, then the help line (or the prompt).
    public func render(width: Int, height: Int, now: Date) -> [ScreenRow] {
        guard width > 0, height > 0 else { return [] }
        guard width >= 20, height >= 5 else {
            return [ScreenRow([.reverse(TerminalText.fitted("ccc-queue: enlarge the terminal", to: width))])]
                + Array(repeating: ScreenRow([.normal(String(repeating: " ", count: width))]), count: height - 1)
        }
        if mode == .history { return renderHistory(width: width, height: height, now: now) }
        if case .request(let id, let offset) = mode, let item = items.first(where: { $0.id == id }) {
            return renderRequest(item, offset: offset, width: width, height: height, now: now)
        }
        var rows: [ScreenRow] = []
        let count = items.count == 1 ? "1 pending" : "\(items.count) pending"
        let title = " Conduit queue — \(user) @ \(server)"
        let titleWidth = max(0, width - TerminalText.width(of: count) - 1)
        rows.append(ScreenRow([.reverse(TerminalText.fitted(TerminalText.sanitized(title), to: titleWidth) + count + " ")]))

        let bodyHeight = height - 3
        let listWidth = min(max(width * 2 / 5, 24), width - 12)
        let detailWidth = width - listWidth - 1
        let list = listRows(width: listWidth, height: bodyHeight, now: now)
        let details = detailRows(width: detailWidth, height: bodyHeight, now: now)
        for index in 0..<bodyHeight {
            rows.append(ScreenRow(list[index].spans + [.dim("│")] + details[index].spans))
        }

        rows.append(statusRow(width: width, now: now))
        rows.append(bottomRow(width: width))
        return rows
    }

    /// Connection state, the last message, and a warning while decision keys are held.
    private func statusRow(width: Int, now: Date) -> ScreenRow {
        var status = connection.text
        if let message { status += "  ·  " + message }
        if let held = decisionsHeldUntil, now < held {
            return ScreenRow([.reverse(TerminalText.fitted(" ⚠ the highlighted request changed — look again; y/n/a wait a second", to: width))])
        }
        return ScreenRow([.bold(TerminalText.fitted(" " + TerminalText.sanitized(status), to: width))])
    }

    /// One request whole: every field wrapped, nothing cut, scrolled by `offset` rows.
    private func renderRequest(_ item: QueueItem, offset: Int, width: Int, height: Int, now: Date) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        let title = " Request \(item.shortID) — \(item.action) — the whole request"
        rows.append(ScreenRow([.reverse(TerminalText.fitted(TerminalText.sanitized(title), to: width))]))
        let body = detailLines(item, width: width, now: now, whole: true)
        let bodyHeight = height - 3
        let first = max(0, min(offset, body.count - bodyHeight))
        var shown = Array(body.dropFirst(first).prefix(bodyHeight))
        if first + bodyHeight < body.count, !shown.isEmpty {
            shown[shown.count - 1] = ScreenRow([.reverse(TerminalText.fitted(" ↓ \(body.count - first - bodyHeight + 1) more rows: j, space", to: width))])
        }
        if first > 0, !shown.isEmpty {
            shown[0] = ScreenRow([.reverse(TerminalText.fitted(" ↑ \(first + 1) rows above: k, b", to: width))])
        }
        rows += Self.padded(shown, width: width, height: bodyHeight)
        rows.append(statusRow(width: width, now: now))
        if prompt != nil {
            rows.append(bottomRow(width: width))
        } else {
            let help = " y approve  n deny  a approve+remember  j/k/space/b scroll  v/Esc back  q quit"
            rows.append(ScreenRow([.reverse(TerminalText.fitted(help, to: width))]))
        }
        return rows
    }

    private func renderHistory(width: Int, height: Int, now: Date) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        let scope = historyAction.map { "action \($0)" } ?? "all actions"
        let title = " Conduit history — \(user) @ \(server) — \(scope)"
        rows.append(ScreenRow([.reverse(TerminalText.fitted(TerminalText.sanitized(title), to: width))]))
        let bodyHeight = height - 3
        if history.isEmpty {
            rows.append(ScreenRow([.normal(TerminalText.fitted(" No decisions yet.", to: width))]))
        } else {
            rows.append(ScreenRow([.bold(Self.historyLine(["WHEN", "ACTION", "FROM", "OUTCOME", "BY", "WHY"], width: width))]))
            for item in history.dropFirst(historyOffset).prefix(bodyHeight - 1) {
                let when = DurationText.short(Int(now.timeIntervalSince(item.at))) + " ago"
                let fields = [when, item.action, item.submitter, item.outcome, item.decidedBy, item.reason]
                rows.append(ScreenRow([.normal(Self.historyLine(fields.map(TerminalText.sanitized), width: width))]))
            }
        }
        rows = Self.padded(rows, width: width, height: height - 2)
        var status = connection.text
        if let message { status += "  ·  " + message }
        rows.append(ScreenRow([.bold(TerminalText.fitted(" " + TerminalText.sanitized(status), to: width))]))
        if case .historyFilter(let text)? = prompt {
            rows.append(Self.promptRow("History of action (empty: all; Enter applies, Esc cancels)> ", text, width: width))
        } else {
            let help = " h/Esc back to the queue  f filter by action  j/k scroll  r refresh  q quit"
            rows.append(ScreenRow([.reverse(TerminalText.fitted(help, to: width))]))
        }
        return rows
    }

    /// `when action from outcome by why`, the last column taking what is left.
    static func historyLine(_ fields: [String], width: Int) -> String {
        let fixed = [11, 16, 10, 9, 16]
        var line = " "
        for (field, columns) in zip(fields, fixed) { line += TerminalText.fitted(field, to: columns) + " " }
        let rest = max(0, width - TerminalText.width(of: line))
        return TerminalText.fitted(line + TerminalText.truncated(fields.last ?? "", to: rest), to: width)
    }

    private func listRows(width: Int, height: Int, now: Date) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        if items.isEmpty {
            rows.append(ScreenRow([.normal(TerminalText.fitted(" No pending requests.", to: width))]))
        } else {
            let header = Self.listLine(id: "ID", action: "ACTION", submitter: "FROM", age: "AGE", width: width)
            rows.append(ScreenRow([.bold(header)]))
            // Two rows a request: who and when, then what it does. Keep the highlighted one on screen.
            let visible = max(1, (height - 1) / 2)
            let first = max(0, min(selected - visible + 1, items.count - visible))
            for index in first..<min(items.count, first + visible) {
                let item = items[index]
                let age = DurationText.short(Int(now.timeIntervalSince(item.created)))
                let line = Self.listLine(
                    id: item.shortID, action: TerminalText.sanitized(item.action),
                    submitter: TerminalText.sanitized(item.submitter), age: age, width: width)
                let summary = TerminalText.fitted("   " + item.summary, to: width)
                rows.append(ScreenRow([index == selected ? .reverse(line) : .normal(line)]))
                rows.append(ScreenRow([index == selected ? .reverse(summary) : .dim(summary)]))
            }
        }
        return Self.padded(rows, width: width, height: height)
    }

    /// `id action submitter age`, columns sized to `width`.
    static func listLine(id: String, action: String, submitter: String, age: String, width: Int) -> String {
        let ageWidth = 7
        let idWidth = 8
        let rest = max(0, width - idWidth - ageWidth - 4)
        let submitterWidth = rest / 3
        let actionWidth = rest - submitterWidth
        let columns = [
            TerminalText.fitted(id, to: idWidth), TerminalText.fitted(action, to: actionWidth),
            TerminalText.fitted(submitter, to: submitterWidth), TerminalText.fitted(age, to: ageWidth),
        ]
        return TerminalText.fitted(" " + columns.joined(separator: " "), to: width)
    }

    private func detailRows(width: Int, height: Int, now: Date) -> [ScreenRow] {
        guard let item = selectedItem else {
            return Self.padded([ScreenRow([.normal(TerminalText.fitted(" Nothing to decide.", to: width))])], width: width, height: height)
        }
        var rows = detailLines(item, width: width, now: now, whole: false)
        if rows.count > height {
            rows = Array(rows.prefix(height - 1))
                + [ScreenRow([.reverse(TerminalText.fitted(" … more — v shows the whole request", to: width))])]
        }
        return Self.padded(rows, width: width, height: height)
    }

    /// A request's details: who and when, then its fields in reading order (``RequestField``).
    /// Decisive fields (tool, command, file, URL, directory) are wrapped whole; the others take one
    /// line each, cut with `…`, unless `whole` (the request view), where nothing is cut.
    func detailLines(_ item: QueueItem, width: Int, now: Date, whole: Bool) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        let inner = max(1, width - 2)
        func add(_ label: String, _ shownValue: String, wrap: Bool = true) {
            let labelText = label + ": "
            let room = max(1, inner - TerminalText.width(of: labelText))
            let lines = wrap ? TerminalText.wrapped(shownValue, to: room) : [TerminalText.truncated(shownValue, to: room)]
            for (index, line) in lines.enumerated() {
                let prefix = index == 0 ? labelText : String(repeating: " ", count: TerminalText.width(of: labelText))
                // A pane narrower than its label cuts the label too: no row may pass its width.
                let labelSpan = TerminalText.truncated(" " + prefix, to: width)
                let rest = max(0, width - TerminalText.width(of: labelSpan))
                rows.append(ScreenRow([.bold(labelSpan), .normal(TerminalText.fitted(line, to: rest))]))
            }
        }
        add("Action", TerminalText.sanitized(item.action))
        add("ID", TerminalText.sanitized(item.id))
        add("Submitter", TerminalText.sanitized(item.submitter))
        add("Created", Self.format(item.created) + " (" + DurationText.short(Int(now.timeIntervalSince(item.created))) + " ago)")
        if let expires = item.expires {
            let left = Int(expires.timeIntervalSince(now).rounded(.down))
            add("Expires in", left > 0 ? DurationText.short(left) : "now")
        }
        if !item.description.isEmpty { add("Description", TerminalText.sanitized(item.description)) }
        if item.params.isEmpty {
            add("Parameters", "none")
        } else {
            rows.append(ScreenRow([.bold(TerminalText.fitted(" Parameters:", to: width))]))
            for field in item.fields {
                add("  " + TerminalText.sanitized(field.name), field.displayValue, wrap: whole || field.isDecisive)
            }
        }
        return rows
    }

    private func bottomRow(width: Int) -> ScreenRow {
        switch prompt {
        case .denyReason(let id, let text)? where promptTargetGone, .rememberDuration(let id, let text)? where promptTargetGone:
            return Self.promptRow(
                "\(id.prefix(8)) is no longer pending (withdrawn, expired or decided) — Enter/Esc close, nothing is sent> ",
                text, width: width)
        case .denyReason(let id, let text)?:
            return Self.promptRow("Deny \(id.prefix(8)): reason (optional; Enter sends, Esc cancels)> ", text, width: width)
        case .rememberDuration(let id, let text)?:
            return Self.promptRow("Approve \(id.prefix(8)) and remember for (15m, 2h, 7d; Esc cancels)> ", text, width: width)
        case nil, .historyFilter?:
            let help = " y approve  n deny  a approve+remember  v view whole  j/k move  h history  r refresh  q quit"
            return ScreenRow([.reverse(TerminalText.fitted(help, to: width))])
        }
    }

    /// The question, then the answer so far; a long answer scrolls so its end stays visible.
    static func promptRow(_ question: String, _ answer: String, width: Int) -> ScreenRow {
        let shownQuestion = TerminalText.truncated(question, to: max(1, width * 2 / 3))
        let room = max(1, width - TerminalText.width(of: shownQuestion) - 1)
        var shown = TerminalText.sanitized(answer)
        while TerminalText.width(of: shown) > room - 1 { shown.removeFirst() }
        return ScreenRow([.bold(shownQuestion), .normal(TerminalText.fitted(shown + "▏", to: width - TerminalText.width(of: shownQuestion)))])
    }

    static func padded(_ rows: [ScreenRow], width: Int, height: Int) -> [ScreenRow] {
        var rows = Array(rows.prefix(height))
        while rows.count < height { rows.append(ScreenRow([.normal(String(repeating: " ", count: width))])) }
        return rows
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon)) 
    }
}
