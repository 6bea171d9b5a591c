//! The independent origin of a claim: the first-hand source its chain ends on before the
//! speaker, so that a story can say how many independent reports it rests on, not how many
//! outlets repeated it.
//!
//! - A chain that relays another outlet ("according to a memo seen by The Ledger
//!   Financial"): the origin is the last relay of the chain, the one that did its own
//!   reporting, `via` what it rests on (the memo). By role, not kind: the extractor may
//!   type an outlet it does not know as a person. Seven outlets citing it are one origin.
//! - An article carrying wire copy (a "CITY (Wire Name) —" dateline, or a credit line that
//!   is only "(Wire Name)"), with no outlet relayed inside it: the origin is the wire.
//!   Three newspapers printing it are one origin.
//! - Otherwise the publisher: its own reporting, `via` the source it quotes (a radio
//!   station's own ministry source); or, when the chain has no source but the publisher,
//!   its own assertion.
//!
//! Near-identical article texts without a credit are not detected as one wire copy: each
//! is its publisher's (the user can `--join`; see README, Limits).

use crate::model::{Link, Role, SourceKind};
use regex::Regex;
use std::sync::LazyLock;

/// What kind of first-hand source an origin is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// An outlet's own reporting, resting on its document, its source or its witnesses.
    Reporting,
    /// A news agency's copy printed by others.
    Wire,
    /// The publisher's own unattributed assertion.
    Assertion,
}

impl OriginKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OriginKind::Reporting => "reporting",
            OriginKind::Wire => "wire",
            OriginKind::Assertion => "assertion",
        }
    }

    pub fn parse(s: &str) -> Option<OriginKind> {
        [
            OriginKind::Reporting,
            OriginKind::Wire,
            OriginKind::Assertion,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// How a citation names it: "The Ledger Financial, memo", "Coastline Wire, wire".
    pub fn describe(self) -> &'static str {
        match self {
            OriginKind::Reporting => "own reporting",
            OriginKind::Wire => "wire copy",
            OriginKind::Assertion => "assertion",
        }
    }
}

/// One claim's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub name: String,
    pub kind: OriginKind,
    /// What the origin rests on (its document, its source), when the chain says.
    pub via: Option<String>,
    /// That source is anonymous ("people familiar with the matter").
    pub anonymous: bool,
}

/// "CITY (Wire Name) —" opening a paragraph.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*[A-Z][A-Z .,'-]*\(([A-Z][A-Za-z&.' -]{1,40})\)\s*[—–-]").expect("regex")
});
/// A line that is only "(Wire Name)".
static CREDIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*\(([A-Z][A-Za-z&.' -]{1,40})\)\s*$").expect("regex"));

/// The wire an article's text credits, if any: its dateline's, else its credit line's.
pub fn wire_credit(text: &str) -> Option<String> {
    if !text.contains('(') {
        return None;
    }
    DATELINE
        .captures(text)
        .or_else(|| CREDIT.captures(text))
        .map(|c| c[1].trim().to_string())
        .filter(|w| !w.to_lowercase().contains("photo"))
}

/// The origin of a claim with this chain (publisher first), in an article crediting
/// `wire`; `publisher` names the article's outlet when the chain has no publisher link.
pub fn origin(chain: &[Link], wire: Option<&str>, publisher: Option<&str>) -> Origin {
    let rests_on = |i: usize| -> (Option<String>, bool) {
        match chain.get(i + 1) {
            Some(l) => (Some(l.name.clone()), l.kind == SourceKind::Anonymous),
            None => (None, false),
        }
    };
    let relayed = chain
        .iter()
        .enumerate()
        .rposition(|(i, l)| i > 0 && l.role == Role::Relay);
    if let Some(i) = relayed {
        let (via, anonymous) = rests_on(i);
        return Origin {
            name: chain[i].name.clone(),
            kind: OriginKind::Reporting,
            via,
            anonymous,
        };
    }
    let first = usize::from(chain.first().is_some_and(|l| l.role == Role::Publisher));
    let (via, anonymous) = match chain.get(first) {
        Some(l) => (Some(l.name.clone()), l.kind == SourceKind::Anonymous),
        None => (None, false),
    };
    let publisher = chain
        .first()
        .filter(|l| l.role == Role::Publisher)
        .map(|l| l.name.as_str())
        .or(publisher);
    if let Some(wire) = wire.filter(|w| publisher.is_none_or(|p| !p.eq_ignore_ascii_case(w))) {
        return Origin {
            name: wire.to_string(),
            kind: OriginKind::Wire,
            via,
            anonymous,
        };
    }
    match (publisher, via) {
        (Some(p), None) => Origin {
            name: p.to_string(),
            kind: OriginKind::Assertion,
            via: None,
            anonymous: false,
        },
        (Some(p), Some(via)) => Origin {
            name: p.to_string(),
            kind: OriginKind::Reporting,
            via: Some(via),
            anonymous,
        },
        // No publisher known: the speaker is the first-hand source the text names.
        (None, via) => Origin {
            name: via.clone().unwrap_or_else(|| "unknown publisher".into()),
            kind: OriginKind::Reporting,
            via: None,
            anonymous,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_link;

    fn publisher(name: &str) -> Link {
        test_link(name, SourceKind::Outlet, Role::Publisher, None)
    }

    #[test]
    fn a_relayed_outlet_is_the_origin_via_its_document() {
        let chain = [
            publisher("Harbour Times"),
            test_link(
                "The Ledger Financial",
                SourceKind::Outlet,
                Role::Relay,
                Some("seen by"),
            ),
            test_link(
                "memo",
                SourceKind::Document,
                Role::Document,
                Some("according to"),
            ),
        ];
        let o = origin(&chain, None, None);
        assert_eq!(o.name, "The Ledger Financial");
        assert_eq!(o.kind, OriginKind::Reporting);
        assert_eq!(o.via.as_deref(), Some("memo"));
    }

    #[test]
    fn the_publisher_s_own_source_or_assertion_and_the_wire() {
        let chain = [
            publisher("Radio Varn"),
            test_link(
                "ministry",
                SourceKind::Organization,
                Role::Speaker,
                Some("said"),
            ),
        ];
        let o = origin(&chain, None, None);
        assert_eq!(
            (o.name.as_str(), o.kind),
            ("Radio Varn", OriginKind::Reporting)
        );
        let o = origin(&chain, Some("Coastline Wire"), None);
        assert_eq!(
            (o.name.as_str(), o.kind),
            ("Coastline Wire", OriginKind::Wire)
        );
        let o = origin(&chain[..1], None, None);
        assert_eq!(
            (o.name.as_str(), o.kind),
            ("Radio Varn", OriginKind::Assertion)
        );
    }

    #[test]
    fn wire_credits_are_read_from_datelines_and_credit_lines() {
        assert_eq!(
            wire_credit("VARN (Coastline Wire) — The port said...").as_deref(),
            Some("Coastline Wire")
        );
        assert_eq!(
            wire_credit("The port said.\n\n(Coastline Wire)\n").as_deref(),
            Some("Coastline Wire")
        );
        assert_eq!(wire_credit("The port (in Varn) said."), None);
        assert_eq!(wire_credit("A ship.\n(AP Photo)\n"), None);
    }
}
