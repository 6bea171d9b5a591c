//! `claimtrail articles`, `article ID` (show or correct one), `remove` and `restore`: the
//! articles of the store as things a fact-checker can see and fix. The store does the work
//! (`crate::store::articles`); this file renders it and brings the index up after a write.

use super::args::{ArticleArgs, ArticlesArgs, RemoveArgs, RestoreArgs, ResultFormat};
use super::layout::{fit, width};
use super::{Context, Run, render, sync};
use crate::error::Error;
use crate::model::SourceKind;
use crate::store::Store;
use crate::store::articles::{ArticleFilter, ArticleSummary, NewArticleChange, Removal};
use crate::terminal::one_line;
use std::fmt::Write as _;

impl Run for ArticlesArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let mut outlets = Vec::new();
        for o in &self.outlet {
            let found = store.resolve_source(o, Some(SourceKind::Outlet))?;
            if found.is_empty() {
                return Err(Error::NothingFound(format!(
                    "no outlet named '{}' in the store",
                    crate::terminal::shorten(o)
                )));
            }
            outlets.extend(found);
        }
        let articles = store.articles(&ArticleFilter {
            outlets,
            since: self.since,
            until: self.until,
            removed: self.removed,
        })?;
        if self.format == ResultFormat::Json {
            super::print_json(&articles)?;
        } else if !articles.is_empty() {
            super::print(&table(&articles, super::layout::columns(self.wide)))?;
        }
        if articles.is_empty() {
            return Err(Error::NothingFound(if self.removed {
                "no removed article matches".into()
            } else {
                "no article matches".into()
            }));
        }
        Ok(())
    }
}

/// One article a line (id, date, outlet, claims, title), then its path or url under it;
/// cells cut at a word with "…" to fit `columns`.
fn table(articles: &[ArticleSummary], columns: Option<usize>) -> String {
    let outlets: Vec<String> = articles
        .iter()
        .map(|a| one_line(a.outlet.as_deref().unwrap_or(crate::report::UNKNOWN_OUTLET)))
        .collect();
    let id_width = articles
        .iter()
        .map(|a| a.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2);
    let widest = outlets.iter().map(|o| width(o)).max().unwrap_or(0).max(6);
    let outlet_width = match columns {
        Some(_) => widest.min(20),
        None => widest,
    };
    let head = |id: &str, date: &str, outlet: &str, claims: &str| {
        let outlet = fit(outlet, outlet_width);
        let pad = outlet_width.saturating_sub(width(&outlet));
        format!(
            "{id:>id_width$}  {date:<10}  {outlet}{}  {claims:>6}  ",
            " ".repeat(pad)
        )
    };
    let cut = |s: &str, used: usize| match columns {
        Some(c) => fit(s, c.saturating_sub(used).max(8)),
        None => s.to_string(),
    };
    let mut s = String::new();
    let h = head("ID", "DATE", "OUTLET", "CLAIMS");
    let _ = writeln!(s, "{h}{}", cut("TITLE / PATH OR URL", width(&h)));
    for (a, outlet) in articles.iter().zip(&outlets) {
        let date = a.published.as_deref().unwrap_or("unknown");
        let h = head(&a.id.to_string(), date, outlet, &a.claims.to_string());
        let title = one_line(a.title.as_deref().unwrap_or("(untitled)"));
        let _ = writeln!(s, "{h}{}", cut(&title, width(&h)));
        let indent = " ".repeat(id_width + 2);
        let place = one_line(a.url.as_deref().unwrap_or(&a.path));
        let _ = writeln!(s, "{indent}{}", cut(&place, indent.len()));
    }
    s
}

impl Run for ArticleArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let change = self.title.is_some()
            || self.outlet.is_some()
            || self.published.is_some()
            || self.url.is_some();
        if !change {
            if self.note.is_some() || self.by.is_some() {
                return Err(Error::Usage(
                    "--note and --by go with a correction: give --title, --outlet, \
                     --published or --url"
                        .into(),
                ));
            }
            return show(ctx, self.article, self.format);
        }
        let reviewer = self.by.clone().unwrap_or_else(super::verify::user_name);
        let at = ctx.clock.now();
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let changes = store.change_article(
            self.article,
            &NewArticleChange {
                title: self.title.as_deref(),
                outlet: self.outlet.as_deref(),
                published: self.published,
                url: self.url.as_deref(),
                note: self.note.as_deref(),
                reviewer: Some(&reviewer),
                at: Some(at),
            },
        )?;
        // Committed: from here on the command succeeds.
        let _ = sync::after_commit(&store);
        let at = crate::clock::timestamp(at);
        if self.format == ResultFormat::Json {
            return super::print_json(&serde_json::json!({
                "article": self.article, "outcome": "written", "by": reviewer, "at": at,
                "note": self.note, "changes": changes,
            }));
        }
        let mut s = format!(
            "article {}: corrected by {} at {at}\n",
            self.article,
            one_line(&reviewer)
        );
        for line in article_changes(&changes) {
            let _ = writeln!(s, "  {line}");
        }
        super::print(&s)
    }
}

/// What an article change changed, one line per field.
fn article_changes(c: &crate::store::articles::ArticleChanges) -> Vec<String> {
    let value = |v: &Option<Option<String>>| match v {
        Some(Some(s)) => format!("\"{}\"", one_line(s)),
        _ => "unknown".to_string(),
    };
    let mut out = Vec::new();
    for (name, change) in [
        ("title", &c.title),
        ("outlet", &c.outlet),
        ("published", &c.published),
        ("url", &c.url),
    ] {
        if let Some(ch) = change {
            out.push(format!(
                "{name}: {} → {}",
                value(&ch.from),
                value(&Some(ch.to.clone()))
            ));
        }
    }
    if let Some(r) = &c.removed {
        out.push(if r.to { "removed" } else { "restored" }.to_string());
    }
    out
}

fn show(ctx: &Context, id: i64, format: ResultFormat) -> Result<(), Error> {
    let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
    let Some(a) = store.article(id)? else {
        return Err(Error::Usage(format!("no article with id {id}")));
    };
    let claims = store.claims(&store.article_claims(id)?)?;
    let history = store.article_history(id)?;
    if format == ResultFormat::Json {
        return super::print_json(&serde_json::json!({
            "article": a,
            "claims": claims.iter().map(|c| serde_json::json!({
                "id": c.id, "text": c.claim.text, "kind": c.claim.kind,
                "certainty": c.claim.certainty, "status": c.status,
                "speaker": c.claim.speaker().map(|l| &l.name),
                "orphaned": c.orphaned, "rejected": c.rejected,
            })).collect::<Vec<_>>(),
            "history": history,
        }));
    }
    let meta = crate::model::ArticleMeta {
        title: a.title.clone(),
        outlet: a.outlet.clone(),
        published: a
            .published
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        url: a.url.clone(),
        author: None,
        language: None,
    };
    let mut s = format!(
        "article {id}: {}",
        render::article_header(&meta).replace('\n', "\n  ")
    );
    if a.removed {
        s.push_str("\n  (removed: out of every listing; `claimtrail restore` puts it back)");
    }
    let _ = writeln!(s, "\n  read from {}", one_line(&a.path));
    let _ = writeln!(s, "\nclaims ({}):", claims.len());
    for c in &claims {
        let speaker = c
            .claim
            .speaker()
            .map(|l| one_line(&l.name))
            .unwrap_or_else(|| "(no attribution)".into());
        let mut marks = String::new();
        if c.orphaned {
            marks.push_str(" (orphaned)");
        }
        if c.rejected {
            marks.push_str(" (not a claim)");
        }
        let _ = writeln!(
            s,
            "  {:>4}  {:<12}  {speaker}: \"{}\"{marks}",
            c.id,
            c.status.as_str(),
            one_line(&c.claim.text)
        );
    }
    if !history.is_empty() {
        s.push_str("\nhistory, newest first:\n");
        for h in &history {
            let _ = write!(s, "  {}", h.created_at);
            if let Some(by) = &h.reviewer {
                let _ = write!(s, " by {}", one_line(by));
            }
            if let Some(note) = &h.note {
                let _ = write!(s, ": {}", one_line(note));
            }
            s.push('\n');
            for line in article_changes(&h.changes) {
                let _ = writeln!(s, "    {line}");
            }
        }
    }
    super::print(&s)
}

fn set_removed(
    ctx: &Context,
    ids: &[i64],
    removed: bool,
    force: bool,
    by: Option<String>,
) -> Result<(), Error> {
    let reviewer = by.unwrap_or_else(super::verify::user_name);
    let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
    let mut unique = ids.to_vec();
    let mut seen = std::collections::HashSet::new();
    unique.retain(|id| seen.insert(*id));
    let outcomes = store.set_removed(&unique, removed, force, Some(&reviewer), ctx.clock.now())?;
    if outcomes.contains(&Removal::Done) {
        let _ = sync::after_commit(&store);
    }
    let (done, already) = if removed {
        ("removed", "already removed")
    } else {
        ("restored", "not removed")
    };
    let mut s = String::new();
    for (id, o) in unique.iter().zip(&outcomes) {
        let what = if *o == Removal::Done { done } else { already };
        let _ = writeln!(s, "article {id}: {what}");
    }
    super::print(&s)
}

impl Run for RemoveArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        set_removed(ctx, &self.articles, true, self.force, self.by)
    }
}

impl Run for RestoreArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        set_removed(ctx, &self.articles, false, false, self.by)
    }
}
