//! JSON articles: a `.json` file holds one article object, a `.jsonl` file one per line.
//! Field names follow common scraper exports, with aliases: `text` (or `body`, `content`),
//! `outlet` (or `publisher`), `published` (or `date`), `title`, `url`, `author`,
//! `language` (or `lang`).

use super::{Document, MAX_META_BYTES, Origin, ReadError, parse_date, shorten};
use crate::model::ArticleMeta;
use serde_json::{Map, Value};
use std::path::Path;

/// Why one article object could not become a document (no path or line yet).
enum Problem {
    Message(String),
    /// The date field and the value that is not a date.
    Date(String, String),
}

/// A `.json` file: one article. Anything wrong with it means nothing could be read.
pub(super) fn read_object(path: &Path, content: &str) -> Result<Document, ReadError> {
    let value: Value = serde_json::from_str(content).map_err(|e| ReadError::Json {
        path: path.to_path_buf(),
        line: e.line().max(1),
        message: format!("invalid JSON: {e}"),
    })?;
    let origin = Origin {
        path: path.to_path_buf(),
        line: None,
        feed_entry: None,
    };
    article(value, origin).map_err(|problem| match problem {
        Problem::Message(message) => ReadError::Json {
            path: path.to_path_buf(),
            line: 1,
            message,
        },
        Problem::Date(field, value) => ReadError::Date {
            path: path.to_path_buf(),
            field,
            value,
        },
    })
}

/// A `.jsonl` file: one article per non-blank line; a bad line is its own error and the
/// others still read.
pub(super) fn read_lines(path: &Path, content: &str) -> Vec<Result<Document, ReadError>> {
    content
        .split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let line_no = index + 1;
            let error = |message: String| ReadError::Json { path: path.to_path_buf(), line: line_no, message };
            let value: Value = serde_json::from_str(line).map_err(|e| error(format!("invalid JSON: {e}")))?;
            article(value, Origin { path: path.to_path_buf(), line: Some(line_no), feed_entry: None }).map_err(|problem| match problem {
                Problem::Message(m) => error(m),
                Problem::Date(field, value) => error(format!(
                    "{field}: cannot read date '{value}' (accepted: YYYY-MM-DD, RFC 3339 / ISO 8601 date-time, RFC 2822)"
                )),
            })
        })
        .collect()
}

fn article(value: Value, origin: Origin) -> Result<Document, Problem> {
    let Value::Object(object) = value else {
        return Err(Problem::Message(format!(
            "expected an article object, found {}",
            type_name(&value)
        )));
    };
    let text = first_string(&object, &["text", "body", "content"])?.ok_or_else(|| {
        Problem::Message(
            "no article text (expected a non-empty 'text', 'body' or 'content' field)".into(),
        )
    })?;
    if text.trim().is_empty() {
        return Err(Problem::Message(
            "no article text (the 'text' field is blank)".into(),
        ));
    }
    let published = match first_string(&object, &["published", "date"])? {
        None => None,
        Some(v) => Some(parse_date(&v).ok_or_else(|| {
            let field = if object.contains_key("published") {
                "published"
            } else {
                "date"
            };
            Problem::Date(field.to_string(), shorten(&v))
        })?),
    };
    let meta = ArticleMeta {
        title: meta_string(&object, &["title"])?,
        outlet: meta_string(&object, &["outlet", "publisher"])?,
        published,
        url: meta_string(&object, &["url"])?,
        author: meta_string(&object, &["author"])?,
        language: meta_string(&object, &["language", "lang"])?,
    };
    Ok(Document { meta, text, origin })
}

/// A metadata field ([`first_string`]), refused over [`MAX_META_BYTES`].
fn meta_string(object: &Map<String, Value>, names: &[&str]) -> Result<Option<String>, Problem> {
    let value = first_string(object, names)?;
    if let Some(v) = &value
        && v.len() > MAX_META_BYTES
    {
        let name = names
            .iter()
            .find(|n| object.contains_key(**n))
            .unwrap_or(&names[0]);
        return Err(Problem::Message(format!(
            "'{name}' is {} bytes, over the {MAX_META_BYTES}-byte limit for a metadata value",
            v.len()
        )));
    }
    Ok(value)
}

/// The first of `names` that holds a non-empty string. `null` and `""` count as absent; any
/// other type is an error, since quietly dropping a number or list would lose data.
fn first_string(object: &Map<String, Value>, names: &[&str]) -> Result<Option<String>, Problem> {
    for name in names {
        match object.get(*name) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::String(s)) => return Ok(Some(s.clone())),
            Some(other) => {
                return Err(Problem::Message(format!(
                    "'{name}' must be a string, found {}",
                    type_name(other)
                )));
            }
        }
    }
    Ok(None)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn p() -> &'static Path {
        Path::new("a.jsonl")
    }

    #[test]
    fn object_fields_fill_meta_and_text_is_verbatim() {
        let doc = read_object(
            Path::new("a.json"),
            r#"{"title":"T","outlet":"Kyiv Daily","url":"https://example.org/t","published":"2025-11-25T08:00:00+02:00","text":"  Line one.\nLine two. ","note":"fictional"}"#,
        )
        .unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("T"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("Kyiv Daily"));
        assert_eq!(doc.meta.url.as_deref(), Some("https://example.org/t"));
        assert_eq!(doc.meta.published, NaiveDate::from_ymd_opt(2025, 11, 25));
        assert_eq!(doc.text, "  Line one.\nLine two. ");
        assert_eq!(doc.origin.line, None);
    }

    #[test]
    fn aliases_body_content_publisher_date() {
        let doc = read_object(
            Path::new("a.json"),
            r#"{"body":"B","publisher":"P","date":"2025-01-02"}"#,
        )
        .unwrap();
        assert_eq!(
            (doc.text.as_str(), doc.meta.outlet.as_deref()),
            ("B", Some("P"))
        );
        assert_eq!(doc.meta.published, NaiveDate::from_ymd_opt(2025, 1, 2));
        let doc = read_object(Path::new("a.json"), r#"{"text":"","content":"C"}"#).unwrap();
        assert_eq!(doc.text, "C");
    }

    #[test]
    fn missing_or_empty_text_is_an_error() {
        for s in [
            r#"{"title":"T"}"#,
            r#"{"text":""}"#,
            r#"{"text":"   \n"}"#,
            r#"{"text":null}"#,
        ] {
            assert!(
                matches!(
                    read_object(Path::new("a.json"), s),
                    Err(ReadError::Json { .. })
                ),
                "{s}"
            );
        }
    }

    #[test]
    fn unknown_date_and_wrong_types_are_errors() {
        let e = read_object(Path::new("a.json"), r#"{"text":"x","published":"soon"}"#).unwrap_err();
        assert!(
            matches!(e, ReadError::Date { ref field, ref value, .. } if field == "published" && value == "soon"),
            "{e:?}"
        );
        let e = read_object(Path::new("a.json"), r#"{"text":"x","title":42}"#).unwrap_err();
        assert!(e.to_string().contains("'title' must be a string"), "{e}");
        let e = read_object(Path::new("a.json"), "[1,2]").unwrap_err();
        assert!(e.to_string().contains("expected an article object"), "{e}");
    }

    #[test]
    fn invalid_json_names_its_line() {
        let e = read_object(Path::new("a.json"), "{\n\"text\": \"x\",\n oops\n}").unwrap_err();
        assert!(matches!(e, ReadError::Json { line: 3, .. }), "{e:?}");
    }

    #[test]
    fn jsonl_reads_every_good_line_and_reports_the_bad_ones_by_line() {
        let content = "{\"text\":\"one\"}\n\n{broken\n  \n{\"text\":\"four\",\"published\":\"never\"}\r\n{\"text\":\"six\"}";
        let docs = read_lines(p(), content);
        assert_eq!(docs.len(), 4);
        assert_eq!(docs[0].as_ref().unwrap().origin.line, Some(1));
        assert!(matches!(docs[1], Err(ReadError::Json { line: 3, .. })));
        match &docs[2] {
            Err(ReadError::Json {
                line: 5, message, ..
            }) => assert!(message.contains("never")),
            other => panic!("{other:?}"),
        }
        let six = docs[3].as_ref().unwrap();
        assert_eq!((six.text.as_str(), six.origin.line), ("six", Some(6)));
    }

    #[test]
    fn jsonl_line_with_a_non_object_is_an_error_for_that_line() {
        let docs = read_lines(p(), "\"just a string\"\n{\"text\":\"ok\"}\n");
        assert!(matches!(docs[0], Err(ReadError::Json { line: 1, .. })));
        assert!(docs[1].is_ok());
    }

    #[test]
    fn an_over_long_metadata_field_is_refused_and_a_long_date_quoted_short() {
        let big = "x".repeat(MAX_META_BYTES + 1);
        let line = format!("{{\"text\":\"t\",\"publisher\":\"{big}\"}}\n{{\"text\":\"ok\"}}");
        let docs = read_lines(p(), &line);
        match &docs[0] {
            Err(ReadError::Json {
                line: 1, message, ..
            }) => {
                assert!(
                    message.starts_with("'publisher' is 4097 bytes"),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(docs[1].is_ok());
        let e = read_object(
            Path::new("a.json"),
            &format!("{{\"text\":\"t\",\"date\":\"{}\"}}", "9".repeat(3000)),
        )
        .unwrap_err();
        assert!(e.to_string().len() < 250, "{e}");
    }
}
