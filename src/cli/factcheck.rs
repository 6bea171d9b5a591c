//! `claimtrail import-reviews` (outside fact-checks from ClaimReview JSON-LD), `claimtrail
//! match` (the fact-checks and verdicts a text says the same as) and `claimtrail
//! eval-match` (the matcher measured on CLEF-2020 CheckThat! Task 2).

use super::args::{EvalMatchArgs, ImportReviewsArgs, MatchArgs, ResultFormat};
use super::{Context, Run, plural, print, print_json, sync};
use crate::error::Error;
use crate::factcheck::{Matcher, reviews};
use crate::store::{Scope, Store, Target};
use crate::terminal::one_line;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

impl Run for ImportReviewsArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        // Every file is read and parsed before anything is written: a bad file is a
        // one-line error and nothing of the batch is stored.
        let mut files = Vec::with_capacity(self.files.len());
        for path in &self.files {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
            let parsed = reviews::parse(&text)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
            files.push((path, parsed));
        }
        let embedder = ctx.embedder()?;
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let mut added = 0;
        let mut already = 0;
        for (path, parsed) in &files {
            let done = store.import_reviews(parsed, &path.display().to_string())?;
            added += done.added;
            already += done.already;
        }
        // The stored claims that say what the new reviews judged are checked from now on.
        let checked = store.match_claims(Scope::All)?;
        let _ = sync::after_commit(&store);
        let embedded = match &embedder {
            Some(e) => Some(store.embed_fact_checks(e)?),
            None => None,
        };
        if self.format == ResultFormat::Json {
            return print_json(&serde_json::json!({
                "reviews_added": added, "reviews_already_stored": already,
                "claims_checked": checked, "vectors_stored": embedded,
            }));
        }
        let vectors = embedded
            .map(|n| format!("; vectors stored for {n} fact-check{}", plural(n)))
            .unwrap_or_default();
        print(&format!(
            "imported {added} fact-check{} ({already} already stored); {checked} stored claim{} already checked{vectors}\n",
            plural(added),
            plural(checked)
        ))
    }
}

impl Run for MatchArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        if self.text.trim().is_empty() {
            return Err(Error::Usage("the text to match is empty".into()));
        }
        let embedder = ctx.embedder()?;
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let reviews = store.fact_checks()?;
        let (mut matcher, _) = store.matcher_with(embedder.as_ref())?;
        if matcher.is_empty() {
            return Err(Error::NothingFound(
                "nothing to match against: no fact-check imported (import-reviews) and no verdict recorded"
                    .into(),
            ));
        }
        let vector = embedder.as_ref().map(|e| {
            e.embed(&[crate::factcheck::matcher::clean(&self.text).as_str()])
                .remove(0)
        });
        let ranked =
            matcher.rank_with_vector(&self.text, false, vector.as_deref(), self.limit as usize);
        let by_id: rustc_hash::FxHashMap<i64, _> = reviews.iter().map(|r| (r.id, r)).collect();
        let mut rows = Vec::with_capacity(ranked.len());
        for r in &ranked {
            let row = match r.id {
                Target::Review(id) => {
                    let f = by_id[&id];
                    serde_json::json!({"by": "review", "fact_check": id,
                        "claim_reviewed": f.claim_reviewed, "rating": f.rating,
                        "reviewer": f.reviewer, "url": f.url, "published": f.published,
                        "score": round(r.score), "cosine": r.cosine.map(round),
                        "overlap": round(r.overlap), "same_claim": r.same})
                }
                Target::Verdict(id) => {
                    let c = store.claim(id)?;
                    serde_json::json!({"by": "verdict", "claim": id, "text": c.claim.text,
                        "status": c.status.as_str(), "score": round(r.score),
                        "cosine": r.cosine.map(round), "overlap": round(r.overlap),
                        "same_claim": r.same})
                }
            };
            rows.push(row);
        }
        if self.format == ResultFormat::Json {
            return print_json(&serde_json::json!({"matches": rows}));
        }
        if rows.is_empty() {
            return Err(Error::NothingFound(
                "no fact-check or verdict shares a word with the text".into(),
            ));
        }
        let mut out = String::new();
        for (i, row) in rows.iter().enumerate() {
            let same = if row["same_claim"] == true {
                "  same claim"
            } else {
                ""
            };
            let score = &row["score"];
            let line = if row["by"] == "review" {
                let who = row["reviewer"].as_str().unwrap_or("an unnamed reviewer");
                let rating = row["rating"].as_str().unwrap_or("no rating");
                let url = row["url"]
                    .as_str()
                    .map(|u| format!(" ({u})"))
                    .unwrap_or_default();
                format!(
                    "{}. [{score}] {who} rated it {rating}{url}: {}{same}",
                    i + 1,
                    row["claim_reviewed"].as_str().unwrap_or("")
                )
            } else {
                format!(
                    "{}. [{score}] claim #{} is {} in this store: {}{same}",
                    i + 1,
                    row["claim"],
                    row["status"].as_str().unwrap_or(""),
                    row["text"].as_str().unwrap_or("")
                )
            };
            let _ = writeln!(out, "{}", one_line(&line));
        }
        print(&out)
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The rows of a CLEF tab-separated file after its header: (id, text).
fn read_tsv(path: &Path) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(true)
        .flexible(true)
        .from_path(path)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        let mut fields = record.iter().map(str::to_string);
        let Some(id) = fields.next().filter(|id| !id.trim().is_empty()) else {
            return Err(Error::Usage(format!(
                "{}: row {}: no id in the first column",
                path.display(),
                n + 2
            )));
        };
        rows.push((id.trim().to_string(), fields.collect()));
    }
    Ok(rows)
}

impl Run for EvalMatchArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let verified = read_tsv(&self.verified)?;
        let queries = read_tsv(&self.queries)?;
        let embedder = ctx.embedder()?;
        // The verified claims go into a store of their own, as fact-checks, so the run
        // measures exactly what `match` and ingest match against.
        let temp =
            tempfile::tempdir().map_err(|e| Error::Usage(format!("a temporary store: {e}")))?;
        let mut store = Store::open(temp.path().join("store"))?.with_clock(ctx.clock);
        let reviews: Vec<crate::factcheck::Review> = verified
            .iter()
            .map(|(id, fields)| {
                let claim = fields.first().cloned().unwrap_or_default();
                let title = fields.get(1).cloned().filter(|t| !t.trim().is_empty());
                crate::factcheck::Review {
                    claim_reviewed: claim,
                    item_text: title,
                    rating: None,
                    reviewer: None,
                    url: Some(format!("clef:{id}")),
                    published: None,
                    claimant: None,
                }
            })
            .filter(|r| !r.claim_reviewed.trim().is_empty())
            .collect();
        store.import_reviews(&reviews, &self.verified.display().to_string())?;
        let stored = store.fact_checks()?;
        // Stored in file order: the fact-check's url holds the benchmark's id.
        let clef_id: rustc_hash::FxHashMap<i64, &str> = stored
            .iter()
            .map(|f| {
                (
                    f.id,
                    f.url
                        .as_deref()
                        .and_then(|u| u.strip_prefix("clef:"))
                        .unwrap_or(""),
                )
            })
            .collect();
        // What `import-reviews --embeddings` stores, timed apart: a store embeds its
        // fact-checks once, not for every query.
        let started = Instant::now();
        if let Some(e) = &embedder {
            store.embed_fact_checks(e)?;
        }
        let embedded = started.elapsed();
        let started = Instant::now();
        let (mut matcher, _): (Matcher<Target>, _) = store.matcher_with(embedder.as_ref())?;
        let built = started.elapsed();
        let started = Instant::now();
        let texts: Vec<&str> = queries
            .iter()
            .map(|(_, fields)| fields.first().map_or("", String::as_str))
            .collect();
        let vectors: Vec<Option<Vec<f32>>> = match &embedder {
            Some(e) => {
                let cleaned: Vec<String> = texts
                    .iter()
                    .map(|t| crate::factcheck::matcher::clean(t))
                    .collect();
                let cleaned: Vec<&str> = cleaned.iter().map(String::as_str).collect();
                e.embed(&cleaned).into_iter().map(Some).collect()
            }
            None => vec![None; texts.len()],
        };
        let queries_embedded = started.elapsed();
        let mut run = String::new();
        let asked: Vec<crate::factcheck::Query> = texts
            .iter()
            .zip(&vectors)
            .map(|(text, vector)| crate::factcheck::Query {
                text,
                denied: false,
                vector: vector.as_deref(),
            })
            .collect();
        let ranked = matcher.rank_many(&asked, self.depth as usize);
        for ((qid, _), ranked) in queries.iter().zip(&ranked) {
            for (rank, r) in ranked.iter().enumerate() {
                let Target::Review(f) = r.id else { continue };
                let _ = writeln!(
                    run,
                    "{qid}\tQ0\t{}\t{}\t{:.4}\tclaimtrail",
                    clef_id[&f],
                    rank + 1,
                    r.score
                );
            }
        }
        let matched = started.elapsed();
        if let Some(path) = &self.run {
            std::fs::write(path, &run)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        }
        let vectors = match &embedder {
            Some(e) => format!(
                "; embedded with {} in {:.3} s",
                e.dir.display(),
                embedded.as_secs_f64()
            ),
            None => String::new(),
        };
        let mut out = format!(
            "{} verified claims, {} queries{vectors}; index built in {:.3} s, queries matched in {:.3} s{}\n",
            stored.len(),
            queries.len(),
            built.as_secs_f64(),
            matched.as_secs_f64(),
            match &embedder {
                Some(_) => format!(
                    " ({:.3} s of it embedding them)",
                    queries_embedded.as_secs_f64()
                ),
                None => String::new(),
            }
        );
        if let Some(qrels) = &self.qrels {
            let text = std::fs::read_to_string(qrels)
                .map_err(|e| Error::Usage(format!("{}: {e}", qrels.display())))?;
            out.push_str(&crate::factcheck::score::score(&run, &text).render());
        }
        print(&out)
    }
}
