//! Reading schema.org ClaimReview JSON-LD as fact-checkers publish it and as
//! `claimtrail report --format claimreview` writes it: a JSON array of reviews, an object
//! with an `@graph` array, one review object, or one object per line (JSON Lines).
//!
//! Objects of other types inside a graph (a `WebPage`, an `Organization` …) are passed
//! over: a page's JSON-LD commonly carries them beside the review. An object that says it
//! is a `ClaimReview` but has no `claimReviewed` text is an error, not a silent skip: the
//! fact-checker would otherwise believe it was imported.

use serde_json::Value;

/// One outside fact-check, as read from its ClaimReview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Review {
    /// `claimReviewed`, as given.
    pub claim_reviewed: String,
    /// `itemReviewed.text` when given (claimtrail writes the whole claim there and a cut
    /// `claimReviewed`): matched on together with `claim_reviewed`.
    pub item_text: Option<String>,
    /// `reviewRating.alternateName`, else `ratingValue` out of `bestRating`.
    pub rating: Option<String>,
    /// `author.name` of the review (the fact-checking organisation or person).
    pub reviewer: Option<String>,
    /// `url` of the review.
    pub url: Option<String>,
    /// `datePublished` of the review, as given.
    pub published: Option<String>,
    /// `itemReviewed.author.name`: who made the claim.
    pub claimant: Option<String>,
}

impl Review {
    /// The text the claim is matched on: the whole claim when the review gives it.
    pub fn match_text(&self) -> String {
        match &self.item_text {
            Some(t) if !t.trim().is_empty() && t.trim() != self.claim_reviewed.trim() => {
                format!("{} {}", self.claim_reviewed, t)
            }
            _ => self.claim_reviewed.clone(),
        }
    }
}

/// Why a file is not ClaimReview JSON-LD, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("not JSON-LD: {0}")]
    NotJson(String),
    #[error("no ClaimReview in it (an object with \"@type\": \"ClaimReview\")")]
    NoReview,
    #[error("review {0}: a ClaimReview without claimReviewed text")]
    NoClaimReviewed(usize),
}

/// The reviews of a ClaimReview JSON-LD document, in file order.
pub fn parse(text: &str) -> Result<Vec<Review>, ReviewError> {
    let text = text.trim_start_matches('\u{feff}');
    let values = match serde_json::from_str::<Value>(text) {
        Ok(v) => vec![v],
        Err(whole) => {
            // JSON Lines: every non-blank line one JSON value; if the first line is not
            // JSON either, the whole file's error is the one to show.
            let mut values = Vec::new();
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(line) {
                    Ok(v) => values.push(v),
                    Err(e) if values.is_empty() => {
                        let _ = e;
                        return Err(ReviewError::NotJson(whole.to_string()));
                    }
                    Err(e) => return Err(ReviewError::NotJson(format!("line {}: {e}", n + 1))),
                }
            }
            values
        }
    };
    let mut objects = Vec::new();
    for v in &values {
        collect(v, &mut objects);
    }
    if objects.is_empty() {
        return Err(ReviewError::NoReview);
    }
    objects
        .into_iter()
        .enumerate()
        .map(|(i, o)| review(o).ok_or(ReviewError::NoClaimReviewed(i + 1)))
        .collect()
}

/// The ClaimReview objects in `v`: itself, the items of an array, the members of `@graph`.
fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(o) => {
            if is_type(v, "ClaimReview") {
                out.push(v);
            } else if let Some(graph) = o.get("@graph") {
                collect(graph, out);
            }
        }
        _ => {}
    }
}

/// Whether `@type` is `t` or a list holding it (`schema:ClaimReview` and full IRIs too).
fn is_type(v: &Value, t: &str) -> bool {
    let names = |s: &str| {
        let s = s.rsplit(['/', ':', '#']).next().unwrap_or(s);
        s == t
    };
    match v.get("@type") {
        Some(Value::String(s)) => names(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(names),
        _ => false,
    }
}

fn review(o: &Value) -> Option<Review> {
    let claim_reviewed = text(o.get("claimReviewed")?)?;
    let item = o.get("itemReviewed");
    Some(Review {
        claim_reviewed,
        item_text: item.and_then(|i| i.get("text")).and_then(text),
        rating: o.get("reviewRating").and_then(rating),
        reviewer: o.get("author").and_then(name),
        url: o.get("url").and_then(text),
        published: o.get("datePublished").and_then(text),
        claimant: item.and_then(|i| i.get("author")).and_then(name),
    })
}

/// A non-blank string, single-spaced; numbers as written.
fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// `name` of an object (or the first of a list of them), or a bare string.
fn name(v: &Value) -> Option<String> {
    match v {
        Value::Array(a) => a.iter().find_map(name),
        Value::Object(_) => v.get("name").and_then(text),
        Value::String(_) => text(v),
        _ => None,
    }
}

fn rating(v: &Value) -> Option<String> {
    if let Some(n) = v.get("alternateName").and_then(text) {
        return Some(n);
    }
    let value = v.get("ratingValue").and_then(text)?;
    Some(match v.get("bestRating").and_then(text) {
        Some(best) => format!("{value}/{best}"),
        None => value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOGLE: &str = r#"{"@context": "https://schema.org", "@type": "ClaimReview",
        "url": "https://example.com/flat", "claimReviewed": "The world is flat",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization",
        "name": "Square World Society"}}, "author": {"@type": "Organization",
        "name": "Example.com science watch"}, "datePublished": "2024-06-23",
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5,
        "alternateName": "False"}}"#;

    #[test]
    fn one_object_gives_every_field() {
        let r = parse(GOOGLE).unwrap();
        assert_eq!(
            r,
            vec![Review {
                claim_reviewed: "The world is flat".into(),
                item_text: None,
                rating: Some("False".into()),
                reviewer: Some("Example.com science watch".into()),
                url: Some("https://example.com/flat".into()),
                published: Some("2024-06-23".into()),
                claimant: Some("Square World Society".into()),
            }]
        );
    }

    #[test]
    fn a_graph_a_list_and_json_lines_give_the_same_reviews() {
        let graph = format!(
            r#"{{"@context": "https://schema.org", "@graph": [{{"@type": "WebPage"}}, {GOOGLE}]}}"#
        );
        let list = format!("[{GOOGLE}, {GOOGLE}]");
        let lines = format!(
            "{}\n\n{}\n",
            GOOGLE.replace('\n', " "),
            GOOGLE.replace('\n', " ")
        );
        assert_eq!(parse(&graph).unwrap().len(), 1);
        assert_eq!(parse(&list).unwrap().len(), 2);
        assert_eq!(parse(&lines).unwrap(), parse(&list).unwrap());
    }

    #[test]
    fn a_rating_without_a_name_is_its_value_out_of_the_best() {
        let r = parse(
            r#"{"@type": "ClaimReview", "claimReviewed": "x",
            "reviewRating": {"ratingValue": 2, "bestRating": 5}}"#,
        )
        .unwrap();
        assert_eq!(r[0].rating.as_deref(), Some("2/5"));
        assert_eq!(r[0].reviewer, None);
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        assert!(matches!(parse("claim: flat"), Err(ReviewError::NotJson(_))));
        assert_eq!(parse(r#"{"@type": "WebPage"}"#), Err(ReviewError::NoReview));
        assert_eq!(
            parse(r#"[{"@type": "ClaimReview", "claimReviewed": "a"}, {"@type": "ClaimReview"}]"#),
            Err(ReviewError::NoClaimReviewed(2))
        );
    }

    #[test]
    fn match_text_adds_the_whole_claim_claimtrail_writes() {
        let r = parse(
            r#"{"@type": "ClaimReview", "claimReviewed": "The company plans to…",
            "itemReviewed": {"text": "The company plans to sell its stake."}}"#,
        )
        .unwrap();
        assert_eq!(
            r[0].match_text(),
            "The company plans to… The company plans to sell its stake."
        );
    }
}
