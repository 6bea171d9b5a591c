//! `claimtrail verify`: append one verdict to each claim named by id or selected by a query,
//! in one store transaction, then bring the search index up to date in one commit so that
//! `search` sees the new status as soon as this returns.

use super::args::VerifyArgs;
use super::{Context, Run, query};
use crate::error::Error;
use crate::index::SearchIndex;
use crate::store::Store;
use std::fmt::Write as _;

impl Run for VerifyArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        for url in &self.evidence {
            check_http_url(url).map_err(Error::Usage)?;
        }
        let bulk = self.query.is_some() || !self.select.is_empty();
        if bulk && !self.claims.is_empty() {
            return Err(Error::Usage(
                "give claim ids or a selection (--query, filters), not both".into(),
            ));
        }
        if !bulk && self.claims.is_empty() {
            return Err(Error::Usage(
                "which claims? give claim ids, or --query and filters with --yes".into(),
            ));
        }
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let ids = if bulk {
            let query = query::parse(self.query.as_deref().unwrap_or("")).map_err(Error::Usage)?;
            let filters = query::filters(&store, &query, &self.select, query.statuses.clone())?;
            let ids = query::all_ids(&SearchIndex::open_for_reading(&store)?, &query, &filters)?;
            if ids.is_empty() {
                return Err(Error::NothingFound(
                    "no claim matches the query: no verdict written".into(),
                ));
            }
            if !self.yes {
                return Err(Error::Usage(format!(
                    "this would set {} claim(s) to {}; add --yes to do it",
                    ids.len(),
                    self.status
                )));
            }
            ids
        } else {
            let mut ids = self.claims.clone();
            let mut seen = std::collections::HashSet::new();
            ids.retain(|id| seen.insert(*id));
            ids
        };
        let before = store.claims(&ids)?;
        let reviewer = self.by.clone().unwrap_or_else(user_name);
        let at = ctx.clock.now();
        store.add_verdicts(
            &ids,
            self.status,
            self.note.as_deref(),
            &self.evidence,
            Some(&reviewer),
            at,
        )?;
        // One index commit for the whole batch, before returning.
        SearchIndex::open(&store)?;

        let mut s = String::new();
        for c in &before {
            let mark = if c.orphaned {
                super::rows::ORPHANED_MARK
            } else {
                ""
            };
            let _ = writeln!(s, "claim {}: {} → {}{mark}", c.id, c.status, self.status);
        }
        let noun = if ids.len() == 1 { "claim" } else { "claims" };
        let _ = writeln!(
            s,
            "{} {noun} set to {} by {} at {}",
            ids.len(),
            self.status,
            crate::terminal::one_line(&reviewer),
            crate::clock::timestamp(at)
        );
        super::print(&s)
    }
}

/// Who runs the program, for `--by`'s default: `USER`, else `USERNAME`, else "unknown".
fn user_name() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// Accepts an absolute http or https url with a host, and nothing else: evidence must be
/// something a reader can open. The message names the string refused.
pub(crate) fn check_http_url(url: &str) -> Result<(), String> {
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
mod tests {
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
