//! The report as schema.org ClaimReview JSON-LD: a JSON array with one object per claim
//! whose current status is not `unverified`, with the fields and nesting of Google's
//! example (`../shared/reference/claimreview-google-example.jsonld`):
//!
//! - `url`: where the review is published, from `--review-url`'s template with `{id}`
//!   replaced by the claim's id (Google requires it; claimtrail does not publish the reviews,
//!   so the fact-checker says where they are);
//! - `claimReviewed`: the claim text as the source put it, cut at a word with "…" when it is
//!   over [`CLAIM_REVIEWED_CHARS`] characters, as Google's guidance asks; the whole text is
//!   the `text` of `itemReviewed`;
//! - `itemReviewed`: a `Claim` whose `author` is the original speaker (a `Person` for people,
//!   an `Organization` for outlets, organisations and documents, a bare `name` without a
//!   type for an anonymous or collective source, which is neither a known person nor an
//!   organisation; the publisher when the text names no speaker), `datePublished` the
//!   article's date, and `appearance` the article (`NewsArticle` with `url`, `headline`,
//!   `datePublished`, `publisher` as an `Organization`);
//! - `author`: who reviews, `--org` as an `Organization`, else `--by`, else the claim's
//!   latest reviewer, as a `Person`;
//! - `reviewRating`: see [`rating`];
//! - `datePublished`: the date of the latest verdict.
//!
//! A field whose value is unknown (an article without url, date or publisher, a verdict
//! without reviewer) is left out rather than invented.

use super::{Report, ReportClaim, date_of};
// JSON keeps the text as it is, single-spaced; `script_safe` and `terminal::json` make it
// inert.
use crate::model::{SourceKind, Status};
use crate::terminal::single_spaced as one_line;
use serde_json::{Map, Value, json};

/// Who is named as the author of the reviews, and where they are published.
#[derive(Debug, Clone, Default)]
pub struct Reviewer {
    /// `--org`: an organisation, for every review.
    pub org: Option<String>,
    /// `--by`: a person, for every review when there is no organisation.
    pub by: Option<String>,
    /// `--review-url`: each review's url, `{id}` standing for the claim's id.
    pub url: String,
}

/// Google's guidance keeps `claimReviewed` under 75 characters.
pub const CLAIM_REVIEWED_CHARS: usize = 75;

/// The placeholder of `--review-url` that stands for the claim's id.
pub const ID_PLACEHOLDER: &str = "{id}";

/// Whether `template` can be `--review-url`: an http(s) url with one `{id}`, so that every
/// review has its own address. The error says what is wrong, in words.
pub fn check_review_url(template: &str) -> Result<(), String> {
    let t = template.trim();
    if !(t.starts_with("https://") || t.starts_with("http://")) {
        return Err("--review-url must be an http:// or https:// url".into());
    }
    if t.matches(ID_PLACEHOLDER).count() != 1 {
        return Err(format!(
            "--review-url must hold {ID_PLACEHOLDER} once, where each claim's id goes \
             (e.g. https://factcheck.example/claims/{ID_PLACEHOLDER})"
        ));
    }
    // Printable ASCII only (a non-ASCII character is written percent-encoded): no space,
    // control, bidi or invisible character can make a url that reads as another.
    if !t.chars().all(|c| c.is_ascii_graphic()) {
        return Err(
            "--review-url must be printable ASCII, without spaces (percent-encode the rest)".into(),
        );
    }
    let rest = t.split_once("://").map_or("", |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(ID_PLACEHOLDER) {
        return Err("--review-url must name its host before {id}".into());
    }
    Ok(())
}

/// `text` cut at a word boundary with "…" when it is over `max` characters.
fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    // Room for the ellipsis; cut before the last word that would not fit whole.
    let head: String = text.chars().take(max - 1).collect();
    let next_is_space = text.chars().nth(max - 1).is_some_and(char::is_whitespace);
    let kept = if next_is_space {
        head.as_str()
    } else {
        match head.rfind(char::is_whitespace) {
            Some(at) if at > 0 => &head[..at],
            // One word longer than the limit: cut inside it.
            _ => head.as_str(),
        }
    };
    let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    format!("{kept}…")
}

/// The ClaimReview rating of a status: `ratingValue` on the 1 (worst) to 5 (best) scale and
/// its `alternateName`. `None` for `unverified`, which is no review at all.
///
/// | status        | ratingValue | alternateName |
/// | ------------- | ----------- | ------------- |
/// | confirmed     | 5           | True          |
/// | unconfirmable | 3           | Unproven      |
/// | disputed      | 2           | Disputed      |
/// | false         | 1           | False         |
/// | retracted     | 1           | Retracted     |
pub fn rating(status: Status) -> Option<(u8, &'static str)> {
    match status {
        Status::Unverified => None,
        Status::Confirmed => Some((5, "True")),
        Status::Unconfirmable => Some((3, "Unproven")),
        Status::Disputed => Some((2, "Disputed")),
        Status::False => Some((1, "False")),
        Status::Retracted => Some((1, "Retracted")),
    }
}

pub fn render(report: &Report, reviewer: &Reviewer) -> String {
    let reviews: Vec<Value> = report
        .claims
        .iter()
        .filter_map(|c| review(c, reviewer))
        .collect();
    let json = serde_json::to_string_pretty(&reviews).unwrap_or_default();
    let mut s = script_safe(&crate::terminal::json(&json));
    s.push('\n');
    s
}

/// JSON-LD is embedded in a page inside `<script type="application/ld+json">`, where a claim
/// holding `</script>` would end the script and the rest become live markup. `<`, `>` and
/// `&` can only occur inside JSON strings, so writing them as `\u003c`, `\u003e`, `\u0026`
/// keeps the same JSON value and makes the text safe to embed.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

fn review(c: &ReportClaim, reviewer: &Reviewer) -> Option<Value> {
    let (value, name) = rating(c.status)?;
    let a = &c.article.meta;
    // Never invented: an article whose publisher is unknown names none.
    let publisher = a
        .outlet
        .as_deref()
        .map(one_line)
        .filter(|p| !p.is_empty())
        .map(|p| json!({"@type": "Organization", "name": p}));
    let claim_author = match c.speaker() {
        Some(l) => Some(match schema_type(l.kind) {
            Some(kind) => json!({"@type": kind, "name": one_line(&l.name)}),
            None => json!({"name": one_line(&l.name)}),
        }),
        None => publisher.clone(),
    };
    let mut appearance = Map::new();
    appearance.insert("@type".into(), "NewsArticle".into());
    if let Some(url) = &a.url {
        appearance.insert("url".into(), url.clone().into());
    }
    if let Some(title) = &a.title {
        appearance.insert("headline".into(), one_line(title).into());
    }
    if let Some(date) = a.published {
        appearance.insert("datePublished".into(), date.to_string().into());
    }
    if let Some(p) = publisher {
        appearance.insert("publisher".into(), p);
    }
    // The claim as its source put it: a denial reads as one ("Trump denied that …"), here
    // and in `claimReviewed`, so the item never reads as the source asserting it.
    let text = one_line(&c.statement);
    let mut item = Map::new();
    item.insert("@type".into(), "Claim".into());
    if let Some(author) = claim_author {
        item.insert("author".into(), author);
    }
    item.insert("text".into(), text.clone().into());
    if let Some(date) = a.published {
        item.insert("datePublished".into(), date.to_string().into());
    }
    item.insert("appearance".into(), Value::Object(appearance));

    let latest = c.latest();
    let author = match (&reviewer.org, &reviewer.by) {
        (Some(org), _) => Some(json!({"@type": "Organization", "name": one_line(org)})),
        (None, Some(by)) => Some(json!({"@type": "Person", "name": one_line(by)})),
        // A verdict recorded without a reviewer names none.
        (None, None) => latest
            .and_then(|v| v.reviewer.as_deref())
            .map(|by| json!({"@type": "Person", "name": one_line(by)})),
    };
    let mut review = Map::new();
    review.insert("@context".into(), "https://schema.org".into());
    review.insert("@type".into(), "ClaimReview".into());
    review.insert(
        "url".into(),
        reviewer
            .url
            .trim()
            .replace(ID_PLACEHOLDER, &c.id.to_string())
            .into(),
    );
    review.insert(
        "claimReviewed".into(),
        cut_at_word(&text, CLAIM_REVIEWED_CHARS).into(),
    );
    review.insert("itemReviewed".into(), Value::Object(item));
    if let Some(author) = author {
        review.insert("author".into(), author);
    }
    review.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name
        }),
    );
    if let Some(v) = latest {
        review.insert("datePublished".into(), date_of(&v.created_at).into());
    }
    if c.orphaned {
        // Not a schema.org term (JSON-LD processors ignore it): tells the publisher that
        // the article's latest extraction no longer finds the claim reviewed.
        review.insert("orphaned".into(), true.into());
    }
    Some(Value::Object(review))
}

/// The schema.org type of a source as the author of a claim: none for an anonymous or
/// collective source ("a senior official", "people familiar with the talks"), which is
/// neither a person anyone could look up nor an organisation.
fn schema_type(kind: SourceKind) -> Option<&'static str> {
    match kind {
        SourceKind::Person => Some("Person"),
        SourceKind::Outlet | SourceKind::Organization | SourceKind::Document => {
            Some("Organization")
        }
        SourceKind::Anonymous => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_judged_status_has_a_rating_in_range() {
        for status in Status::ALL {
            match rating(*status) {
                None => assert_eq!(*status, Status::Unverified),
                Some((v, name)) => {
                    assert!((1..=5).contains(&v), "{status}");
                    assert!(!name.is_empty());
                }
            }
        }
    }

    #[test]
    fn claim_reviewed_is_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(cut_at_word("short claim", 75), "short claim");
        let long = "the plan was drafted in Moscow and handed to the envoy before the talks began";
        let cut = cut_at_word(long, 40);
        assert_eq!(cut, "the plan was drafted in Moscow and…");
        assert!(cut.chars().count() <= 40);
        assert!(long.starts_with(cut.trim_end_matches('…')));
        // Exactly at the limit: whole.
        let exact: String = "a".repeat(75);
        assert_eq!(cut_at_word(&exact, 75), exact);
        // One word longer than the limit is cut inside it.
        assert_eq!(
            cut_at_word(&"b".repeat(80), 10),
            format!("{}…", "b".repeat(9))
        );
        // Not bytes: 80 accented letters in words of four.
        let accents = "éééé ".repeat(16);
        assert!(cut_at_word(accents.trim(), 75).chars().count() <= 75);
    }

    #[test]
    fn a_review_url_is_an_http_url_with_one_id() {
        assert!(check_review_url("https://factcheck.example/claims/{id}").is_ok());
        assert!(check_review_url("http://x.example/?c={id}").is_ok());
        assert!(check_review_url("https://factcheck.example/claims/").is_err());
        assert!(check_review_url("https://x.example/{id}/{id}").is_err());
        assert!(check_review_url("ftp://x.example/{id}").is_err());
        assert!(check_review_url("javascript:alert(1)//{id}").is_err());
        assert!(check_review_url("https://x.example/a b/{id}").is_err());
        assert!(check_review_url("https://{id}").is_err());
        assert!(check_review_url("https:///{id}").is_err());
        assert!(check_review_url("https://x.example/\u{202e}/{id}").is_err());
        assert!(check_review_url("https://x.example/\u{200b}{id}").is_err());
    }

    #[test]
    fn script_safe_json_is_the_same_value_and_cannot_end_a_script() {
        let value = json!({"claimReviewed": "</script><script>alert('x' & 1)</script>"});
        let safe = script_safe(&value.to_string());
        assert!(
            !safe.contains('<') && !safe.contains('>') && !safe.contains('&'),
            "{safe}"
        );
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), value);
    }
}
