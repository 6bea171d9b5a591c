//! How wide a table may be, and fitting its cells into it: a long cell is cut at a word
//! with "…" (the terminal would otherwise wrap it mid-word under the next column), a long
//! text is wrapped at words under its indent. `--wide` prints everything whole.

use std::io::IsTerminal;
use unicode_width::UnicodeWidthChar;

/// The columns a table may use: `COLUMNS` when it is a positive number, else the width of
/// the terminal stdout is, else (a pipe, a file: another program reads it) no limit, as
/// with `--wide`.
pub(crate) fn columns(wide: bool) -> Option<usize> {
    if wide {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(n);
    }
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
}

/// The columns `s` takes on a terminal: wide characters count two, terminal escapes (the
/// marks of matched words) none.
pub(crate) fn width(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte.
            for e in chars.by_ref() {
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        n += c.width().unwrap_or(0);
    }
    n
}

/// `s` in at most `max` columns: whole when it fits, else cut before the last word that
/// would not fit (inside a word only when the first one is too long) and ended with "…".
/// A terminal escape (the marks of matched words) takes no column and is never cut; a mark
/// left open by the cut is closed before the "…", so that the colour ends with the cell.
pub(crate) fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let room = max - 1;
    let (mut used, mut end, mut last_space) = (0, 0, None);
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\x1b' {
            end = i + 1;
            for (j, e) in chars.by_ref() {
                end = j + e.len_utf8();
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        if c == ' ' {
            last_space = Some(i);
        }
        used += w;
        end = i + c.len_utf8();
    }
    let cut = match last_space {
        Some(at) if at > 0 && !s[end..].starts_with(' ') => at,
        _ => end,
    };
    let kept = s[..cut].trim_end();
    let open = kept
        .rfind("\x1b[")
        .is_some_and(|at| !kept[at..].starts_with(RESET));
    format!("{kept}{}…", if open { RESET } else { "" })
}

/// The escape that ends a mark.
const RESET: &str = "\x1b[0m";

/// `s` in lines of at most `max` columns, broken at spaces (a word longer than a line is
/// cut with [`fit`]); each line after the first starts with `indent`, which counts.
pub(crate) fn wrap(s: &str, max: usize, indent: &str) -> String {
    let room = max.saturating_sub(width(indent)).max(10);
    let mut out = String::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= room || line.is_empty() {
            line = candidate;
        } else {
            out.push_str(&fit(&line, room));
            out.push('\n');
            out.push_str(indent);
            line = word.to_string();
        }
    }
    out.push_str(&fit(&line, room));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(fit("Steve Witkoff", 20), "Steve Witkoff");
        assert_eq!(
            fit("Bloomberg › record › Yuri Ushakov", 22),
            "Bloomberg › record ›…"
        );
        assert_eq!(fit("Supercalifragilistic", 8), "Superca…");
        assert!(width(&fit("the F.B.I. said on Sunday that", 12)) <= 12);
        // Wide characters count two columns.
        assert_eq!(width("北京"), 4);
        assert_eq!(fit("北京 上海 广州", 6), "北京…");
        // Marks are no columns.
        assert_eq!(width("\x1b[1;33mplan\x1b[0m"), 4);
    }

    /// A cut never splits a terminal escape, and a mark it leaves open is closed: the
    /// colour of a matched word must not run on into the rest of the output.
    #[test]
    fn a_cut_keeps_escapes_whole_and_closes_an_open_mark() {
        let marked =
            "see \x1b[1;33mhttps://example.com/a/very/long/path/of/the/document\x1b[0m now";
        for max in 1..width(marked) {
            let cut = fit(marked, max);
            assert!(width(&cut) <= max, "{max}: {cut:?}");
            let opens = cut.matches("\x1b[1;33m").count();
            let closes = cut.matches(RESET).count();
            assert_eq!(opens, closes, "{max}: {cut:?}");
            // Every escape in the cut is whole.
            for (at, _) in cut.match_indices('\x1b') {
                let rest = &cut[at..];
                assert!(
                    rest.starts_with("\x1b[1;33m") || rest.starts_with(RESET),
                    "{max}: {cut:?}"
                );
            }
        }
    }

    #[test]
    fn a_text_wraps_at_words_under_its_indent() {
        let text = "the plan was drafted in Moscow and handed over";
        let wrapped = wrap(text, 24, "    ");
        for line in wrapped.lines() {
            assert!(width(line) <= 24, "{line:?}");
        }
        assert_eq!(
            wrapped.replace("\n    ", " "),
            text,
            "nothing lost, no word cut"
        );
    }
}
