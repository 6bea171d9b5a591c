//! `claimtrail story CLAIM` (every appearance of a claim's story, grouped by independent
//! origin, with `--detach`/`--join` to correct the grouping) and `claimtrail stories` (the
//! stories with their counts, riskiest first).

use super::args::{ResultFormat, StoriesArgs, StoryArgs};
use super::{Context, Run, print, print_json};
use crate::error::Error;
use crate::store::{Appearance, Store, StoredClaim, StoryChange};
use crate::terminal::one_line;
use serde_json::json;
use std::fmt::Write as _;

/// One origin of a story: its appearances, first first.
struct OriginGroup<'a> {
    first: &'a Appearance,
    claims: Vec<i64>,
}

/// The appearances grouped by origin (its name, case aside), origins in the order of their
/// first appearance; `appearances` is first-published first.
fn origins(appearances: &[Appearance]) -> Vec<OriginGroup<'_>> {
    let mut out: Vec<OriginGroup> = Vec::new();
    for a in appearances {
        match out
            .iter_mut()
            .find(|o| o.first.origin.eq_ignore_ascii_case(&a.origin))
        {
            Some(o) => o.claims.push(a.claim),
            None => out.push(OriginGroup {
                first: a,
                claims: vec![a.claim],
            }),
        }
    }
    out
}

impl Run for StoryArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        if self.detach || self.join.is_some() {
            let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
            let change = match self.join {
                Some(other) if other == self.claim => {
                    return Err(Error::Usage("--join needs another claim's id".into()));
                }
                Some(other) => StoryChange::Join(other),
                None => StoryChange::Detach,
            };
            let by = self.by.clone().unwrap_or_else(super::verify::user_name);
            store.change_story(self.claim, change, Some(&by))?;
            let story = store.story_of(self.claim)?;
            return print(&format!(
                "claim {} is now in story {}\n",
                self.claim,
                story.map_or("(none)".to_string(), |s| s.to_string())
            ));
        }
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let Some(story) = store.story_of(self.claim)? else {
            return Err(Error::NothingFound(format!(
                "claim {} is in no story (rejected, or stored before stories: run `claimtrail reindex`)",
                self.claim
            )));
        };
        let appearances = store.story(story)?;
        let ids: Vec<i64> = appearances.iter().map(|a| a.claim).collect();
        let claims: Vec<StoredClaim> = store.claims(&ids)?;
        let groups = origins(&appearances);
        let origin_index = |claim: i64| groups.iter().position(|o| o.claims.contains(&claim));
        if self.format == ResultFormat::Json {
            let claims: Vec<serde_json::Value> = appearances
                .iter()
                .zip(&claims)
                .map(|(a, c)| {
                    json!({
                        "id": c.id,
                        "text": c.claim.statement(),
                        "article": {
                            "title": c.article.title,
                            "outlet": c.article.outlet,
                            "published": c.article.published.map(|d| d.to_string()),
                            "url": c.article.url,
                            "path": a.path,
                        },
                        "chain": c.claim.chain,
                        "origin": origin_index(c.id),
                    })
                })
                .collect();
            let origins: Vec<serde_json::Value> = groups
                .iter()
                .map(|o| {
                    json!({
                        "name": o.first.origin,
                        "kind": o.first.origin_kind,
                        "via": o.first.via,
                        "claims": o.claims,
                        "first": o.first.claim,
                    })
                })
                .collect();
            return print_json(&json!({"story": story, "claims": claims, "origins": origins}));
        }
        let first = appearances.first().map(|a| a.claim);
        let founder = claims.iter().find(|c| c.id == story).or(claims.first());
        let mut s = format!(
            "story {story}: \"{}\"\n",
            one_line(&founder.map(|c| c.claim.statement()).unwrap_or_default())
        );
        let outlets = {
            let mut o: Vec<String> = claims
                .iter()
                .filter_map(|c| c.article.outlet.as_deref().map(str::to_lowercase))
                .collect();
            o.sort();
            o.dedup();
            o.len()
        };
        let _ = writeln!(
            s,
            "{} in {}, {}",
            count(appearances.len(), "appearance"),
            count(outlets, "outlet"),
            count(groups.len(), "independent origin")
        );
        for (i, o) in groups.iter().enumerate() {
            let _ = writeln!(
                s,
                "\norigin {}: {} ({})",
                i + 1,
                one_line(&o.first.label()),
                count(o.claims.len(), "appearance")
            );
            for id in &o.claims {
                let Some((a, c)) = appearances
                    .iter()
                    .zip(&claims)
                    .find(|(a, _)| a.claim == *id)
                else {
                    continue;
                };
                let mark = if Some(a.claim) == first {
                    "  (first)"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "  claim {}{mark}: {}, {}, \"{}\"",
                    c.id,
                    one_line(
                        c.article
                            .outlet
                            .as_deref()
                            .unwrap_or(crate::report::UNKNOWN_OUTLET)
                    ),
                    c.article
                        .published
                        .map_or("date unknown".to_string(), |d| d.to_string()),
                    one_line(c.article.title.as_deref().unwrap_or("(untitled)")),
                );
                let _ = writeln!(
                    s,
                    "    {}",
                    one_line(c.article.url.as_deref().unwrap_or(&a.path))
                );
                let _ = writeln!(s, "    chain: {}", super::rows::chain_line(&c.claim.chain));
                let _ = writeln!(s, "    \"{}\"", one_line(&c.claim.statement()));
            }
        }
        print(&s)
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl Run for StoriesArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let mut stories = store.stories(self.min_appearances)?;
        if self.single_origin {
            stories.retain(|s| s.origins == 1);
        }
        stories.truncate(usize::try_from(self.limit).unwrap_or(usize::MAX));
        if self.format == ResultFormat::Json {
            return print_json(&stories);
        }
        if stories.is_empty() {
            return Err(Error::NothingFound(format!(
                "no story with {} or more appearances",
                self.min_appearances
            )));
        }
        let mut s = String::new();
        for st in &stories {
            let mut flags = Vec::new();
            if st.origins == 1 {
                flags.push("single origin");
            }
            if st.anonymous {
                flags.push("anonymous origin");
            }
            if st.unconfirmed {
                flags.push("unconfirmed");
            }
            let _ = writeln!(
                s,
                "story {}: {}, {}, {}{}\n  \"{}\"",
                st.story,
                count(st.appearances as usize, "appearance"),
                count(st.outlets as usize, "outlet"),
                count(st.origins as usize, "origin"),
                if flags.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", flags.join(", "))
                },
                one_line(&st.text)
            );
        }
        print(&s)
    }
}
