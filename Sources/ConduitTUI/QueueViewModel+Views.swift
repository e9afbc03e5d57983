import ConduitCore
import Foundation

/// The history and grants views: their keys and how they are drawn.
extension QueueViewModel {
    mutating func handleHistory(_ key: QueueKey) -> QueueEffect? {
        switch key {
        case .character("q"), .character("Q"): return .quit
        case .character("h"), .escape: mode = .queue
        case .character("r"): return .loadHistory(action: historyAction)
        case .character("f"): prompt = Prompt(.historyFilter, text: historyAction ?? "")
        case .character("j"), .down: if historyOffset + 1 < history.count { historyOffset += 1 }
        case .character("k"), .up: if historyOffset > 0 { historyOffset -= 1 }
        default: break
        }
        return nil
    }

    /// Shows `items` (newest first) in the grants view, keeping the highlighted one if it is there.
    public mutating func replaceGrants(_ items: [GrantItem]) {
        let current = grants.indices.contains(selectedGrant) ? grants[selectedGrant].id : nil
        grants = items
        selectedGrant = current.flatMap { id in items.firstIndex { $0.id == id } } ?? min(selectedGrant, max(items.count - 1, 0))
    }

    /// Keys of the grants view: move, revoke the highlighted grant (`x`), reload, back.
    mutating func handleGrants(_ key: QueueKey) -> QueueEffect? {
        switch key {
        case .character("q"), .character("Q"): return .quit
        case .character("g"), .escape: mode = .queue
        case .character("r"): return .loadGrants
        case .character("j"), .down: if selectedGrant + 1 < grants.count { selectedGrant += 1 }
        case .character("k"), .up: if selectedGrant > 0 { selectedGrant -= 1 }
        case .character("x"):
            guard grants.indices.contains(selectedGrant) else { return nil }
            return .revokeGrant(id: grants[selectedGrant].id)
        default: break
        }
        return nil
    }

    func renderGrants(width: Int, height: Int, now: Date) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        let title = " Conduit remembered approvals — \(user) @ \(server)"
        rows.append(ScreenRow([.reverse(TerminalText.fitted(TerminalText.sanitized(title), to: width))]))
        let bodyHeight = height - 3
        if grants.isEmpty {
            rows.append(ScreenRow([.normal(TerminalText.fitted(" No remembered approvals (a approves and remembers).", to: width))]))
        } else {
            rows.append(ScreenRow([.bold(Self.historyLine(["EXPIRES IN", "ACTION", "FROM", "ID", "BY", "PARAMETERS"], width: width))]))
            let first = max(0, min(selectedGrant - (bodyHeight - 2), grants.count - 1))
            for (index, grant) in grants.enumerated().dropFirst(first).prefix(bodyHeight - 1) {
                let left = DurationText.short(max(0, Int(grant.expires.timeIntervalSince(now))))
                let fields = [left, grant.action, grant.submitter, grant.shortID, grant.approver, grant.parameters]
                let line = Self.historyLine(fields.map(TerminalText.sanitized), width: width)
                rows.append(ScreenRow([index == selectedGrant ? .reverse(line) : .normal(line)]))
            }
        }
        rows = Self.padded(rows, width: width, height: height - 2)
        rows.append(connectionRow(width: width))
        let help = " x revoke the highlighted one  j/k move  r refresh  g/Esc back to the queue  q quit"
        rows.append(ScreenRow([.reverse(TerminalText.fitted(help, to: width))]))
        return rows
    }
}
