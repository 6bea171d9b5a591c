//! The report as schema.org ClaimReview JSON-LD: a JSON array with one object per claim
//! whose current status is not `unverified`, with the fields and nesting of Google's
//! example (`../shared/reference/claimreview-google-example.jsonld`):
//!
//! - `claimReviewed`: the claim text;
//! - `itemReviewed`: a `Claim` whose `author` is the original speaker (a `Person` for people
//!   and anonymous sources, an `Organization` otherwise; the publisher when the text names no
//!   speaker), `datePublished` the article's date, and `appearance` the article
//!   (`NewsArticle` with `url`, `headline`, `datePublished`, `publisher` as an
//!   `Organization`);
//! - `author`: who reviews, `--org` as an `Organization`, else `--by`, else the claim's
//!   latest reviewer, as a `Person`;
//! - `reviewRating`: see [`rating`];
//! - `datePublished`: the date of the latest verdict.
//!
//! A field whose value is unknown (an article without url or date) is left out rather than
//! invented. There is no review `url`: claimtrail does not publish the reviews.

use super::{Report, ReportClaim, UNKNOWN_OUTLET, date_of};
// JSON keeps the text as it is, single-spaced; `script_safe` and `terminal::json` make it
// inert.
use crate::model::{SourceKind, Status};
use crate::terminal::single_spaced as one_line;
use serde_json::{Map, Value, json};

/// Who is named as the author of the reviews.
#[derive(Debug, Clone, Default)]
pub struct Reviewer {
    /// `--org`: an organisation, for every review.
    pub org: Option<String>,
    /// `--by`: a person, for every review when there is no organisation.
    pub by: Option<String>,
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
    let publisher = one_line(a.outlet.as_deref().unwrap_or(UNKNOWN_OUTLET));
    let claim_author = match c.speaker() {
        Some(l) => json!({"@type": schema_type(l.kind), "name": one_line(&l.name)}),
        None => json!({"@type": "Organization", "name": publisher}),
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
    appearance.insert(
        "publisher".into(),
        json!({"@type": "Organization", "name": publisher}),
    );
    let mut item = Map::new();
    item.insert("@type".into(), "Claim".into());
    item.insert("author".into(), claim_author);
    if let Some(date) = a.published {
        item.insert("datePublished".into(), date.to_string().into());
    }
    item.insert("appearance".into(), Value::Object(appearance));

    let latest = c.latest();
    let author = match (&reviewer.org, &reviewer.by) {
        (Some(org), _) => json!({"@type": "Organization", "name": org}),
        (None, Some(by)) => json!({"@type": "Person", "name": by}),
        (None, None) => json!({
            "@type": "Person",
            "name": latest.and_then(|v| v.reviewer.clone()).unwrap_or_else(|| "unknown".into())
        }),
    };
    let mut review = Map::new();
    review.insert("@context".into(), "https://schema.org".into());
    review.insert("@type".into(), "ClaimReview".into());
    review.insert("claimReviewed".into(), one_line(&c.statement).into());
    review.insert("itemReviewed".into(), Value::Object(item));
    review.insert("author".into(), author);
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

/// The schema.org type of a source as the author of a claim.
fn schema_type(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Person | SourceKind::Anonymous => "Person",
        SourceKind::Outlet | SourceKind::Organization | SourceKind::Document => "Organization",
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
