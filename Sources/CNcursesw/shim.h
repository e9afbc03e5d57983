// ncursesw for Swift: the wide-character API, with globals and macros wrapped in functions
// (Swift 6 refuses the mutable globals and cannot see function-like macros).
#ifndef CONDUIT_CNCURSESW_SHIM_H
#define CONDUIT_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *conduit_stdscr(void) { return stdscr; }
static inline int conduit_lines(void) { return LINES; }
static inline int conduit_cols(void) { return COLS; }
static inline int conduit_attr_bold(void) { return (int)A_BOLD; }
static inline int conduit_attr_reverse(void) { return (int)A_REVERSE; }
static inline int conduit_attr_dim(void) { return (int)A_DIM; }
static inline int conduit_key_resize(void) { return KEY_RESIZE; }
static inline int conduit_key_up(void) { return KEY_UP; }
static inline int conduit_key_down(void) { return KEY_DOWN; }
static inline int conduit_key_backspace(void) { return KEY_BACKSPACE; }
static inline int conduit_key_enter(void) { return KEY_ENTER; }
static inline int conduit_key_code_yes(void) { return KEY_CODE_YES; }
static inline int conduit_err(void) { return ERR; }
static inline int conduit_setlocale_all(void) { return setlocale(LC_ALL, "") != 0; }

/// The C library's wcwidth(3) — what ncurses places text by — under a UTF-8 locale whatever the
/// process's locale is, so the view model measures as the terminal draws (−1: not printable).
static inline int conduit_wcwidth(unsigned int value) {
    static locale_t utf8 = (locale_t)0;
    if (utf8 == (locale_t)0) utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8 == (locale_t)0) return wcwidth((wchar_t)value);
    locale_t previous = uselocale(utf8);
    int width = wcwidth((wchar_t)value);
    uselocale(previous);
    return width;
}

#endif
