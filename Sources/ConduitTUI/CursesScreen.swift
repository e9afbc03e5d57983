import CNcursesw
import Foundation

/// The terminal, through ncursesw: draws ``ScreenRow``s and reads keys. All calls must come from
/// one thread (curses is not thread-safe); ``QueueApp`` keeps them on the main thread.
public final class CursesScreen {
    private var isOpen = false

    public init() {}

    /// Enters curses mode: UTF-8 locale, no echo, keypad keys, hidden cursor, reads time out after
    /// `inputTimeout` milliseconds so the caller can redraw between keys.
    public func open(inputTimeout: Int32 = 100) {
        Self.unblockTerminalSignals()
        _ = conduit_setlocale_all()
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(conduit_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(conduit_stdscr(), inputTimeout)
        isOpen = true
    }

    /// Leaves curses mode and restores the terminal.
    public func close() {
        guard isOpen else { return }
        endwin()
        isOpen = false
    }

    /// The terminal's size in columns and rows.
    public var size: (width: Int, height: Int) { (Int(conduit_cols()), Int(conduit_lines())) }

    /// Replaces the screen with `rows`.
    public func draw(_ rows: [ScreenRow]) {
        werase(conduit_stdscr())
        let (width, height) = size
        for (y, row) in rows.prefix(height).enumerated() {
            var x: Int32 = 0
            for span in row.spans {
                let attribute = Self.attribute(for: span.style)
                if attribute != 0 { wattron(conduit_stdscr(), attribute) }
                // The bottom-right cell cannot be written without scrolling: leave it.
                let text = y == height - 1 && Int(x) + TerminalText.width(of: span.text) >= width
                    ? TerminalText.truncated(span.text, to: max(0, width - Int(x) - 1), ellipsis: false) : span.text
                _ = mvwaddstr(conduit_stdscr(), Int32(y), x, text)
                x += Int32(TerminalText.width(of: text))
                if attribute != 0 { wattroff(conduit_stdscr(), attribute) }
            }
        }
        wrefresh(conduit_stdscr())
    }

    /// Makes the next ``draw(_:)`` repaint every cell: after a resize the terminal may have wrapped
    /// what was drawn for the old size, which curses cannot know.
    public func invalidate() {
        clearok(conduit_stdscr(), true)
    }

    /// Rings the terminal bell.
    public func bell() { beep() }

    /// The next key, or nil when none came before the input timeout.
    public func readKey() -> QueueKey? {
        var character: wint_t = 0
        let result = wget_wch(conduit_stdscr(), &character)
        if result == conduit_err() { return nil }
        if result == conduit_key_code_yes() {
            switch Int32(character) {
            case conduit_key_up(): return .up
            case conduit_key_down(): return .down
            case conduit_key_resize(): return .resize
            case conduit_key_backspace(): return .backspace
            case conduit_key_enter(): return .enter
            default: return nil
            }
        }
        switch character {
        case 0x0D, 0x0A: return .enter
        case 0x7F, 0x08: return .backspace
        case 0x1B: return .escape
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)), character >= 0x20 else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A parent may start us with signals blocked (the mask survives `exec`, and tmux passes its own
    /// on): curses would never learn of a resize (SIGWINCH), and closing the terminal (SIGHUP) or
    /// `kill` (SIGTERM) would not end us. Unblock them on this, the drawing, thread.
    static func unblockTerminalSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGWINCH, SIGHUP, SIGTERM, SIGINT, SIGQUIT] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    private static func attribute(for style: ScreenRow.Style) -> Int32 {
        switch style {
        case .normal: 0
        case .bold: conduit_attr_bold()
        case .reverse: conduit_attr_reverse()
        case .dim: conduit_attr_dim()
        }
    }
}
