//! Feeds: RSS 2.0, RSS 1.0 (RDF) and Atom, parsed with the `feed-rs` crate into the entries
//! `ingest` turns into articles.
//!
//! What is ours around the parser: telling a feed from a page by its root element
//! ([`is_feed`]), entry dates read as the feed states them (the date in the timestamp's own
//! offset, as for pages: feed-rs would convert them to UTC, a day off for an entry published
//! at 00:30 in Kyiv), an entry's identity that stays the same from run to run (the feed's own
//! id or guid, else its link or title: never a random one, or a feed read again would fetch
//! everything again), and the entry's own content read as a page when the feed carries it.
//! Fetching the link of an entry that carries only a summary is the caller's (it needs the
//! network); so is remembering which entries were stored.

use super::{Document, Origin, ReadError, html};
use crate::model::ArticleMeta;
use chrono::NaiveDate;
use std::path::Path;

/// How many leading bytes are looked at to find the root element.
const SNIFF_BYTES: usize = 64 * 1024;

/// One entry of a feed, with what the feed says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its identity within the feed, stable from run to run; empty when the feed gives
    /// nothing to derive one from (no id, no link, no title).
    pub id: String,
    /// The link to the article, resolved against the feed's URL when relative.
    pub link: Option<String>,
    pub title: Option<String>,
    /// The publication date as the feed states it.
    pub published: Option<NaiveDate>,
    /// The last update, for `--since` when no publication date is given.
    pub updated: Option<NaiveDate>,
    pub author: Option<String>,
    /// The article itself when the feed carries it (Atom `<content>`, RSS
    /// `<content:encoded>`), as HTML. A summary (`<description>`, `<summary>`) is not the
    /// article and is not kept.
    pub content: Option<String>,
}

impl Entry {
    /// The date `--since` compares: the publication date, else the last update.
    pub fn date(&self) -> Option<NaiveDate> {
        self.published.or(self.updated)
    }

    /// What the entry says, as metadata: filled into a page fetched from its link wherever
    /// the page says nothing.
    pub fn meta(&self) -> ArticleMeta {
        ArticleMeta {
            title: self.title.clone(),
            published: self.published,
            url: self.link.clone(),
            author: self.author.clone(),
            ..ArticleMeta::default()
        }
    }

    /// The article from the entry's own content, `None` when it carries none. The entry's
    /// title, date, author and link are the article's: the feed is the page here.
    pub fn document(&self, feed: &Path) -> Option<Result<Document, ReadError>> {
        let content = self.content.as_deref()?;
        let doc = html::read(feed, content).map(|mut doc| {
            let page = std::mem::replace(&mut doc.meta, self.meta());
            doc.meta.fill_from(&page);
            doc.origin = Origin {
                path: feed.to_path_buf(),
                line: None,
                feed_entry: None,
            };
            doc.without_controls()
        });
        Some(doc)
    }
}

/// True when `bytes` start (after any XML declaration, comments, processing instructions and
/// doctype) with the root element of a feed: `<rss>`, `<feed>` (Atom) or `<rdf:RDF>` (RSS 1.0).
pub fn is_feed(bytes: &[u8]) -> bool {
    let mut rest = &bytes[..bytes.len().min(SNIFF_BYTES)];
    rest = rest.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rest);
    loop {
        rest = rest.trim_ascii_start();
        let skip_to = |rest: &[u8], end: &[u8]| {
            rest.windows(end.len())
                .position(|w| w == end)
                .map(|i| i + end.len())
        };
        let next = if rest.starts_with(b"<?") {
            skip_to(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            skip_to(rest, b"-->")
        } else if rest.starts_with(b"<!") {
            skip_to(rest, b">")
        } else {
            break;
        };
        match next {
            Some(i) => rest = &rest[i..],
            None => return false,
        }
    }
    let Some(tag) = rest.strip_prefix(b"<") else {
        return false;
    };
    let name_end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        .unwrap_or(tag.len());
    let name = &tag[..name_end];
    let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
    matches!(local, b"rss" | b"feed" | b"RDF")
}

/// The entries of a feed. `base` resolves relative links (the feed's URL; `None` for a file,
/// whose relative links stay as written and cannot be fetched). The error is one line.
pub fn parse(bytes: &[u8], base: Option<&str>) -> Result<Vec<Entry>, String> {
    if !is_feed(bytes) {
        return Err("not a feed (expected an <rss>, <feed> or <rdf:RDF> XML document)".into());
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base)
        // Midnight UTC of the date as written: `date_naive` gives that date back.
        .timestamp_parser(|s| {
            super::date::parse(s)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|dt| dt.and_utc())
        })
        // A stable identity, never feed-rs's random last resort: see `Entry::id`.
        .id_generator(|links, title, _| {
            links
                .first()
                .map(|l| l.href.clone())
                .or_else(|| title.as_ref().map(|t| format!("title:{}", t.content)))
                .unwrap_or_default()
        })
        .build();
    let feed = parser.parse(bytes).map_err(|e| {
        format!(
            "not a readable feed: {}",
            super::shorten(&collapse_line(&e.to_string()))
        )
    })?;
    Ok(feed.entries.into_iter().map(entry).collect())
}

fn entry(e: feed_rs::model::Entry) -> Entry {
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(e.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|l| !l.is_empty());
    let title = e
        .title
        .map(|t| collapse_line(&t.content))
        .filter(|t| !t.is_empty() && t.len() <= super::MAX_META_BYTES);
    let names: Vec<String> = e
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().and_then(person))
        .collect();
    let author =
        Some(names.join(", ")).filter(|a| !a.is_empty() && a.len() <= super::MAX_META_BYTES);
    let content = e.content.and_then(|c| {
        let body = c.body.filter(|b| !b.trim().is_empty())?;
        // Atom `type="text"` content is text, not markup: escaped so `<` stays a letter.
        Some(if c.content_type.essence().to_string() == "text/plain" {
            body.split("\n\n")
                .map(|p| format!("<p>{}</p>", escape(p)))
                .collect()
        } else {
            body
        })
    });
    Entry {
        id: e.id,
        link,
        title,
        published: e.published.map(|d| d.date_naive()),
        updated: e.updated.map(|d| d.date_naive()),
        author,
        content,
    }
}

/// A person's name as feeds write it: RSS `<author>` is an email address with the name in
/// parentheses ("desk@courier.example (Ines Marl)"), which the parser leaves as "(Ines
/// Marl)". An address alone is not a name.
fn person(name: &str) -> Option<String> {
    let name = collapse_line(name);
    let name = match (name.find('('), name.rfind(')')) {
        (Some(open), Some(close)) if open < close => name[open + 1..close].trim().to_string(),
        _ => name,
    };
    (!name.is_empty() && !name.contains('@')).then_some(name)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn collapse_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_is_known_by_its_root_element() {
        for feed in [
            &b"<rss version=\"2.0\"><channel/></rss>"[..],
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            b"<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\">",
            b"<!DOCTYPE rss><rss>",
        ] {
            assert!(is_feed(feed), "{}", String::from_utf8_lossy(feed));
        }
        for not in [
            &b"<html><body>rss</body></html>"[..],
            b"<!doctype html><feedback>",
            b"not xml at all",
            b"<?xml version=\"1.0\"",
            b"",
        ] {
            assert!(!is_feed(not), "{}", String::from_utf8_lossy(not));
        }
    }

    #[test]
    fn entry_dates_are_the_dates_the_feed_states_in_its_own_offset() {
        let feed = br#"<rss version="2.0"><channel><title>T</title>
            <item><title>Late in Kyiv</title><link>https://a.example/1</link>
              <pubDate>Tue, 25 Nov 2025 00:30:00 +0200</pubDate></item>
            <item><title>No date</title><link>/2</link></item>
            </channel></rss>"#;
        let entries = parse(feed, Some("https://a.example/feed")).unwrap();
        assert_eq!(entries[0].published, NaiveDate::from_ymd_opt(2025, 11, 25));
        assert_eq!(entries[0].id, "https://a.example/1");
        assert_eq!(entries[1].published, None);
        assert_eq!(entries[1].link.as_deref(), Some("https://a.example/2"));
    }

    #[test]
    fn not_xml_is_one_line() {
        let err = parse(b"<rss><channel><item>\n\n<title>cut", None).unwrap_err();
        assert!(!err.contains('\n'), "{err}");
        assert!(parse(b"{\"version\": \"json feed\"}", None).is_err());
    }
}
