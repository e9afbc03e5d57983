import ConduitClient
import ConduitCore
import Foundation
import Synchronization

/// `ccc-queue`'s loop: the terminal on the calling thread, the broker in background tasks.
///
/// A connection task follows `/v1/events` (re-reading `/v1/queue` each time it connects, so a
/// reconnect after a server restart shows the truth), and posts what it learns to an inbox the
/// loop drains between keys. Decisions run as tasks too; the loop never blocks on the network.
public final class QueueApp: Sendable {
    /// What background tasks tell the loop.
    enum Update: Sendable {
        /// A refresh's first page; `morePages`: `.page`s follow.
        case items([QueueItem], morePages: Bool)
        case page([QueueItem], morePages: Bool)
        case event(kind: String, record: JSONValue)
        case connection(ConnectionState)
        case message(String)
        case decided(id: String)
        case history([HistoryItem])
        case grants([GrantItem])
        /// Whose requests the user may decide, as `/v1/queue` says.
        case approves([String])
        /// Retrying cannot help (the broker refuses this user's signature): end, saying why.
        case fatal(String)
    }

    private let client: ConduitHTTPClient
    private let inbox = Mutex<[Update]>([])
    /// Delays between reconnection attempts, in seconds (the last one repeats).
    let retryDelays: [Int]

    public init(client: ConduitHTTPClient, retryDelays: [Int] = [1, 1, 2, 3, 5]) {
        self.client = client
        self.retryDelays = retryDelays
    }

    private func post(_ update: Update) {
        inbox.withLock { $0.append(update) }
    }

    /// Runs until `q` (returns nil), or until retrying cannot help (returns why: the broker
    /// refuses this user's signature). Blocks the calling thread (the main thread), which owns the
    /// terminal.
    public func run(screen: CursesScreen) -> String? {
        var model = QueueViewModel(user: client.credentials.user, server: client.authority)
        let follower = Task.detached { await self.follow() }
        defer { follower.cancel() }
        screen.open()
        defer { screen.close() }
        var lastDraw = Date.distantPast
        var dirty = true
        while true {
            let updates = inbox.withLock { inbox in
                let taken = inbox
                inbox.removeAll()
                return taken
            }
            var ring = false
            for update in updates {
                switch update {
                case .items(let items, let more): model.replaceItems(items, morePages: more)
                case .page(let items, let more): model.appendPage(items, morePages: more)
                case .event(let kind, let record): ring = model.apply(kind: kind, record: record) || ring
                case .connection(let state): model.connection = state
                case .message(let text): model.message = text
                case .decided(let id): model.remove(id: id)
                case .history(let items): model.replaceHistory(items)
                case .grants(let items): model.replaceGrants(items)
                case .approves(let users): model.approves = users
                case .fatal(let reason): return reason
                }
                dirty = true
            }
            if ring { screen.bell() }
            if dirty || Date().timeIntervalSince(lastDraw) >= 1 {
                let (width, height) = screen.size
                screen.draw(model.render(width: width, height: height, now: Date()))
                lastDraw = Date()
                dirty = false
            }
            guard let key = screen.readKey() else { continue }
            dirty = true
            if key == .resize { screen.invalidate() }
            guard let command = model.handle(key) else { continue }
            switch command {
            case .quit: return nil
            case .loadGrants:
                model.message = "reading remembered approvals…"
                Task.detached { await self.loadGrants() }
            case .revokeGrant(let id):
                model.message = "revoking \(id.prefix(8))…"
                Task.detached { await self.revokeGrant(id: id) }
            case .refresh:
                model.message = "refreshing…"
                Task.detached { await self.refresh() }
            case .loadHistory(let action):
                model.message = "reading history…"
                Task.detached { await self.loadHistory(action: action) }
            case .approve(let id):
                model.message = "approving \(id.prefix(8))…"
                Task.detached { await self.decide(id: id, approve: true, reason: nil, remember: nil) }
            case .approveRemembering(let id, let seconds):
                model.message = "approving \(id.prefix(8)) and remembering for \(DurationText.short(seconds))…"
                Task.detached { await self.decide(id: id, approve: true, reason: nil, remember: seconds) }
            case .deny(let id, let reason):
                model.message = "denying \(id.prefix(8))…"
                Task.detached { await self.decide(id: id, approve: false, reason: reason, remember: nil) }
            }
        }
    }

    /// Follows the event stream forever, reconnecting with backoff.
    func follow() async {
        var attempt = 0
        while !Task.isCancelled {
            post(.connection(.connecting))
            var reason = "closed"
            do {
                let events = try await client.events()
                post(.connection(.live))
                attempt = 0
                await refresh(quiet: true)
                for try await event in events {
                    guard let kind = event.event, let data = try? JSONValue.parse(Array(event.data.utf8)),
                        let record = data["record"]
                    else { continue }
                    post(.event(kind: kind, record: record))
                }
            } catch ClientError.authentication(let message) {
                post(.fatal(message))
                return
            } catch {
                reason = Self.shortReason(error)
            }
            if Task.isCancelled { return }
            let delay = retryDelays[min(attempt, retryDelays.count - 1)]
            attempt += 1
            post(.connection(.disconnected(reason: reason, retryInSeconds: delay)))
            try? await Task.sleep(for: .seconds(delay))
        }
    }

    /// Requests per page of `/v1/queue`: the first page is what the screen shows first.
    static let queuePage = 500

    /// Reads `/v1/queue`, page by page, and replaces the list: the first page at once, the others
    /// as they come (the screen says it is reading more until the last).
    func refresh(quiet: Bool = false) async {
        var first = true
        var morePages = false
        // However the reading ends (an error, a refusal, cancellation), the screen stops saying
        // that more pages are coming.
        defer { if morePages { post(.page([], morePages: false)) } }
        do {
            var cursor: String?
            repeat {
                let response = try await client.queue(limit: Self.queuePage, cursor: cursor)
                guard response.status == 200, let pending = response.json?["pending"]?.arrayValue else {
                    post(.message("refresh failed: \(response.errorMessage ?? "status \(response.status)")"))
                    return
                }
                cursor = response.json?["next_cursor"]?.stringValue
                morePages = cursor != nil
                let items = pending.compactMap(QueueItem.init(record:))
                post(first ? .items(items, morePages: morePages) : .page(items, morePages: morePages))
                if first, let approves = response.json?["approves"]?.arrayValue { post(.approves(approves.compactMap(\.stringValue))) }
                first = false
            } while cursor != nil && !Task.isCancelled
            if !quiet { post(.message("refreshed")) }
        } catch {
            post(.message("refresh failed: \(Self.shortReason(error))"))
        }
    }

    /// Reads recent decisions from `GET /v1/audit` (newest first).
    func loadHistory(action: String?) async {
        await load("history", key: "entries", count: ("recent decision", "recent decisions"), parse: HistoryItem.init(auditEntry:),
                   deliver: Update.history) { try await $0.audit(action: action, limit: 500) }
    }

    /// Reads the remembered approvals (`GET /v1/grants`).
    func loadGrants() async {
        await load("grants", key: "grants", count: ("remembered approval", "remembered approvals"), parse: GrantItem.init(grant:),
                   deliver: Update.grants) { try await $0.grants() }
    }

    /// Asks for a list, reads the `key` array of its answer with `parse`, posts it with `deliver` and
    /// a message counting it; or posts what went wrong, prefixed by `what`.
    private func load<Item: Sendable>(
        _ what: String, key: String, count words: (one: String, many: String), parse: (JSONValue) -> Item?,
        deliver: (sending [Item]) -> Update, request: (ConduitHTTPClient) async throws -> ConduitResponse
    ) async {
        do {
            let response = try await request(client)
            guard response.status == 200, let values = response.json?[key]?.arrayValue else {
                post(.message("\(what) failed: \(response.errorMessage ?? "status \(response.status)")"))
                return
            }
            let items = values.compactMap(parse)
            post(deliver(items))
            post(.message("\(items.count) \(items.count == 1 ? words.one : words.many)"))
        } catch {
            post(.message("\(what) failed: \(Self.shortReason(error))"))
        }
    }

    /// Revokes grant `id`, then reads the list again.
    func revokeGrant(id: String) async {
        do {
            let response = try await client.revokeGrant(id: id)
            post(.message(response.status == 200 ? "revoked \(id.prefix(8))" : "\(id.prefix(8)): \(response.errorMessage ?? "status \(response.status)")"))
        } catch {
            post(.message("\(id.prefix(8)): \(Self.shortReason(error))"))
        }
        await loadGrants()
    }

    func decide(id: String, approve: Bool, reason: String?, remember: Int?) async {
        let short = id.prefix(8)
        do {
            let response =
                approve
                ? try await client.approve(id: id, reason: reason, remember: remember)
                : try await client.deny(id: id, reason: reason)
            if response.status == 200, approve, response.recordStatus == .denied {
                // Decided again at approval: the action changed, or a rule loaded since denies it.
                post(.decided(id: id))
                post(.message("\(short) NOT approved: \(response.json?["reason"]?.stringValue ?? "denied")"))
            } else if response.status == 200 {
                post(.decided(id: id))
                let remembered = remember.map { " (remembered for \(DurationText.short($0)))" } ?? ""
                post(.message(approve ? "approved \(short)\(remembered)" : "denied \(short)"))
            } else {
                if response.status == 409 { post(.decided(id: id)) }
                post(.message("\(short): \(response.errorMessage ?? "status \(response.status)")"))
            }
        } catch {
            post(.message("\(short): \(Self.shortReason(error))"))
        }
    }

    static func shortReason(_ error: any Error) -> String {
        let text = (error as? ClientError)?.description ?? "\(error)"
        return TerminalText.truncated(text, to: 80)
    }
}
