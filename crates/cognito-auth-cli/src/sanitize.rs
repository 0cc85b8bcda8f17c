//! Text that came off the network is shown, never obeyed: every character a terminal could act
//! on is escaped before anything is printed. A hostile or broken server (or a proxy, or a wrong
//! `--endpoint`) otherwise controls the user's terminal through an error message or a delivery
//! destination: clear the screen (`ESC [ 2 J`), set the window title (`ESC ] 0 ; ... BEL`), write
//! to the clipboard (OSC 52), or reorder what the user reads (bidirectional overrides).
//!
//! [`escape_controls`] is the one function for terminal text: [`crate::output`] passes every
//! line it prints through it. JSON on stdout keeps its exact values and uses JSON's own `\uXXXX`
//! escapes for the same characters ([`crate::output::print_json`]).

use core::fmt::Write as _;

/// Whether `c` may act on a terminal or change how text around it reads: the C0 controls
/// (U+0000..U+001F, with ESC, BEL, CR, LF and TAB), DEL (U+007F), the C1 controls
/// (U+0080..U+009F, e.g. the 8-bit CSI U+009B) and the bidirectional formatting characters
/// (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every [unsafe](is_unsafe) character written as `\u{XX}`: visible, inert. Line
/// breaks are escaped too (one call, one line), so a server cannot start a line that looks
/// like the tool's own `error:` or prompt. `"\u{1b}]0;x\u{7}"` prints as `\u{1b}]0;x\u{7}`.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Serialised JSON with every [unsafe](is_unsafe) character that JSON allows raw (DEL, C1,
/// bidirectional formatting) written as a `\uXXXX` escape: the same JSON value, inert on a
/// terminal. (serde_json already escapes U+0000..U+001F.)
pub fn json_escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // U+0000..U+001F are escaped inside strings already; outside them only the line
        // breaks and indentation of pretty JSON appear, which must stay.
        if is_unsafe(c) && u32::from(c) >= 0x20 {
            // All of these are in the Basic Multilingual Plane: one \uXXXX each.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::{escape_controls, json_escape_unsafe};

    #[test]
    fn terminal_controls_become_visible_text() {
        assert_eq!(
            escape_controls("Incorrect password."),
            "Incorrect password."
        );
        assert_eq!(
            escape_controls("a\u{1b}[2Jb\u{1b}]0;title\u{7}c"),
            "a\\u{1b}[2Jb\\u{1b}]0;title\\u{7}c"
        );
        assert_eq!(
            escape_controls("x\r\ny\tz\u{7f}"),
            "x\\u{d}\\u{a}y\\u{9}z\\u{7f}"
        );
        assert_eq!(escape_controls("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_controls("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escape_controls("\u{2066}\u{2069}"), "\\u{2066}\\u{2069}");
        assert_eq!(escape_controls("C:\\dir"), "C:\\dir");
        // Printable non-ASCII stays.
        assert_eq!(escape_controls("ünïcødé ✓"), "ünïcødé ✓");
    }

    #[test]
    fn json_keeps_its_value() {
        let value = serde_json::json!({ "m": "a\u{7f}b\u{9b}c\u{202e}d\u{1b}e" });
        for text in [
            value.to_string(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let safe = json_escape_unsafe(&text);
            assert!(
                !safe.chars().any(|c| super::is_unsafe(c) && c != '\n'),
                "{safe}"
            );
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
                value
            );
        }
    }
}
