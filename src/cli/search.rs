//! `claimtrail search` and `claimtrail unconfirmed`: the same query and filters, resolved
//! through the store, searched in the index (caught up with the database first), the claims
//! read back from the database and printed by `rows.rs`.

use super::args::{FilterArgs, SearchArgs, UnconfirmedArgs};
use super::rows::{self, Row};
use super::{Context, Run, query};
use crate::error::Error;
use crate::index::Ranking;
use crate::index::risk::risk;
use crate::model::Status;
use crate::store::Store;
use std::collections::HashMap;

/// The statuses `unconfirmed` lists: a fact-checker has not settled them.
const OPEN: [Status; 3] = [Status::Unverified, Status::Disputed, Status::Unconfirmable];

impl Run for SearchArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        list(ctx, &self.query, self.filters, None)
    }
}

impl Run for UnconfirmedArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        list(ctx, &self.query, self.filters, Some(self.min_risk))
    }
}

/// `min_risk` is `Some` for `unconfirmed` (holding its `--min-risk`), `None` for `search`.
fn list(
    ctx: &Context,
    words: &[String],
    args: FilterArgs,
    min_risk: Option<Option<u32>>,
) -> Result<(), Error> {
    let unconfirmed = min_risk.is_some();
    let query = query::parse(&words.join(" ")).map_err(Error::Usage)?;
    let mut statuses: Vec<Status> = args.status.iter().chain(&query.statuses).copied().collect();
    if unconfirmed {
        if statuses.is_empty() {
            statuses = OPEN.to_vec();
        } else {
            statuses.retain(|s| OPEN.contains(s));
            if statuses.is_empty() {
                return Err(Error::Usage(format!(
                    "unconfirmed lists open claims only (status {}); use search for others",
                    OPEN.map(|s| s.as_str()).join(", ")
                )));
            }
        }
    }
    let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
    let mut filters = query::filters(&store, &query, &args.select, statuses)?;
    filters.min_risk = min_risk.flatten();
    let ranking = if unconfirmed {
        Ranking::Risk
    } else {
        Ranking::Relevance
    };
    let index = super::sync::open_for_reading(&store)?;
    let found = super::sync::searching(&store, index, |index| {
        Ok(index.search(Some(&query.text), &filters, ranking, args.limit as usize)?)
    })?;
    if found.hits.is_empty() {
        return Err(Error::NothingFound(if unconfirmed {
            "no open claim matches".into()
        } else {
            "no claim matches".into()
        }));
    }
    let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    let mut claims: HashMap<i64, _> = store.claims(&ids)?.into_iter().map(|c| (c.id, c)).collect();
    let mut rows: Vec<Row> = found
        .hits
        .into_iter()
        .filter_map(|hit| {
            let claim = claims.remove(&hit.id)?;
            let risk = unconfirmed.then(|| risk(&claim));
            Some(Row { claim, hit, risk })
        })
        .collect();
    if unconfirmed {
        // A claim several independent origins report is less risky to repeat than one
        // resting on a single origin however many outlets carried it: among the claims
        // listed, single-origin ones (and claims in no story) come first, each group in
        // the order of its risk score.
        rows.sort_by_key(|r| r.claim.origins > 1);
    }
    rows::print(&rows, found.total, args.format, args.wide)
}
