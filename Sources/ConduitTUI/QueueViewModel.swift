import ConduitCore
import Foundation

/// Everything `ccc-queue` shows and every key it understands, with no terminal and no network:
/// keys become ``QueueEffect``s, broker events change ``items``, and ``render(width:height:now:)``
/// says what goes on each row.
public struct QueueViewModel: Sendable {
    /// What the screen shows.
    public enum Mode: Sendable, Equatable {
        /// Pending requests and the highlighted one's details.
        case queue
        /// Recent decisions, newest first.
        case history
        /// One request whole, every field wrapped, scrolled to `offset` (key `v`).
        case request(id: String, offset: Int)
        /// The remembered approvals the user made or may see (key `g`).
        case grants
    }

    /// How long decision keys wait after the highlighted request changed under the approver
    /// (withdrawn, expired, decided elsewhere): a key pressed for the old one must not decide the new one.
    public static let holdAfterChange: TimeInterval = 1

    public internal(set) var mode: Mode = .queue
    /// Recent decisions, newest first (history view).
    public private(set) var history: [HistoryItem] = []
    /// The action the history is limited to.
    public private(set) var historyAction: String?
    /// First history row shown.
    public internal(set) var historyOffset = 0

    /// Remembered approvals, newest first (grants view), and the highlighted one.
    public internal(set) var grants: [GrantItem] = []
    public internal(set) var selectedGrant = 0
    /// Whose requests the user may decide, as the broker said (nil until it said).
    public var approves: [String]?

    /// Pending requests, oldest first.
    public private(set) var items: [QueueItem] = []
    /// Whether a refresh is still reading pages of `/v1/queue` (the count shown is not all yet).
    public private(set) var pagesPending = false
    /// Requests that left the queue while pages were read.
    private var removedWhilePaging: Set<String> = []
    /// Index into ``items`` of the highlighted request.
    public private(set) var selected = 0
    public internal(set) var prompt: Prompt?
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

    /// Replaces the list (a refresh, or its first page when `morePages`), keeping the highlighted
    /// request if it is still there.
    public mutating func replaceItems(_ newItems: [QueueItem], morePages: Bool = false, now: Date = Date()) {
        pagesPending = morePages
        removedWhilePaging = []
        setItems(newItems, now: now)
    }

    /// Adds the next page of a refresh: requests not listed yet, and not decided since the refresh
    /// began (a page read before their event arrived would bring them back).
    public mutating func appendPage(_ page: [QueueItem], morePages: Bool, now: Date = Date()) {
        let known = Set(items.map(\.id)).union(removedWhilePaging)
        setItems(items + page.filter { !known.contains($0.id) }, now: now)
        pagesPending = morePages
        if !morePages { removedWhilePaging = [] }
    }

    private mutating func setItems(_ newItems: [QueueItem], now: Date) {
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
    var promptTarget: String? { prompt?.target }

    /// Applies one event of `/v1/events` (`kind` is its `event:` field, `record` the record it
    /// carries). Returns true when a new request arrived (the caller rings the bell).
    @discardableResult
    public mutating func apply(kind: String, record: JSONValue, now: Date = Date()) -> Bool {
        guard let id = record["id"]?.stringValue else { return false }
        let status = record["status"]?.stringValue.flatMap(ActionStatus.init(rawValue:))
        if BrokerEvent.Kind(rawValue: kind) == .queued, status == .pending, let item = QueueItem(record: record) {
            guard !items.contains(where: { $0.id == id }) else { return false }
            setItems(items + [item], now: now)
            return true
        }
        remove(id: id, now: now)
        return false
    }

    /// Drops request `id` (decided, expired, canceled). An open prompt about it stays open and
    /// says it is gone; if it was highlighted, decision keys wait ``holdAfterChange``.
    public mutating func remove(id: String, now: Date = Date()) {
        if pagesPending { removedWhilePaging.insert(id) }
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
    public mutating func handle(_ key: QueueKey, now: Date = Date()) -> QueueEffect? {
        if prompt != nil { return handlePrompt(key) }
        if mode == .history { return handleHistory(key) }
        if mode == .grants { return handleGrants(key) }
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
        case .character("g"):
            mode = .grants
            return .loadGrants
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
            prompt = Prompt(.denyReason(id: item.id))
            promptTargetGone = false
        case .character("a"):
            guard let item = selectedItem else { return nil }
            prompt = Prompt(.rememberDuration(id: item.id))
            promptTargetGone = false
        default: break
        }
        return nil
    }

    /// A key the whole-request view took (with the command it makes, if any).
    private struct Handled {
        var command: QueueEffect?
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

    /// Keys while a prompt is open: editing is the same for every question (Backspace, typing up to
    /// its longest answer; no line breaks); Enter answers it; Esc cancels.
    private mutating func handlePrompt(_ key: QueueKey) -> QueueEffect? {
        guard var prompt else { return nil }
        switch key {
        case .escape:
            self.prompt = nil
            promptTargetGone = false
            message = "canceled"
        case .enter:
            return answer(prompt)
        case .backspace:
            prompt.text = String(prompt.text.dropLast())
            self.prompt = prompt
        case .character(let character):
            guard !character.isNewline, prompt.text.count < prompt.longestText else { return nil }
            prompt.text += String(character)
            self.prompt = prompt
        default: break
        }
        return nil
    }

    /// Enter on `prompt`: the command it asks for, or a message saying why nothing is sent.
    private mutating func answer(_ prompt: Prompt) -> QueueEffect? {
        if let id = prompt.target, promptTargetGone {
            self.prompt = nil
            promptTargetGone = false
            message = "\(id.prefix(8)) is no longer pending: nothing was sent"
            return nil
        }
        switch prompt.question {
        case .historyFilter:
            self.prompt = nil
            let action = prompt.text.trimmingCharacters(in: .whitespaces)
            historyAction = action.isEmpty ? nil : action
            historyOffset = 0
            return .loadHistory(action: historyAction)
        case .denyReason(let id):
            self.prompt = nil
            let reason = prompt.text.trimmingCharacters(in: .whitespaces)
            return .deny(id: id, reason: reason.isEmpty ? nil : reason)
        case .rememberDuration(let id):
            guard let seconds = DurationText.seconds(from: prompt.text) else {
                message = "not a duration: try 90s, 15m, 2h or 7d"
                return nil
            }
            self.prompt = nil
            return .approveRemembering(id: id, seconds: seconds)
        }
    }
}
