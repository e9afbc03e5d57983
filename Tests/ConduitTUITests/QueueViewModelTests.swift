import ConduitCore
import ConduitTUI
import Foundation
import Testing

/// What `ccc-queue` draws and what each key does, without a terminal.
@Suite("Queue view model")
struct QueueViewModelTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(_ id: String, action: String = "open-browser", secondsAgo: TimeInterval = 30, params: [String: JSONValue] = ["url": "https://example.com"]) -> JSONValue {
        [
            "id": .string(id), "action": .string(action), "submitter": "agent", "status": "pending",
            "description": "Open a URL in the host's web browser.", "params": .object(params),
            "created": .string(Self.now.addingTimeInterval(-secondsAgo).formatted(.iso8601)),
            "expires": .string(Self.now.addingTimeInterval(600).formatted(.iso8601)),
        ]
    }

    static func model(_ records: [JSONValue] = []) -> QueueViewModel {
        var model = QueueViewModel(user: "user", server: "127.0.0.1:3015")
        model.connection = .live
        model.replaceItems(records.compactMap(QueueItem.init(record:)))
        return model
    }

    static func screen(_ model: QueueViewModel, width: Int = 100, height: Int = 20) -> [String] {
        model.render(width: width, height: height, now: now).map(\.text)
    }

    @Test func anEmptyQueueSaysSo() {
        let rows = Self.screen(Self.model())
        #expect(rows.contains { $0.contains("No pending requests.") })
        #expect(rows.contains { $0.contains("Nothing to decide.") })
        #expect(rows.first?.contains("0 pending") == true)
    }

    @Test func theListShowsIdActionSubmitterAndAgeAndTheDetailsEveryParameter() {
        let model = Self.model([Self.record("0123456789abcdef", secondsAgo: 125, params: ["url": "https://example.com", "private": false])])
        let rows = Self.screen(model)
        let listRow = try? #require(rows.first { $0.contains("01234567") })
        #expect(listRow?.contains("open-browser") == true)
        #expect(listRow?.contains("agent") == true)
        #expect(listRow?.contains("2m 5s") == true)
        let text = rows.joined(separator: "\n")
        for expected in ["ID: 0123456789abcdef", "Submitter: agent", "Open a URL in the host's web browser.", "url: https://example.com", "private: false", "Expires in: 10m"] {
            #expect(text.contains(expected), "\(expected) in\n\(text)")
        }
        #expect(rows.first?.contains("1 pending") == true)
        #expect(rows.last?.contains("y approve") == true)
    }

    @Test func everyRowIsExactlyTheScreenWidthWhateverTheValues() {
        let model = Self.model([
            Self.record("a1", params: ["note": .string(String(repeating: "中文ž", count: 80))]),
            Self.record("b2", params: ["note": "bell\u{7}escape\u{1B}[2Jrtl\u{202E}txt"]),
        ])
        for (width, height) in [(100, 20), (60, 12), (20, 5), (133, 41)] {
            let rows = model.render(width: width, height: height, now: Self.now)
            #expect(rows.count == height)
            for row in rows { #expect(TerminalText.width(of: row.text) == width, "\(width)×\(height): \(row.text)") }
        }
    }

    @Test func controlAndBidiCharactersAreShownNotObeyed() {
        var model = Self.model([Self.record("a1", params: ["note": "bell\u{7}escape\u{1B}[2Jrtl\u{202E}txt"])])
        _ = model.handle(.down)
        let text = Self.screen(model, width: 120).joined()
        #expect(text.contains("bell^Gescape^[[2Jrtl\\u{202E}txt"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
    }

    @Test func keysMoveTheSelectionAndBecomeCommands() {
        var model = Self.model([Self.record("first", secondsAgo: 60), Self.record("second", secondsAgo: 30)])
        #expect(model.selectedItem?.id == "first")
        #expect(model.handle(.character("j")) == nil)
        #expect(model.selectedItem?.id == "second")
        #expect(model.handle(.down) == nil)
        #expect(model.selectedItem?.id == "second", "stays on the last")
        #expect(model.handle(.up) == nil)
        #expect(model.handle(.character("k")) == nil)
        #expect(model.selectedItem?.id == "first")
        #expect(model.handle(.character("y")) == .approve(id: "first"))
        #expect(model.handle(.character("r")) == .refresh)
        #expect(model.handle(.character("q")) == .quit)
    }

    @Test func nAsksForAnOptionalReasonAndEscapeCancels() {
        var model = Self.model([Self.record("first")])
        #expect(model.handle(.character("n")) == nil)
        for character in "not now" { #expect(model.handle(.character(character)) == nil) }
        #expect(Self.screen(model).last?.contains("not now") == true)
        #expect(model.handle(.character("q")) == nil, "q is text while the prompt is open")
        #expect(model.handle(.backspace) == nil)
        #expect(model.handle(.enter) == .deny(id: "first", reason: "not now"))
        #expect(model.handle(.character("n")) == nil)
        #expect(model.handle(.enter) == .deny(id: "first", reason: nil))
        #expect(model.handle(.character("n")) == nil)
        #expect(model.handle(.escape) == nil)
        #expect(model.prompt == nil)
    }

    @Test func aAsksForADurationAndRefusesNonsense() {
        var model = Self.model([Self.record("first")])
        #expect(model.handle(.character("a")) == nil)
        for character in "soon" { _ = model.handle(.character(character)) }
        #expect(model.handle(.enter) == nil)
        #expect(model.message?.contains("not a duration") == true)
        for _ in 0..<4 { _ = model.handle(.backspace) }
        for character in "2h" { _ = model.handle(.character(character)) }
        #expect(model.handle(.enter) == .approveRemembering(id: "first", seconds: 7200))
    }

    @Test func keysOnAnEmptyQueueDoNothing() {
        var model = Self.model()
        for key in [QueueKey.character("y"), .character("n"), .character("a"), .down, .up, .enter] {
            #expect(model.handle(key) == nil)
        }
        #expect(model.prompt == nil)
    }

    @Test func eventsAddNewRequestsOnceAndRemoveDecidedOnes() {
        var model = Self.model([Self.record("first", secondsAgo: 60)])
        #expect(model.apply(kind: "queued", record: Self.record("second", secondsAgo: 1)) == true, "rings the bell")
        #expect(model.apply(kind: "queued", record: Self.record("second", secondsAgo: 1)) == false, "not twice")
        #expect(model.items.map(\.id) == ["first", "second"])
        _ = model.handle(.down)
        #expect(model.apply(kind: "decided", record: ["id": "second", "status": "denied"]) == false)
        #expect(model.items.map(\.id) == ["first"])
        #expect(model.selectedItem?.id == "first")
        model.apply(kind: "expired", record: ["id": "first", "status": "expired"])
        #expect(model.items.isEmpty)
    }

    @Test func aPromptAboutARequestDecidedElsewhereStaysOpenSaysSoAndSendsNothing() {
        var model = Self.model([Self.record("first", secondsAgo: 60), Self.record("second")])
        _ = model.handle(.character("n"))
        for character in "not n" { _ = model.handle(.character(character)) }
        model.apply(kind: "canceled", record: ["id": "first", "status": "canceled"])
        #expect(model.prompt != nil, "the prompt stays: what is typed next is still text")
        #expect(Self.screen(model, width: 160).last?.contains("no longer pending") == true)
        // The rest of the reason is typed: its y must not approve "second", now highlighted.
        for character in "ow, yes" { #expect(model.handle(.character(character)) == nil) }
        #expect(model.handle(.enter) == nil, "nothing is sent for a request that is gone")
        #expect(model.prompt == nil)
        #expect(model.message?.contains("no longer pending") == true)
    }

    @Test func theStatusLineShowsTheConnection() {
        var model = Self.model()
        model.connection = .disconnected(reason: "connection refused", retryInSeconds: 2)
        #expect(Self.screen(model).dropLast().last?.contains("disconnected (connection refused); reconnecting in 2 s") == true)
    }
}

@Suite("History view")
struct HistoryViewTests {
    static func entry(_ id: Int64, event: String, action: String, outcome: String, actor: String?, reason: String?) -> JSONValue {
        var entry: [String: JSONValue] = [
            "id": .integer(id), "event": .string(event), "action": .string(action), "user": "agent",
            "outcome": .string(outcome), "at": .string(QueueViewModelTests.now.addingTimeInterval(-90).formatted(.iso8601)),
            "detail": reason.map { ["reason": .string($0)] } ?? [:],
        ]
        if let actor { entry["actor"] = .string(actor) }
        return .object(entry)
    }

    @Test func hShowsRecentDecisionsWithWhoAndWhyAndComesBack() {
        var model = QueueViewModelTests.model([QueueViewModelTests.record("first")])
        #expect(model.handle(.character("h")) == .loadHistory(action: nil))
        #expect(model.mode == .history)
        #expect(QueueViewModelTests.screen(model).contains { $0.contains("No decisions yet.") })
        model.replaceHistory(
            [
                Self.entry(3, event: "decision", action: "open-browser", outcome: "denied", actor: "user", reason: "denied by user: not now"),
                Self.entry(2, event: "execution.finished", action: "open-browser", outcome: "completed", actor: nil, reason: nil),
                Self.entry(1, event: "expired", action: "open-terminal", outcome: "expired", actor: nil, reason: "expired: nobody decided within 900 s"),
            ].compactMap(HistoryItem.init(auditEntry:)))
        #expect(model.history.count == 2, "executions are not decisions")
        let rows = QueueViewModelTests.screen(model, width: 140)
        let denied = rows.first { $0.contains("open-browser") }
        #expect(denied?.contains("denied") == true && denied?.contains("not now") == true && denied?.contains("user") == true)
        #expect(rows.contains { $0.contains("nobody (expired)") })
        #expect(rows.contains { $0.contains("1m 30s ago") })
        #expect(model.handle(.character("y")) == nil, "no decisions from the history")
        #expect(model.handle(.escape) == nil)
        #expect(model.mode == .queue)
    }

    @Test func fFiltersTheHistoryByAction() {
        var model = QueueViewModelTests.model()
        _ = model.handle(.character("h"))
        #expect(model.handle(.character("f")) == nil)
        for character in "open-terminal" { _ = model.handle(.character(character)) }
        #expect(model.handle(.enter) == .loadHistory(action: "open-terminal"))
        #expect(QueueViewModelTests.screen(model).first?.contains("action open-terminal") == true)
        #expect(model.handle(.character("r")) == .loadHistory(action: "open-terminal"))
        _ = model.handle(.character("f"))
        for _ in 0..<20 { _ = model.handle(.backspace) }
        #expect(model.handle(.enter) == .loadHistory(action: nil))
        for (width, height) in [(100, 20), (40, 8)] {
            for row in model.render(width: width, height: height, now: QueueViewModelTests.now) {
                #expect(TerminalText.width(of: row.text) == width)
            }
        }
    }
}

@Suite("Terminal text")
struct TerminalTextTests {
    @Test func wideCharactersTakeTwoColumnsAndCombiningMarksNone() {
        #expect(TerminalText.width(of: "abc") == 3)
        #expect(TerminalText.width(of: "中文") == 4)
        #expect(TerminalText.width(of: "e\u{301}") == 1)
        #expect(TerminalText.width(of: "👍") == 2)
    }

    @Test func truncationAndWrappingCountColumnsNotCharacters() {
        #expect(TerminalText.truncated("中文中文", to: 5) == "中文…")
        #expect(TerminalText.fitted("中", to: 3) == "中 ")
        #expect(TerminalText.wrapped("one two three", to: 7) == ["one two", "three"])
        #expect(TerminalText.wrapped("中文中文中", to: 4) == ["中文", "中文", "中"])
        #expect(TerminalText.wrapped("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func durationsParseAndPrint() {
        #expect(DurationText.seconds(from: "90") == 90)
        #expect(DurationText.seconds(from: "15m") == 900)
        #expect(DurationText.seconds(from: " 2h ") == 7200)
        #expect(DurationText.seconds(from: "7d") == 604_800)
        for bad in ["", "h", "-5m", "1.5h", "10y", "٣m"] { #expect(DurationText.seconds(from: bad) == nil, "\(bad)") }
        #expect(DurationText.short(45) == "45s")
        #expect(DurationText.short(125) == "2m 5s")
        #expect(DurationText.short(7260) == "2h 1m")
    }
}
