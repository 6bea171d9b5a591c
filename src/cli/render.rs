//! Rendering claims for people: an article header and a claim with its attribution chain as
//! an indented tree. Shared by every command that shows claims, so they all look alike.

use crate::model::{ArticleMeta, Claim};
use crate::report::{UNKNOWN_OUTLET, one_line};
use std::fmt::Write;

/// "Title" on one line, then outlet, date and url (each "unknown" when it is); each made
/// one line and inert, since a title may hold a carriage return.
pub(crate) fn article_header(meta: &ArticleMeta) -> String {
    let title = one_line(meta.title.as_deref().unwrap_or("(untitled)"));
    let outlet = one_line(meta.outlet.as_deref().unwrap_or(UNKNOWN_OUTLET));
    let published = meta
        .published
        .map(|d| d.to_string())
        .unwrap_or_else(|| "date unknown".into());
    let mut s = format!("{title}\n{outlet}, {published}");
    if let Some(url) = &meta.url {
        let _ = write!(s, ", {}", one_line(url));
    }
    s
}

/// One claim: its text and how the article presents it, then its chain, the publisher at
/// the root and the original speaker deepest:
///
/// ```text
/// "We put a 20-point Trump plan together"  direct_quote, certain
///   Kyiv Daily (outlet)           publisher
///   └─ Bloomberg (outlet)         relay: according to
///      └─ Steve Witkoff (person)  speaker: told → Yuri Ushakov
/// ```
pub(crate) fn claim_tree(claim: &Claim) -> String {
    let mut s = format!(
        "\"{}\"  {}, {}",
        one_line(&claim.statement()),
        claim.kind,
        claim.certainty
    );
    if !claim.hedges.is_empty() {
        let _ = write!(s, " (hedges: {})", one_line(&claim.hedges.join(", ")));
    }
    if claim.chain.is_empty() {
        s.push_str("\n  (no attribution)");
        return s;
    }
    let left: Vec<String> = claim
        .chain
        .iter()
        .enumerate()
        .map(|(depth, link)| {
            let branch = if depth == 0 {
                String::new()
            } else {
                format!("{}└─ ", "   ".repeat(depth - 1))
            };
            format!("  {branch}{} ({})", one_line(&link.name), link.kind)
        })
        .collect();
    let width = left.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (link, left) in claim.chain.iter().zip(left) {
        let _ = write!(s, "\n{left:<width$}  {}", link.role);
        if let Some(cue) = &link.cue {
            let _ = write!(s, ": {}", one_line(cue));
        }
        if let Some(recipient) = &link.recipient {
            let _ = write!(s, " → {}", one_line(recipient));
        }
    }
    s
}

/// What a correction changed, one line per field: "speaker: Jane Doe (person) → Ann Lee
/// (person)". Shared by `correct` and `show`.
pub(crate) fn changes(c: &crate::store::corrections::Changes) -> Vec<String> {
    use crate::store::corrections::Named;
    let named = |n: &Named| format!("{} ({})", one_line(&n.name), n.kind);
    let chain = |c: &[Named]| c.iter().map(&named).collect::<Vec<_>>().join(" > ");
    let or_none = |s: Option<String>| s.unwrap_or_else(|| "none".into());
    let mut out = Vec::new();
    if let Some(ch) = &c.speaker {
        out.push(format!(
            "speaker: {} → {}",
            or_none(ch.from.as_ref().map(named)),
            named(&ch.to)
        ));
    }
    if let Some(ch) = &c.chain {
        out.push(format!(
            "chain: {} → {}",
            or_none(ch.from.as_deref().map(chain)),
            chain(&ch.to)
        ));
    }
    if let Some(ch) = &c.text {
        out.push(format!(
            "text: \"{}\" → \"{}\"",
            one_line(ch.from.as_deref().unwrap_or("")),
            one_line(&ch.to)
        ));
    }
    if let Some(ch) = &c.kind {
        out.push(format!(
            "kind: {} → {}",
            or_none(ch.from.map(|k| k.to_string())),
            ch.to
        ));
    }
    if let Some(ch) = &c.certainty {
        out.push(format!(
            "certainty: {} → {}",
            or_none(ch.from.map(|k| k.to_string())),
            ch.to
        ));
    }
    if let Some(ch) = &c.rejected {
        out.push(if ch.to {
            "marked not a claim".to_string()
        } else {
            "marked a claim again".to_string()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_link as link;
    use crate::model::{Certainty, ClaimKind, ClaimSpans, Role, SourceKind, Span};

    #[test]
    fn claim_tree_nests_the_chain() {
        let mut speaker = link(
            "Steve Witkoff",
            SourceKind::Person,
            Role::Speaker,
            Some("told"),
        );
        speaker.recipient = Some("Yuri Ushakov".into());
        let claim = Claim {
            text: "We put a 20-point\nTrump plan together".into(),
            sentence: "".into(),
            kind: ClaimKind::DirectQuote,
            certainty: Certainty::Certain,
            hedges: vec![],
            cue: Some("told".into()),
            spans: ClaimSpans::default(),
            sentence_span: Span::new(0, 0),
            chain: vec![
                link("Kyiv Daily", SourceKind::Outlet, Role::Publisher, None),
                link(
                    "Bloomberg",
                    SourceKind::Outlet,
                    Role::Relay,
                    Some("according to"),
                ),
                speaker,
            ],
        };
        assert_eq!(
            claim_tree(&claim),
            "\"We put a 20-point Trump plan together\"  direct_quote, certain\n\
             \x20 Kyiv Daily (outlet)           publisher\n\
             \x20 └─ Bloomberg (outlet)         relay: according to\n\
             \x20    └─ Steve Witkoff (person)  speaker: told → Yuri Ushakov"
        );
    }
}
