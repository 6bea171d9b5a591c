//! Claims already fact-checked: outside reviews read from ClaimReview JSON-LD
//! ([`reviews`]) and the matching of any text against them and against the store's own
//! verdicts ([`matcher`]). Pure: text in, reviews and rankings out.

pub mod matcher;
pub mod reviews;
pub mod score;

pub use matcher::{Matcher, Query, Ranked, SAME_CLAIM};
pub use reviews::{Review, ReviewError};
