//! Plain text and Markdown articles: optional front matter between `---` lines, then the
//! body, kept exactly as written so that char offsets into it are offsets into the file's
//! body.

use super::{Document, MAX_META_BYTES, Origin, ReadError, parse_date, shorten};
use crate::model::ArticleMeta;
use std::path::Path;

/// Reads a `.txt` (or, with `markdown`, a `.md`) file's content into one document.
pub(super) fn read(path: &Path, content: &str, markdown: bool) -> Result<Document, ReadError> {
    let (mut meta, text) = match split_front_matter(path, content)? {
        Some((meta, body)) => (meta, body),
        None => (ArticleMeta::default(), content),
    };
    if text.trim().is_empty() {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
        });
    }
    if meta.title.is_none() {
        // The headline as written, " - Reuters" and all: a trailing outlet there is whom the
        // story is attributed to, not the publisher, so `meta.outlet` is left as it is.
        meta.title = first_line_title(text, markdown);
    }
    Ok(Document {
        meta,
        text: text.to_string(),
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
            feed_entry: None,
        },
    })
}

fn first_line_title(text: &str, markdown: bool) -> Option<String> {
    let line = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .find(|l| !l.is_empty())?;
    let line = if markdown {
        line.trim_start_matches('#').trim_start()
    } else {
        line
    };
    (!line.is_empty()).then(|| line.to_string())
}

/// `Ok(None)` when the file has no front matter (its first line is not `---`); otherwise
/// the metadata and the body after the closing `---` line (its newline consumed).
fn split_front_matter<'a>(
    path: &Path,
    content: &'a str,
) -> Result<Option<(ArticleMeta, &'a str)>, ReadError> {
    // A byte-order mark before the front matter belongs to neither.
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut lines = content.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok(None),
    }
    let error = |line: usize, message: String| ReadError::FrontMatter {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut meta = ArticleMeta::default();
    let mut offset = content.split_inclusive('\n').next().map_or(0, str::len);
    for (index, raw) in lines.enumerate() {
        let line_no = index + 2;
        offset += raw.len();
        let line = raw.trim();
        if line == "---" {
            return Ok(Some((meta, &content[offset..])));
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(error(
                line_no,
                format!("expected 'key: value', found '{}'", shorten(line)),
            ));
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(error(
                line_no,
                format!("expected 'key: value', found '{}'", shorten(line)),
            ));
        }
        let value = unquote(value.trim());
        if value.len() > MAX_META_BYTES {
            return Err(error(
                line_no,
                format!(
                    "{key}: the value is {} bytes, over the {MAX_META_BYTES}-byte limit for a metadata value",
                    value.len()
                ),
            ));
        }
        let value = (!value.is_empty()).then(|| value.to_string());
        match key.to_ascii_lowercase().as_str() {
            "title" => meta.title = value,
            "outlet" => meta.outlet = value,
            "url" => meta.url = value,
            "author" => meta.author = value,
            "language" => meta.language = value,
            "published" => {
                meta.published = match value {
                    None => None,
                    Some(v) => Some(parse_date(&v).ok_or_else(|| {
                        error(line_no, format!("published: cannot read date '{}' (accepted: YYYY-MM-DD, RFC 3339 / ISO 8601 date-time, RFC 2822)", shorten(&v)))
                    })?),
                }
            }
            // Other keys (`note`, `tags`, ...) are the writer's own business.
            _ => {}
        }
    }
    Err(error(
        1,
        "the opening '---' has no closing '---' line".to_string(),
    ))
}

/// `"x"` or `'x'` → `x`; anything else as it is.
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn read_txt(content: &str) -> Result<Document, ReadError> {
        read(Path::new("a.txt"), content, false)
    }

    fn front_matter_line(content: &str) -> usize {
        match read_txt(content) {
            Err(ReadError::FrontMatter { line, .. }) => line,
            other => panic!("expected a front matter error, got {other:?}"),
        }
    }

    #[test]
    fn front_matter_fills_meta_and_text_starts_after_the_closing_line() {
        let doc = read_txt(
            "---\ntitle: A \"quoted\" title\noutlet: 'The Harbour Ledger'\nurl: https://example.org/a\npublished: 2025-11-25\nauthor: \"Ana Pérez\"\nlanguage: en\nnote: Fictional.\n---\nFirst line.\nSecond line.\n",
        )
        .unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("A \"quoted\" title"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("The Harbour Ledger"));
        assert_eq!(doc.meta.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(doc.meta.published, NaiveDate::from_ymd_opt(2025, 11, 25));
        assert_eq!(doc.meta.author.as_deref(), Some("Ana Pérez"));
        assert_eq!(doc.meta.language.as_deref(), Some("en"));
        assert_eq!(doc.text, "First line.\nSecond line.\n");
        assert_eq!(doc.origin.line, None);
    }

    #[test]
    fn crlf_front_matter_consumes_the_crlf_after_the_closing_line() {
        let doc = read_txt("---\r\ntitle: T\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("T"));
        assert_eq!(doc.text, "Body\r\n");
    }

    #[test]
    fn body_is_kept_exactly_as_written() {
        let body = "\n  Headline  \n\n“Quote,” he said.\t \n\n\n";
        let doc = read_txt(&format!("---\ntitle: T\n---\n{body}")).unwrap();
        assert_eq!(doc.text, body);
    }

    #[test]
    fn without_front_matter_the_title_is_the_first_non_empty_line() {
        let doc = read_txt("\n\n   Ministers meet in Lviv  \nBody text.\n").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Ministers meet in Lviv"));
        assert_eq!(doc.text, "\n\n   Ministers meet in Lviv  \nBody text.\n");
        assert_eq!(
            doc.meta,
            ArticleMeta {
                title: Some("Ministers meet in Lviv".into()),
                ..Default::default()
            }
        );
    }

    #[test]
    fn front_matter_without_title_takes_the_first_body_line() {
        let doc =
            read_txt("---\noutlet: Kyiv Daily\n---\nPort deal stalls - Reuters\nBody.\n").unwrap();
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Port deal stalls - Reuters")
        );
        assert_eq!(doc.meta.outlet.as_deref(), Some("Kyiv Daily"));
    }

    #[test]
    fn headline_attribution_is_not_the_publisher() {
        for headline in [
            "Russia got tips from Witkoff - Bloomberg",
            "Talks stall — Reuters",
        ] {
            let doc = read_txt(&format!("{headline}\nBody.\n")).unwrap();
            assert_eq!(doc.meta.outlet, None, "{headline}");
            assert_eq!(doc.meta.title.as_deref(), Some(headline));
        }
    }

    #[test]
    fn markdown_heading_marks_are_not_part_of_the_title() {
        let doc = read(Path::new("a.md"), "## Budget vote delayed\n\nText.\n", true).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Budget vote delayed"));
    }

    #[test]
    fn empty_values_stay_unknown_and_unknown_keys_are_ignored() {
        let doc = read_txt("---\noutlet:\npublished: ''\ntags: a, b\n# a comment\n\n---\nBody\n")
            .unwrap();
        assert_eq!(doc.meta.outlet, None);
        assert_eq!(doc.meta.published, None);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_1() {
        assert_eq!(front_matter_line("---\ntitle: T\nBody without end\n"), 3);
        assert_eq!(front_matter_line("---\ntitle: T\n"), 1);
    }

    #[test]
    fn a_line_that_is_not_key_value_names_its_line() {
        assert_eq!(
            front_matter_line("---\ntitle: T\njust words\n---\nBody\n"),
            3
        );
        assert_eq!(front_matter_line("---\ntitle: T\n: no key\n---\nBody\n"), 3);
        assert_eq!(front_matter_line("---\nbad key: v\n---\nBody\n"), 2);
    }

    #[test]
    fn an_unreadable_published_date_names_its_line() {
        assert_eq!(
            front_matter_line("---\ntitle: T\npublished: last Tuesday\n---\nBody\n"),
            3
        );
        let err = read_txt("---\npublished: 31/12/2025\n---\nBody\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a.txt:2:") && err.contains("31/12/2025"),
            "{err}"
        );
    }

    #[test]
    fn front_matter_with_nothing_after_it_is_empty() {
        assert!(matches!(
            read_txt("---\ntitle: T\n---\n  \n"),
            Err(ReadError::Empty { .. })
        ));
    }

    #[test]
    fn a_dashes_line_later_in_the_text_is_not_front_matter() {
        let doc = read_txt("Title\n---\nnot: meta\n").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Title"));
        assert_eq!(doc.text, "Title\n---\nnot: meta\n");
    }

    #[test]
    fn an_over_long_metadata_value_is_refused_with_a_short_message() {
        let big = "x".repeat(MAX_META_BYTES + 1);
        for key in ["title", "published"] {
            let err = read_txt(&format!("---\nurl: u\n{key}: {big}\n---\nBody\n")).unwrap_err();
            assert!(
                matches!(err, ReadError::FrontMatter { line: 3, .. }),
                "{err:?}"
            );
            let message = err.to_string();
            assert!(
                message.contains(&format!("{key}: the value is 4097 bytes")),
                "{message}"
            );
            assert!(message.len() < 200, "{message}");
        }
        let ok = read_txt(&format!(
            "---\ntitle: {}\n---\nBody\n",
            "x".repeat(MAX_META_BYTES)
        ));
        assert!(ok.is_ok());
    }

    #[test]
    fn an_unreadable_long_date_is_quoted_short() {
        let err = read_txt(&format!(
            "---\npublished: {}\n---\nBody\n",
            "9".repeat(4000)
        ))
        .unwrap_err()
        .to_string();
        assert!(err.len() < 250 && err.contains("9999..."), "{err}");
    }
}
