//! How risky an open claim is to repeat, for `claimtrail unconfirmed`: the tier it is ranked
//! by (stored in the index as a fast field) and the reasons shown next to it.
//!
//! Tiers, riskiest first: the text itself says the claim is unconfirmed or denied; the text
//! hedges it ("apparently", "might"); it rests on an anonymous or collective source ("people
//! familiar with the matter", "Western media"); it rests on a single relayed outlet. A claim
//! with none of these is tier 0 (plainly stated, still open).

use crate::model::{Certainty, Claim, Role, SourceKind};
use crate::store::StoredClaim;

/// Words that make a source name collective, one a line (see the file).
const COLLECTIVE: &str = include_str!("collective.txt");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    /// 4 (the text says unconfirmed or denied) down to 0 (plainly stated).
    pub tier: u8,
    /// Why, riskiest first, one short phrase each.
    pub reasons: Vec<String>,
}

pub fn risk(c: &StoredClaim) -> Risk {
    let claim = &c.claim;
    let mut tier = 0u8;
    let mut reasons = Vec::new();
    let hedges = if claim.hedges.is_empty() {
        String::new()
    } else {
        format!(" ({})", claim.hedges.join(", "))
    };
    match claim.certainty {
        Certainty::Unconfirmed => {
            tier = 4;
            reasons.push(format!("the text says it is not confirmed{hedges}"));
        }
        Certainty::Denied => {
            tier = 4;
            reasons.push(format!("the text says it is denied{hedges}"));
        }
        Certainty::Probable | Certainty::Possible => {
            tier = 3;
            reasons.push(format!("hedged: {}{hedges}", claim.certainty));
        }
        Certainty::Certain => {}
    }
    for link in &claim.chain {
        if link.kind == SourceKind::Anonymous {
            tier = tier.max(2);
            reasons.push(format!("anonymous source: {}", link.name));
        } else if collective(&link.name) {
            tier = tier.max(2);
            reasons.push(format!("collective source: {}", link.name));
        }
    }
    if let Some(outlet) = single_relay(claim) {
        tier = tier.max(1);
        reasons.push(format!("rests on one outlet: {outlet}"));
    }
    if reasons.is_empty() {
        reasons.push("plainly stated, not yet checked".into());
    }
    Risk { tier, reasons }
}

/// The one outlet a claim rests on besides its publisher, when there is exactly one.
pub fn single_relay(claim: &Claim) -> Option<&str> {
    let mut relays = claim
        .chain
        .iter()
        .filter(|l| l.role != Role::Publisher && l.kind == SourceKind::Outlet)
        .map(|l| l.name.as_str());
    let first = relays.next()?;
    relays.next().is_none().then_some(first)
}

fn collective(name: &str) -> bool {
    let words = COLLECTIVE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let lower = name.to_lowercase();
    let name_words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.into_iter().any(|w| name_words.contains(&w))
}
