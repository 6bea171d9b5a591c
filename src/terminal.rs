//! Text made safe to show: the one place that decides which characters of a string may reach
//! a terminal (or a report, or a spreadsheet) as they are, whatever the string's origin (an
//! ingested article, an imported file, a flag such as `--note` or `--by`, an environment
//! variable, a file name).
//!
//! A *hazard* ([`is_hazard`]) is a character that can drive a terminal or hide what the text
//! says: every control character (C0, DEL, C1: an escape sequence that clears the screen, a
//! bell, a carriage return that writes over the start of a line), the bidirectional controls
//! (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: "Trojan source" text that displays
//! in another order than it reads), the zero-width and invisible characters (U+200B–U+200D,
//! U+2060–U+2064, U+FEFF, U+180E, the tag characters U+E0000–U+E007F) and the line and
//! paragraph separators U+2028, U+2029. Each is made visible as its Rust escape (`\u{1b}`,
//! `\r`, `\u{202e}`), so a reader sees that it is there and which one it is; nothing is
//! dropped. Line feeds and tabs are the layout of multi-line output and stay, except in
//! [`message`], where a line feed is escaped too so that one problem is one line.
//!
//! What is stored is never changed: the database keeps the text as it was read. JSON output
//! writes hazards as `\uXXXX` escapes ([`json`]), which parse back to the same strings.

use std::borrow::Cow;

/// How many characters of a value are quoted in a message, whether it comes from a file or
/// from the command line.
pub const QUOTE_CHARS: usize = 60;

/// True for a character that must not reach a terminal as it is (see the module doc).
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// `s` with every hazard but line feeds and tabs written as its escape: for output made of
/// lines (a table, a report), whose fields went through [`one_line`].
pub fn visible(s: &str) -> Cow<'_, str> {
    escape_if(s, |c| c != '\n' && c != '\t' && is_hazard(c))
}

/// `s` on one line and inert: runs of whitespace (line breaks in a claim that spans
/// paragraphs, a carriage return) become one space, the ends are trimmed, and every other
/// hazard is written as its escape. For a field of a table, a report or a CSV cell.
pub fn one_line(s: &str) -> String {
    visible(&single_spaced(s)).into_owned()
}

/// `s` with runs of whitespace made one space and the ends trimmed: layout only, no hazard
/// escaped. For JSON, where [`json`] makes the hazards inert without changing the text.
pub fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` with every whitespace character made a space and every other hazard written as its
/// escape, nothing trimmed or collapsed: for pieces of a line put together around marks
/// (the highlights of a search), then [`single_spaced`] as a whole.
pub fn flat(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            out.push(' ');
        } else if is_hazard(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` as one line of a message: every hazard, line feeds included, written as its escape
/// (tabs kept), nothing collapsed, so a message names a file exactly (`a\nb.txt`).
pub fn message(s: &str) -> Cow<'_, str> {
    escape_if(s, |c| c != '\t' && is_hazard(c))
}

/// A value quoted in a message, from a file or the command line: its first
/// [`QUOTE_CHARS`] characters, then `...` when there are more.
pub fn shorten(s: &str) -> String {
    match s.char_indices().nth(QUOTE_CHARS) {
        None => s.to_string(),
        Some((end, _)) => format!("{}...", &s[..end]),
    }
}

/// JSON text with every hazard written as a `\uXXXX` escape (a surrogate pair above
/// U+FFFF). Outside strings JSON holds only ASCII punctuation, digits, letters and
/// whitespace, and inside them serde has already escaped the C0 controls, so the result is
/// the same JSON value; only how it looks on a terminal changes. Line feeds and tabs (the
/// layout of pretty-printed JSON) stay.
pub fn json(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && c != '\t' && is_hazard(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c != '\n' && c != '\t' && is_hazard(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn escape_if(s: &str, hazard: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hazard(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_invisibles_are_made_visible() {
        assert_eq!(
            visible("a\u{1b}[2J\u{7}b\rc\nd\te"),
            "a\\u{1b}[2J\\u{7}b\\rc\nd\te"
        );
        assert_eq!(
            visible("Putin\u{202e}nikuP \u{2066}x\u{2069} \u{200b}\u{feff}\u{61c}\u{200f}"),
            "Putin\\u{202e}nikuP \\u{2066}x\\u{2069} \\u{200b}\\u{feff}\\u{61c}\\u{200f}"
        );
        assert_eq!(visible("\u{9b}31m\u{7f}"), "\\u{9b}31m\\u{7f}");
        assert_eq!(visible("Zelenskyy — «мир» é"), "Zelenskyy — «мир» é");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_collapses_whitespace_and_escapes_the_rest() {
        assert_eq!(
            one_line(" Good\r\u{1b}[1Anews \n\n said\u{2028}he "),
            "Good \\u{1b}[1Anews said he"
        );
    }

    #[test]
    fn messages_escape_line_feeds_too() {
        assert_eq!(message("a\nb\t\u{202e}.txt"), "a\\nb\t\\u{202e}.txt");
    }

    #[test]
    fn shorten_cuts_at_sixty_characters() {
        let long = "é".repeat(61);
        assert_eq!(shorten(&long), format!("{}...", "é".repeat(60)));
        assert_eq!(shorten(&"x".repeat(60)), "x".repeat(60));
    }

    #[test]
    fn json_escapes_keep_the_value() {
        let value = serde_json::json!({"note": "a\u{1b}b\u{202e}c\u{9b}\u{e0041}", "n": 1});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_hazard(c)), "{safe}");
        assert!(
            safe.contains("\\u202e") && safe.contains("\\udb40\\udc41"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
