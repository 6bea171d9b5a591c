//! Stories across articles: claims saying the same thing in every outlet that carried them
//! ([`similar`] decides, [`group`] groups incrementally) and the independent origins they
//! rest on ([`origin`]). Pure: texts and chains in, stories and origins out; the store
//! keeps them (`claim_stories`, derived) and the command line shows them.

pub mod group;
pub mod origin;
pub mod similar;

pub use group::{Grouper, Joined, Prepared, Vocabulary};
pub use origin::{Origin, OriginKind, origin, wire_credit};
pub use similar::SAME_STORY;
