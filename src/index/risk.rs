//! How risky an open claim is to repeat, for `claimtrail unconfirmed`: a score that ranks it
//! (stored in the index as a fast field) and the factors that make it up, shown next to it.
//!
//! The score adds the points of each factor that holds:
//!
//! | factor                                                        | points |
//! |---------------------------------------------------------------|--------|
//! | the text says the claim is unconfirmed or denied              | 40     |
//! | it rests on an anonymous source ("people familiar with …")    | 25     |
//! | it rests on a collective source ("Western media", "analysts") | 20     |
//! | the text hedges it ("apparently", "might")                    | 15     |
//! | it rests on a single relayed outlet                           | 10     |
//! | it rests on a source's word, not only the publisher's         | 10     |
//!
//! Anonymous and collective count once each however many such links the chain has. The
//! publisher's own narration (no source in the chain but the publisher: every assertion,
//! and the publisher's own "could not verify") has no source's word to repeat; it scores a
//! tenth of its points, rounded down (at most 4), so it never ranks ahead of an attributed
//! claim, which scores 10 or more: `--min-risk 10` leaves it out. "Could not be reached for
//! comment" is about reaching the source, not a hedge on the claim: hedge words inside that
//! phrase do not count.

use crate::model::{Certainty, Claim, Role, SourceKind};
use crate::store::StoredClaim;
use regex::Regex;
use std::sync::LazyLock;

/// Words that make a source name collective, one a line (see the file).
const COLLECTIVE: &str = include_str!("collective.txt");

/// The points of each factor (see the module doc, which the unit tests hold to them).
pub const UNCONFIRMED_OR_DENIED: u32 = 40;
pub const ANONYMOUS: u32 = 25;
pub const COLLECTIVE_SOURCE: u32 = 20;
pub const HEDGED: u32 = 15;
pub const SINGLE_RELAY: u32 = 10;
pub const ATTRIBUTED: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    /// The sum of the factors' points (a tenth of it for the publisher's narration).
    pub score: u32,
    /// The factors that hold, the heaviest first: why the claim is listed.
    pub factors: Vec<Factor>,
    /// No source but the publisher: the score is a tenth of the factors' points.
    pub narration: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    pub points: u32,
    /// One short phrase: "anonymous source: senior officials".
    pub why: String,
}

impl Risk {
    /// The factors on one line, each with its points: what the `why:` line of a row says.
    pub fn reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .factors
            .iter()
            .map(|f| format!("{} ({})", f.why, f.points))
            .collect();
        if self.narration {
            out.push(format!(
                "the publisher's own narration, a tenth ({})",
                self.score
            ));
        } else if out.is_empty() {
            out.push("plainly stated, not yet checked (0)".into());
        }
        out
    }
}

pub fn risk(c: &StoredClaim) -> Risk {
    claim_risk(&c.claim)
}

/// The risk of one claim, from its own words and chain alone.
pub fn claim_risk(claim: &Claim) -> Risk {
    let mut factors = Vec::new();
    let hedges = claim_hedges(claim);
    let listed = if hedges.is_empty() {
        String::new()
    } else {
        format!(": {}", hedges.join(", "))
    };
    match claim.certainty {
        Certainty::Unconfirmed => factors.push(Factor {
            points: UNCONFIRMED_OR_DENIED,
            why: format!("the text says it is not confirmed{listed}"),
        }),
        Certainty::Denied => factors.push(Factor {
            points: UNCONFIRMED_OR_DENIED,
            why: format!("the text says it is denied{listed}"),
        }),
        Certainty::Probable | Certainty::Possible if !hedges.is_empty() => factors.push(Factor {
            points: HEDGED,
            why: format!("hedged, {}{listed}", claim.certainty),
        }),
        Certainty::Probable | Certainty::Possible | Certainty::Certain => {}
    }
    let sources: Vec<_> = claim
        .chain
        .iter()
        .filter(|l| l.role != Role::Publisher)
        .collect();
    if let Some(l) = sources.iter().find(|l| l.kind == SourceKind::Anonymous) {
        factors.push(Factor {
            points: ANONYMOUS,
            why: format!("anonymous source: {}", l.name),
        });
    }
    // An outlet is one voice even when its name says "Press" (Associated Press).
    if let Some(l) = sources.iter().find(|l| {
        !matches!(l.kind, SourceKind::Anonymous | SourceKind::Outlet) && collective(&l.name)
    }) {
        factors.push(Factor {
            points: COLLECTIVE_SOURCE,
            why: format!("collective source: {}", l.name),
        });
    }
    if let Some(outlet) = single_relay(claim) {
        factors.push(Factor {
            points: SINGLE_RELAY,
            why: format!("rests on one outlet: {outlet}"),
        });
    }
    let points: u32 = factors.iter().map(|f| f.points).sum();
    if sources.is_empty() {
        return Risk {
            score: points / 10,
            factors,
            narration: true,
        };
    }
    factors.push(Factor {
        points: ATTRIBUTED,
        why: "rests on a source's word".into(),
    });
    factors.sort_by_key(|f| std::cmp::Reverse(f.points));
    Risk {
        score: points + ATTRIBUTED,
        factors,
        narration: false,
    }
}

/// "could not be reached for comment", "could not immediately be reached", "cannot be
/// contacted": the source was not reached, which says nothing of the claim.
static UNREACHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:could|can)(?:\s*not|n[’']t)\s+(?:(?:be|immediately|independently|also)\s+){0,3}(?:reached|contacted)\b",
    )
    .expect("a valid pattern")
});

/// The claim's hedges, less those that are words of an "(could not) be reached" phrase of
/// its sentence.
fn claim_hedges(claim: &Claim) -> Vec<&str> {
    let unreached: Vec<String> = UNREACHED
        .find_iter(&claim.sentence)
        .map(|m| m.as_str().to_lowercase())
        .collect();
    // "couldn't" as "could not", so that the hedge "could" is found in it.
    let words = |s: &str| -> Vec<String> {
        s.replace("n't", " not")
            .replace("n’t", " not")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    let unreached: Vec<Vec<String>> = unreached.iter().map(|p| words(p)).collect();
    claim
        .hedges
        .iter()
        .map(String::as_str)
        .filter(|h| {
            let hedge = words(h);
            !unreached
                .iter()
                .any(|phrase| hedge.iter().all(|w| phrase.contains(w)))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClaimKind, ClaimSpans, Link, Span, test_link};

    fn claim(certainty: Certainty, hedges: &[&str], chain: Vec<Link>, sentence: &str) -> Claim {
        Claim {
            text: "the plan was agreed".into(),
            sentence: sentence.into(),
            kind: if chain.iter().all(|l| l.role == Role::Publisher) {
                ClaimKind::Assertion
            } else {
                ClaimKind::Indirect
            },
            certainty,
            hedges: hedges.iter().map(|h| h.to_string()).collect(),
            cue: None,
            spans: ClaimSpans::default(),
            sentence_span: Span { start: 0, end: 0 },
            chain,
        }
    }

    fn publisher() -> Link {
        test_link("Harbor Wire", SourceKind::Outlet, Role::Publisher, None)
    }

    fn speaker(name: &str, kind: SourceKind) -> Link {
        test_link(name, kind, Role::Speaker, Some("said"))
    }

    fn score(c: &Claim) -> u32 {
        claim_risk(c).score
    }

    #[test]
    fn each_factor_scores_its_documented_points() {
        let s = "The plan was agreed.";
        let plain = claim(
            Certainty::Certain,
            &[],
            vec![publisher(), speaker("Ana Ortiz", SourceKind::Person)],
            s,
        );
        assert_eq!(score(&plain), 10, "attributed, nothing else");
        let mut c = plain.clone();
        c.certainty = Certainty::Denied;
        c.hedges = vec!["denied".into()];
        assert_eq!(score(&c), 10 + 40);
        c.certainty = Certainty::Unconfirmed;
        assert_eq!(score(&c), 10 + 40);
        c.certainty = Certainty::Possible;
        c.hedges = vec!["might".into()];
        assert_eq!(score(&c), 10 + 15);
        c.certainty = Certainty::Probable;
        assert_eq!(score(&c), 10 + 15);

        let anonymous = claim(
            Certainty::Certain,
            &[],
            vec![
                publisher(),
                speaker("senior officials", SourceKind::Anonymous),
            ],
            s,
        );
        assert_eq!(score(&anonymous), 10 + 25);
        let collective = claim(
            Certainty::Certain,
            &[],
            vec![
                publisher(),
                speaker("Western media", SourceKind::Organization),
            ],
            s,
        );
        assert_eq!(score(&collective), 10 + 20);
        let relayed = claim(
            Certainty::Certain,
            &[],
            vec![
                publisher(),
                test_link(
                    "Reuters",
                    SourceKind::Outlet,
                    Role::Relay,
                    Some("according to"),
                ),
                speaker("Ana Ortiz", SourceKind::Person),
            ],
            s,
        );
        assert_eq!(score(&relayed), 10 + 10);
        // Two relays: no single outlet carries it.
        let mut two = relayed.clone();
        two.chain.insert(
            2,
            test_link("Bloomberg", SourceKind::Outlet, Role::Relay, Some("citing")),
        );
        assert_eq!(score(&two), 10);
        // An outlet named "Press" is one voice, not a collective one.
        let press = claim(
            Certainty::Certain,
            &[],
            vec![
                publisher(),
                test_link("Associated Press", SourceKind::Outlet, Role::Relay, None),
                speaker("Ana Ortiz", SourceKind::Person),
            ],
            s,
        );
        assert_eq!(score(&press), 10 + 10);
        // Factors add up, the heaviest named first.
        let mut all = anonymous.clone();
        all.certainty = Certainty::Unconfirmed;
        all.hedges = vec!["could not confirm".into()];
        let r = claim_risk(&all);
        assert_eq!(r.score, 40 + 25 + 10);
        assert_eq!(
            r.reasons(),
            [
                "the text says it is not confirmed: could not confirm (40)",
                "anonymous source: senior officials (25)",
                "rests on a source's word (10)",
            ]
        );
    }

    #[test]
    fn the_publishers_narration_never_scores_as_an_attributed_claim() {
        let s = "The video apparently shows drones.";
        let narration = |certainty, hedges: &[&str]| claim(certainty, hedges, vec![publisher()], s);
        assert_eq!(score(&narration(Certainty::Certain, &[])), 0);
        assert_eq!(score(&narration(Certainty::Probable, &["apparently"])), 1);
        let worst = narration(Certainty::Unconfirmed, &["could not verify"]);
        assert_eq!(score(&worst), 4);
        assert!(score(&worst) < ATTRIBUTED);
        // Without even a publisher (an unknown outlet), the same.
        assert_eq!(score(&claim(Certainty::Denied, &["denied"], vec![], s)), 4);
        assert_eq!(
            claim_risk(&narration(Certainty::Probable, &["apparently"])).reasons(),
            [
                "hedged, probable: apparently (15)",
                "the publisher's own narration, a tenth (1)"
            ]
        );
    }

    #[test]
    fn could_not_be_reached_for_comment_is_no_hedge() {
        for sentence in [
            "Bair could not be immediately reached for comment.",
            "Ortiz couldn't be reached for comment on Friday.",
            "The ministry could not be contacted.",
        ] {
            let c = claim(
                Certainty::Possible,
                &["could"],
                vec![publisher(), speaker("Ana Ortiz", SourceKind::Person)],
                sentence,
            );
            assert_eq!(score(&c), 10, "{sentence}");
        }
        // "could" as a hedge of the claim itself still counts.
        let c = claim(
            Certainty::Possible,
            &["could"],
            vec![publisher(), speaker("Ana Ortiz", SourceKind::Person)],
            "Ortiz said the plan could fail.",
        );
        assert_eq!(score(&c), 25);
    }
}
