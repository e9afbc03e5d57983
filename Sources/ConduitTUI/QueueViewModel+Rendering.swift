import ConduitCore
import Foundation

/// How the queue manager's state is drawn: rows of styled spans of exact width, no terminal.
extension QueueViewModel {
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
        if mode == .grants { return renderGrants(width: width, height: height, now: now) }
        if case .request(let id, let offset) = mode, let item = items.first(where: { $0.id == id }) {
            return renderRequest(item, offset: offset, width: width, height: height, now: now)
        }
        var rows: [ScreenRow] = []
        let count = (items.count == 1 ? "1 pending" : "\(items.count) pending") + (pagesPending ? ", reading more" : "")
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
    func statusRow(width: Int, now: Date) -> ScreenRow {
        if let held = decisionsHeldUntil, now < held {
            return ScreenRow([.reverse(TerminalText.fitted(" ⚠ the highlighted request changed — look again; y/n/a wait a second", to: width))])
        }
        return connectionRow(width: width)
    }

    /// The connection state and the last message (the history and grants views' status line).
    func connectionRow(width: Int) -> ScreenRow {
        var status = connection.text
        if let message { status += "  ·  " + message }
        return ScreenRow([.bold(TerminalText.fitted(" " + TerminalText.sanitized(status), to: width))])
    }

    /// One request whole: every field wrapped, nothing cut, scrolled by `offset` rows.
    func renderRequest(_ item: QueueItem, offset: Int, width: Int, height: Int, now: Date) -> [ScreenRow] {
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

    func renderHistory(width: Int, height: Int, now: Date) -> [ScreenRow] {
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
        rows.append(connectionRow(width: width))
        if let prompt, prompt.question == .historyFilter {
            rows.append(Self.promptRow("History of action (empty: all; Enter applies, Esc cancels)> ", prompt.text, width: width))
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

    func listRows(width: Int, height: Int, now: Date) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        if items.isEmpty, approves == [] {
            // Not "nothing yet": nothing ever, until the server's secrets give this user someone.
            for line in [
                " \(user) may approve nobody's requests:", " the server's secrets give \(user) no canApprove list.",
                " Fix: ccc-keygen --grant \(user):SUBMITTER,", " then send the server SIGHUP.",
            ] {
                rows.append(ScreenRow([.normal(TerminalText.fitted(TerminalText.sanitized(line), to: width))]))
            }
        } else if items.isEmpty {
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

    func detailRows(width: Int, height: Int, now: Date) -> [ScreenRow] {
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

    func bottomRow(width: Int) -> ScreenRow {
        if let prompt, let id = prompt.target, promptTargetGone {
            return Self.promptRow(
                "\(id.prefix(8)) is no longer pending (withdrawn, expired or decided) — Enter/Esc close, nothing is sent> ",
                prompt.text, width: width)
        }
        switch prompt?.question {
        case .denyReason(let id)?:
            return Self.promptRow("Deny \(id.prefix(8)): reason (optional; Enter sends, Esc cancels)> ", prompt?.text ?? "", width: width)
        case .rememberDuration(let id)?:
            return Self.promptRow(
                "Approve \(id.prefix(8)) and remember for (15m, 2h, 7d; Esc cancels)> ", prompt?.text ?? "", width: width)
        case nil, .historyFilter?:
            let help = " y approve  n deny  a approve+remember  v view whole  j/k move  h history  g grants  r refresh  q quit"
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
