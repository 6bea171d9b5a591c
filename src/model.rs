//! The domain model shared by every stage: what an article is, what a claim is, and the
//! closed vocabularies (source kinds, claim kinds, certainties, roles, verdict statuses).
//!
//! These types are the JSON contract of `claimtrail extract --format json` (see DESIGN.md):
//! field names and enum spellings here are what scripts and scorers read, so they change
//! only with a migration of that contract.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open range of char offsets (Unicode scalar values, end exclusive) into a
/// document's text. Serialised as `[start, end]`, the form brat-standoff scorers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Self {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

/// Declares a closed vocabulary: a `Copy` enum whose snake_case spelling is used in JSON,
/// in SQLite CHECK constraints and on the command line, so the three can never drift apart.
/// `as "kind"` is what an error calls a value, the word a user types it under (`--kind`,
/// `kind:`), never the type's name ("unknown kind 'x'", not "unknown claimkind 'x'").
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident as $noun:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in JSON, SQL and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The allowed spellings, comma-separated, for error messages.
            pub fn allowed() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim().to_ascii_lowercase().replace('-', "_");
                match t.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} '{}' (allowed: {})",
                        $noun,
                        crate::terminal::shorten(s),
                        Self::allowed()
                    )),
                }
            }
        }
    };
}

vocabulary! {
    /// What kind of thing a source is.
    SourceKind as "kind" {
        Outlet => "outlet",
        Person => "person",
        Organization => "organization",
        Document => "document",
        Anonymous => "anonymous",
    }
}

vocabulary! {
    /// How the article presents the claim.
    ClaimKind as "kind" {
        /// Words inside quotation marks.
        DirectQuote => "direct_quote",
        /// Reported speech: "X said that ...", "X told Y ...".
        Indirect => "indirect",
        /// "According to X, ...".
        AccordingTo => "according_to",
        /// The publisher's own statement, with no attribution in the text.
        Assertion => "assertion",
    }
}

vocabulary! {
    /// How certain the text itself presents the claim (after FactBank), independent of any
    /// fact-checker's verdict.
    Certainty as "certainty" {
        Certain => "certain",
        /// "apparently", "reportedly".
        Probable => "probable",
        /// "might", "supposedly", "allegedly".
        Possible => "possible",
        /// The text says it is not confirmed: "could not confirm", "unverified".
        Unconfirmed => "unconfirmed",
        /// Negated or denied by its source.
        Denied => "denied",
    }
}

vocabulary! {
    /// The place of a source in an attribution chain.
    Role as "role" {
        /// The outlet that published the article.
        Publisher => "publisher",
        /// An outlet or intermediary that passes the claim on ("according to Bloomberg").
        Relay => "relay",
        /// A record, memo, statement or report the claim is read from.
        Document => "document",
        /// Whoever said or wrote the claim first.
        Speaker => "speaker",
    }
}

vocabulary! {
    /// A fact-checker's verdict on a claim. The current status is the latest verdict.
    Status as "status" {
        Unverified => "unverified",
        Confirmed => "confirmed",
        Disputed => "disputed",
        False => "false",
        Unconfirmable => "unconfirmable",
        Retracted => "retracted",
    }
}

impl Certainty {
    /// The FactBank factuality value for export ("CT+", "PR+", "PS+", "Uu", "CT-").
    pub fn factbank(self) -> &'static str {
        match self {
            Certainty::Certain => "CT+",
            Certainty::Probable => "PR+",
            Certainty::Possible => "PS+",
            Certainty::Unconfirmed => "Uu",
            Certainty::Denied => "CT-",
        }
    }
}

/// What is known about an article besides its text. Every field is optional: an unknown
/// publisher or date stays unknown, never guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleMeta {
    pub title: Option<String>,
    /// The publisher: the outlet that published this article.
    pub outlet: Option<String>,
    /// ISO date (`YYYY-MM-DD`) of publication.
    pub published: Option<chrono::NaiveDate>,
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// One link of an attribution chain, from the publisher down to the original speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Link {
    /// The canonical name of the source.
    pub name: String,
    pub kind: SourceKind,
    pub role: Role,
    /// The words that attribute to this source ("according to", "told", "reviewed by").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// Whom the source was speaking to ("told Ushakov" → "Yuri Ushakov").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Where this source is mentioned for this claim (the surface words, maybe a pronoun).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<usize>>)]
    pub span: Option<Span>,
}

/// A link with no recipient or span, for tests that build chains by hand.
#[cfg(test)]
pub(crate) fn test_link(name: &str, kind: SourceKind, role: Role, cue: Option<&str>) -> Link {
    Link {
        name: name.into(),
        kind,
        role,
        cue: cue.map(Into::into),
        recipient: None,
        span: None,
    }
}

/// The spans an annotator would mark for the outermost attribution as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSpans {
    /// The surface mention of the outermost source; `None` when the text names none.
    pub source: Option<Span>,
    pub cue: Option<Span>,
    /// The content, possibly in several pieces (a quote broken by "he said").
    pub content: Vec<Span>,
}

/// One assertion of one article, with its attribution chain and certainty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The content of the claim, as written (pieces joined by a space).
    pub text: String,
    /// The sentence (or sentences) the claim was read from. Shared: a sentence unit can hold
    /// many claims, and a hostile article of a million names held each one's copy of it
    /// until it was stored (README, Limits).
    #[serde(with = "shared_str")]
    pub sentence: std::sync::Arc<str>,
    pub kind: ClaimKind,
    pub certainty: Certainty,
    /// The hedge and disclaimer words that set the certainty, as written.
    pub hedges: Vec<String>,
    /// The outermost cue as written ("told", "according to").
    pub cue: Option<String>,
    pub spans: ClaimSpans,
    /// Char span of the sentence(s) in the document.
    pub sentence_span: Span,
    /// Publisher first (when known), then relays, documents and the speaker.
    pub chain: Vec<Link>,
}

/// An `Arc<str>` as a plain string (serde's own needs its `rc` feature, which would rebuild
/// every crate that depends on serde).
mod shared_str {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(s: &Arc<str>, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        String::deserialize(d).map(Arc::from)
    }
}

impl Claim {
    /// The original speaker: the last link of the chain that is not the publisher.
    pub fn speaker(&self) -> Option<&Link> {
        self.chain.iter().rev().find(|l| l.role != Role::Publisher)
    }

    /// The claim as every rendering states it: its text, or, when its source denies it, the
    /// denial ("Trump denied that he has any formal connection to the Kremlin"), so that no
    /// output reads as the source asserting what it denied.
    pub fn statement(&self) -> String {
        match self.denial_prefix() {
            Some(prefix) => format!("{prefix}{}", self.text.trim_end_matches(['.', ' '])),
            None => self.text.clone(),
        }
    }

    /// What [`Claim::statement`] writes before the text of a denied claim: "Trump denied
    /// that " before a clause ("he has any formal connection"), "Trump denied " before a
    /// text that opens with its own "that" or is what was denied as a noun phrase ("the
    /// report", "those claims"); `None` for a claim that is not denied.
    pub fn denial_prefix(&self) -> Option<String> {
        if self.certainty != Certainty::Denied {
            return None;
        }
        let first = self.text.split_whitespace().next().unwrap_or("");
        let words = self.text.split_whitespace().count();
        let object = first.eq_ignore_ascii_case("that")
            || (words <= 8
                && ["the", "this", "these", "those", "such"]
                    .iter()
                    .any(|d| first.eq_ignore_ascii_case(d)));
        let that = if object { "" } else { "that " };
        Some(match self.speaker() {
            Some(l) => format!("{} denied {that}", l.name),
            None => format!("Denied {that}"),
        })
    }
}

/// A source as the extractor resolved it inside one article: the canonical name and every
/// other way the article refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub kind: SourceKind,
    /// Other names and spellings seen in the article ("Zelenskiy", "Steve").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Titles and descriptions seen in the article ("Putin's aide", "the Trump special envoy").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// What extraction finds in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    pub claims: Vec<Claim>,
    pub sources: Vec<Source>,
}

/// Accepts an absolute http or https url with a host, and nothing else: evidence must be
/// something a reader can open. The message names the string refused.
pub fn check_http_url(url: &str) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "evidence '{}' is not an http(s) url ({why})",
            crate::terminal::shorten(url)
        ))
    };
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return refuse("it must start with http:// or https://");
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("it holds spaces or control characters");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, port)) if port.is_empty() || port.starts_with(':') => h,
            _ => return refuse("a bad IPv6 host"),
        }
    } else {
        let (h, port) = host_port.split_once(':').unwrap_or((host_port, ""));
        if !port.chars().all(|c| c.is_ascii_digit()) {
            return refuse("a bad port");
        }
        h
    };
    if host.is_empty() {
        return refuse("no host");
    }
    let host_ok = host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'));
    if !host_ok || host.starts_with('.') || host.ends_with("..") {
        return refuse("a bad host");
    }
    Ok(())
}

#[cfg(test)]
mod evidence_tests {
    use super::check_http_url;

    #[test]
    fn evidence_must_be_an_http_url_with_a_host() {
        for ok in [
            "https://example.com",
            "http://example.com/a/b?c=d#e",
            "HTTPS://Example.org:8443/x",
            "https://user@example.com/",
            "http://[::1]:8080/",
            "https://bbc.co.uk",
        ] {
            assert!(check_http_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "example.com",
            "ftp://example.com/file",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "http://exa mple.com",
            "https://example.com:80x/",
            "file:///etc/passwd",
            "",
        ] {
            let e = check_http_url(bad).unwrap_err();
            assert!(e.starts_with(&format!("evidence '{bad}'")), "{e}");
        }
    }
}
