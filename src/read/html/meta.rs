//! What a web page says about itself: title, publisher, date, author, url and language, from
//! every place pages put them (meta tags, Open Graph, JSON-LD, `<time>`, the canonical link).
//!
//! Each field is read from its places in a fixed order, the first usable value winning:
//!
//! | field | places, in order |
//! | --- | --- |
//! | publisher | `og:site_name`; JSON-LD `publisher.name` of the article node (`NewsArticle`, `Article`, ... also inside `@graph`, a publisher given by `@id` followed); `application-name`; `twitter:site` (without its `@`) |
//! | published | `article:published_time`; JSON-LD `datePublished`; `pubdate`, `publishdate`, `date`, `DC.date`, `DC.date.issued`, `dcterms.date`, `dcterms.created`, `og:published_time`, `sailthru.date`, `parsely-pub-date`, `itemprop=datePublished`; `<time datetime>` (one marked `pubdate` or `itemprop=datePublished`, then the first inside `<article>`, then the first anywhere); the text of an element whose class or id says it is the date (`article_date`, `posted-on`; the first inside `<article>`, then the first anywhere; never an update's, a comment's or a sidebar's); last, a `/2019/11/18/` or `/2019/nov/18/` run in the url's path |
//! | author | `author` meta; JSON-LD `author` name(s); `article:author`, `parsely-author`, `sailthru.author` (not a url) |
//! | title | `og:title`; JSON-LD `headline`; `twitter:title`; `<title>`; the first `<h1>` |
//! | url | `<link rel=canonical>`; `og:url`; JSON-LD `url`, `mainEntityOfPage` |
//! | language | `<html lang>`; JSON-LD `inLanguage`; `og:locale` |
//!
//! The date is the calendar date the page states, in its own offset. When the winning stamp is
//! in UTC (`...Z`, `+00:00`) and another place gives the same moment in a local offset, the
//! local one is the page's own date (a story published at 22:00 in New York is dated that day,
//! not the next one in UTC).
//!
//! Nothing is invented: the publisher is never made up from the url's host (the url is kept
//! as the url), and a page none of these places names has an unknown publisher, date, author.

use super::super::date;
use super::super::parse_date;
use super::json_repair;
use super::{collapse, usable};
use crate::model::ArticleMeta;
use chrono::{DateTime, FixedOffset, NaiveDate};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// JSON-LD types whose node describes the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
];

/// Meta names that carry a publication date, after `article:published_time`.
const DATE_METAS: &[&str] = &[
    "article:published",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "dcterms.issued",
    "og:published_time",
    "sailthru.date",
    "parsely-pub-date",
    "sn-post-date",
    "pdate",
    "datepublished",
];

/// How deep a JSON-LD value is walked for article nodes; real pages nest a few levels.
const MAX_JSON_DEPTH: usize = 16;

pub(super) fn read(page: &Html) -> ArticleMeta {
    let metas = Metas::of(page);
    let ld = JsonLd::of(page);

    let publisher = metas
        .get("og:site_name")
        .or_else(|| ld.publisher())
        .or_else(|| metas.get("application-name"))
        .or_else(|| {
            metas
                .get("twitter:site")
                .map(|s| s.trim_start_matches('@').to_string())
                .filter(|s| usable(s))
        });

    let title = metas
        .get("og:title")
        .or_else(|| ld.text("headline"))
        .or_else(|| metas.get("twitter:title"))
        .or_else(|| text_of(page, "title"))
        .or_else(|| text_of(page, "h1"));

    let author = metas
        .get("author")
        .filter(|a| !is_url(a))
        .or_else(|| ld.author())
        .or_else(|| {
            ["article:author", "parsely-author", "sailthru.author"]
                .iter()
                .find_map(|k| metas.get(k).filter(|a| !is_url(a)))
        });

    let url = canonical(page)
        .or_else(|| metas.get("og:url"))
        .or_else(|| ld.text("url").filter(|u| is_url(u)))
        .or_else(|| ld.main_entity_url());

    let language = page
        .root_element()
        .value()
        .attr("lang")
        .map(str::trim)
        .filter(|l| usable(l))
        .map(str::to_string)
        .or_else(|| ld.text("inLanguage"))
        .or_else(|| metas.get("og:locale"));

    ArticleMeta {
        title,
        outlet: publisher,
        published: published(page, &metas, &ld, url.as_deref()),
        url,
        author,
        language,
    }
}

/// The date candidates in the documented order; the first that parses wins, unless it is a
/// UTC stamp and a later one gives the same moment in the page's own offset.
fn published(page: &Html, metas: &Metas, ld: &JsonLd, page_url: Option<&str>) -> Option<NaiveDate> {
    let mut candidates: Vec<String> = Vec::new();
    candidates.extend(metas.get("article:published_time"));
    candidates.extend(ld.any_text("datePublished"));
    candidates.extend(DATE_METAS.iter().filter_map(|k| metas.get(k)));
    candidates.extend(times(page));
    candidates.extend(date_elements(page));
    // "2019-11-18 17:19:53 GMT": the zone name of UTC written out.
    for c in &mut candidates {
        if let Some(stamp) = c.strip_suffix(" GMT").or_else(|| c.strip_suffix(" UTC")) {
            *c = format!("{stamp}Z");
        }
    }
    let Some((first, date)) = candidates
        .iter()
        .enumerate()
        .find_map(|(i, c)| parse_date(c).or_else(|| written_out(c)).map(|d| (i, d)))
    else {
        return page_url.and_then(url_date);
    };
    let Some(moment) = date::instant(&candidates[first]) else {
        return Some(date);
    };
    if moment.offset().local_minus_utc() != 0 {
        return Some(date);
    }
    let local = candidates[first + 1..]
        .iter()
        .filter_map(|c| date::instant(c))
        .find(|other| other.offset().local_minus_utc() != 0 && same_moment(other, &moment));
    Some(local.map_or(date, |l| l.date_naive()))
}

/// The forms date tags are also filled with, beyond the strict ones files accept: only the
/// calendar date, read from the start of the value ("November 19, 2019, 07:47 PM EST",
/// "19 Nov 2019 07:09 GMT", "2019/11/19", "20191119"). A tag that says it holds the
/// publication date and states a day unambiguously; never a relative date ("1 day ago").
fn written_out(value: &str) -> Option<NaiveDate> {
    const FORMATS: &[&str] = &[
        "%Y/%m/%d",
        "%Y%m%d",
        "%B %d, %Y",
        "%b %d, %Y",
        "%b. %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%a %b %d %Y",
    ];
    // "18th" is "18"; a weekday before the date ("Monday, November 18, 2019") or a time
    // ("01:38:07 PM IST Nov 20, 2019") is passed over: the date may start at any of the
    // first words, and the longest run from there that parses is it.
    let words: Vec<String> = value
        .split_whitespace()
        .take(MAX_DATE_WORDS)
        .map(without_ordinal)
        .collect();
    (0..words.len()).find_map(|start| {
        let rest = &words[start..];
        (1..=rest.len().min(4)).rev().find_map(|n| {
            let head = rest[..n].join(" ");
            let head = head.trim_end_matches(',');
            FORMATS.iter().find_map(|f| {
                NaiveDate::parse_from_str(head, f)
                    .ok()
                    .filter(|_| f != &"%Y%m%d" || head.len() == 8)
            })
        })
    })
}

/// How many words of a date value are looked through for the date.
const MAX_DATE_WORDS: usize = 8;

/// "18th," as "18,": an English ordinal day is a day.
fn without_ordinal(word: &str) -> String {
    let (core, tail) = match word.strip_suffix(',') {
        Some(core) => (core, ","),
        None => (word, ""),
    };
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(day) = core.strip_suffix(suffix)
            && !day.is_empty()
            && day.len() <= 2
            && day.bytes().all(|b| b.is_ascii_digit())
        {
            return format!("{day}{tail}");
        }
    }
    word.to_string()
}

/// Words in a class or id that say an element shows the article's date.
const DATE_MARKS: &[&str] = &["date", "publish", "posted", "timestamp"];

/// Words that say the date shown is not the publication's, in the element's marks or text.
const NOT_PUBLISHED: &[&str] = &["update", "modified", "edited", "comment"];

/// Words in an enclosing element's class or id that mark furniture whose dates are other
/// stories' or other people's (a sidebar's tweets, a comment's time, related links).
const ELSEWHERE: &[&str] = &[
    "comment",
    "sidebar",
    "widget",
    "related",
    "footer",
    "tweet",
    "promo",
    "recommend",
];

/// The longest text a date element may hold: a date with its label and time, not a
/// paragraph that happens to mention one.
const MAX_DATE_ELEMENT_CHARS: usize = 80;

/// The text of elements the page marks as its date (`class="article_date"`, `id="posted"`):
/// the first inside an `<article>`, then the first anywhere; never one in a sidebar, a
/// comment or a list of other stories, nor one that says it is an update.
fn date_elements(page: &Html) -> Vec<String> {
    let Ok(selector) = Selector::parse("body [class], body [id]") else {
        return Vec::new();
    };
    let marks = |e: &scraper::node::Element| {
        format!("{} {}", e.attr("class").unwrap_or(""), e.id().unwrap_or("")).to_ascii_lowercase()
    };
    let dated: Vec<(bool, String)> = page
        .select(&selector)
        .filter(|e| {
            let m = marks(e.value());
            DATE_MARKS.iter().any(|w| m.contains(w)) && !NOT_PUBLISHED.iter().any(|w| m.contains(w))
        })
        .filter_map(|e| {
            let text = collapse(&short_text(e)?);
            let lower = text.to_lowercase();
            if text.is_empty()
                || text.chars().count() > MAX_DATE_ELEMENT_CHARS
                || NOT_PUBLISHED.iter().any(|w| lower.contains(w))
            {
                return None;
            }
            let mut in_article = false;
            for a in e
                .ancestors()
                .filter_map(|a| a.value().as_element().map(|e| (a, e)))
            {
                let (_, el) = a;
                if matches!(el.name(), "aside" | "nav" | "footer") {
                    return None;
                }
                let m = marks(el);
                if ELSEWHERE.iter().any(|w| m.contains(w)) {
                    return None;
                }
                in_article |= el.name() == "article";
            }
            Some((in_article, text))
        })
        .collect();
    let in_article = dated.iter().find(|(inside, _)| *inside);
    [in_article, dated.first()]
        .into_iter()
        .flatten()
        .map(|(_, text)| text.clone())
        .collect()
}

/// The text of `e` if it is short enough to be a date element's, read no further than that:
/// elements marked "date" may nest around a whole page, and each is looked at.
fn short_text(e: ElementRef<'_>) -> Option<String> {
    // Whitespace is collapsed after: allow for a page's indentation around the date.
    const MAX_RAW_BYTES: usize = 16 * MAX_DATE_ELEMENT_CHARS;
    let mut text = String::new();
    for piece in e.text() {
        if text.len() + piece.len() > MAX_RAW_BYTES {
            return None;
        }
        text.push_str(piece);
    }
    Some(text)
}

/// The date in a url's path as news sites write it: `/2019/11/18/` or `/2019/nov/18/`. Only a
/// full year/month/day run of path segments; never a lone year or a number in a slug.
fn url_date(url: &str) -> Option<NaiveDate> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let path = url.split(['?', '#']).next()?;
    let path = path.split_once("//").map_or(path, |(_, rest)| rest);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    segments.windows(4).find_map(|w| {
        let [y, m, d, _] = w else { return None };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !(digits(d, 2) || digits(d, 1)) {
            return None;
        }
        let month = if digits(m, 2) || digits(m, 1) {
            m.parse().ok()?
        } else {
            let m = m.to_ascii_lowercase();
            MONTHS.iter().position(|name| m == *name)? as u32 + 1
        };
        NaiveDate::from_ymd_opt(y.parse().ok()?, month, d.parse().ok()?)
    })
}

/// Two stamps of one publication: the same moment to the minute (pages round differently).
fn same_moment(a: &DateTime<FixedOffset>, b: &DateTime<FixedOffset>) -> bool {
    (a.timestamp() - b.timestamp()).abs() < 60
}

/// `<time datetime>` values: the one the page marks as the publication time, then the first
/// inside an `<article>`, then the first anywhere.
fn times(page: &Html) -> Vec<String> {
    let Ok(selector) = Selector::parse("time[datetime]") else {
        return Vec::new();
    };
    let all: Vec<ElementRef<'_>> = page.select(&selector).collect();
    let marked = all.iter().find(|t| {
        let v = t.value();
        v.attr("pubdate").is_some()
            || v.attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
    });
    let in_article = all.iter().find(|t| {
        t.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.name() == "article")
        })
    });
    [marked, in_article, all.first()]
        .into_iter()
        .flatten()
        .filter_map(|t| t.value().attr("datetime"))
        .map(collapse)
        .filter(|s| usable(s))
        .collect()
}

fn canonical(page: &Html) -> Option<String> {
    let selector = Selector::parse("link[href]").ok()?;
    page.select(&selector)
        .find(|l| {
            l.value().attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
            })
        })
        .and_then(|l| l.value().attr("href"))
        .map(|h| h.trim().to_string())
        .filter(|h| usable(h) && is_url(h))
}

fn text_of(page: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    page.select(&selector)
        .next()
        .map(|e| collapse(&e.text().collect::<String>()))
        .filter(|s| usable(s))
}

/// An absolute http(s) url: what a url field must be, and what an author or a canonical link
/// is not when it is one.
fn is_url(s: &str) -> bool {
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The page's `<meta>` tags, keyed by `property`, `name` or `itemprop` (lower-case).
struct Metas(Vec<(String, String)>);

impl Metas {
    fn of(page: &Html) -> Metas {
        let mut all = Vec::new();
        if let Ok(selector) = Selector::parse("meta") {
            for m in page.select(&selector) {
                let v = m.value();
                // Some pages write `value` where `content` belongs (`twitter:site`).
                let Some(content) = v.attr("content").or_else(|| v.attr("value")) else {
                    continue;
                };
                // `itemprop="datePublished dateCreated"`: one key per token.
                for key in [v.attr("property"), v.attr("name"), v.attr("itemprop")]
                    .into_iter()
                    .flatten()
                    .flat_map(str::split_ascii_whitespace)
                {
                    all.push((key.to_ascii_lowercase(), content.to_string()));
                }
            }
        }
        Metas(all)
    }

    /// The first usable value for `key` (lower-case).
    fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| collapse(v))
            .find(|v| usable(v))
    }
}

/// The article nodes of the page's JSON-LD blocks, and every node with an `@id` (so that a
/// publisher given by reference can be followed).
struct JsonLd {
    articles: Vec<Value>,
    others: Vec<Value>,
    by_id: Vec<(String, Value)>,
}

impl JsonLd {
    fn of(page: &Html) -> JsonLd {
        let mut ld = JsonLd {
            articles: Vec::new(),
            others: Vec::new(),
            by_id: Vec::new(),
        };
        let Ok(selector) = Selector::parse("script") else {
            return ld;
        };
        for script in page.select(&selector) {
            let json_ld = script
                .value()
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if !json_ld {
                continue;
            }
            let text: String = script.text().collect();
            // A block that is not valid JSON (pages hand-write them) is skipped, not an error.
            // Raw line breaks and tabs inside strings are common and invalid JSON; as spaces
            // they are valid anywhere.
            let strict = |text: &str| {
                serde_json::from_str::<Value>(text.replace(|c: char| c.is_control(), " ").trim())
            };
            // Repaired from the text as written: a `//` comment ends at its line break.
            let value = strict(&text).or_else(|_| strict(&json_repair::repaired(&text)));
            if let Ok(value) = value {
                ld.collect(value, 0);
            }
        }
        ld
    }

    fn collect(&mut self, value: Value, depth: usize) {
        if depth > MAX_JSON_DEPTH {
            return;
        }
        match value {
            Value::Array(items) => {
                for item in items {
                    self.collect(item, depth + 1);
                }
            }
            Value::Object(mut map) => {
                if let Some(graph) = map.remove("@graph") {
                    self.collect(graph, depth + 1);
                }
                let node = Value::Object(map);
                if let Some(id) = node.get("@id").and_then(Value::as_str) {
                    self.by_id.push((id.to_string(), node.clone()));
                }
                if has_type(&node, ARTICLE_TYPES) {
                    self.articles.push(node);
                } else if node.get("datePublished").is_some() || node.get("publisher").is_some() {
                    // A `WebPage` or an untyped node that still dates the page or names its
                    // publisher: after every article node.
                    self.others.push(node);
                }
            }
            _ => {}
        }
    }

    /// The first usable string of `key` over the article nodes.
    fn text(&self, key: &str) -> Option<String> {
        self.articles
            .iter()
            .filter_map(|a| a.get(key))
            .find_map(string_of)
    }

    /// The article nodes, then the other nodes that date a page or name its publisher.
    fn nodes(&self) -> impl Iterator<Item = &Value> {
        self.articles.iter().chain(&self.others)
    }

    /// The first usable string of `key` over every node, articles first.
    fn any_text(&self, key: &str) -> Option<String> {
        self.nodes().filter_map(|a| a.get(key)).find_map(string_of)
    }

    fn publisher(&self) -> Option<String> {
        self.nodes()
            .filter_map(|a| a.get("publisher"))
            .find_map(|p| self.name_of(p))
    }

    /// The author names of the first article node that has any, joined by ", ".
    fn author(&self) -> Option<String> {
        self.articles
            .iter()
            .filter_map(|a| a.get("author"))
            .find_map(|a| {
                let names: Vec<String> = match a {
                    Value::Array(items) => items.iter().filter_map(|i| self.name_of(i)).collect(),
                    one => self.name_of(one).into_iter().collect(),
                };
                let joined = names.join(", ");
                usable(&joined).then_some(joined)
            })
    }

    fn main_entity_url(&self) -> Option<String> {
        self.articles
            .iter()
            .filter_map(|a| a.get("mainEntityOfPage"))
            .find_map(|m| match m {
                Value::String(s) => Some(collapse(s)),
                Value::Object(o) => o.get("@id").and_then(string_of),
                _ => None,
            })
            .filter(|u| is_url(u) && usable(u))
    }

    /// The name of a person or organisation given as a string, an object with a `name`, an
    /// array (its first named item) or a reference to a node by `@id`.
    fn name_of(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(collapse(s)).filter(|s| usable(s) && !is_url(s)),
            Value::Array(items) => items.iter().find_map(|i| self.name_of(i)),
            Value::Object(o) => o
                .get("name")
                .and_then(string_of)
                .filter(|s| !is_url(s))
                .or_else(|| {
                    let id = o.get("@id")?.as_str()?;
                    let (_, node) = self.by_id.iter().find(|(i, n)| i == id && n != value)?;
                    node.get("name").and_then(string_of).filter(|s| !is_url(s))
                }),
            _ => None,
        }
    }
}

fn has_type(node: &Value, types: &[&str]) -> bool {
    let is = |t: &Value| {
        t.as_str().is_some_and(|t| {
            let t = t.rsplit(['/', ':']).next().unwrap_or(t);
            types.iter().any(|k| k.eq_ignore_ascii_case(t))
        })
    };
    match node.get("@type") {
        Some(Value::Array(ts)) => ts.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

/// A usable string: a JSON string, or the first string of an array of them.
fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(collapse(s)).filter(|s| usable(s)),
        Value::Array(items) => items.iter().find_map(string_of),
        _ => None,
    }
}
