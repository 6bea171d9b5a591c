//! Re-ingesting after the extractor changed: claims are reconciled by their stable key and
//! no verdict is ever lost. The extractor change is simulated by rewriting the stored
//! `articles.extractor_version` (and, for a claim the new extractor no longer finds, its key).

use crate::common::{NOW, TestEnv};
use claimtrail::model::Status;
use claimtrail::store::Store;
use std::collections::BTreeMap;

fn at() -> chrono::DateTime<chrono::Utc> {
    NOW.parse().unwrap()
}

/// Every verdict as (id, claim id, status).
fn verdicts(env: &TestEnv) -> Vec<(i64, i64, String)> {
    env.db()
        .prepare("SELECT id, claim_id, status FROM verdicts ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every claim as id → (key, orphaned).
fn claims(env: &TestEnv) -> BTreeMap<i64, (String, bool)> {
    env.db()
        .prepare("SELECT id, claim_key, orphaned FROM claims")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn reingest_with_a_changed_extractor_keeps_every_verdict() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    let before = claims(&env);
    let ids: Vec<i64> = before.keys().copied().collect();
    let (kept, vanishing) = (ids[0], ids[ids.len() / 2]);

    {
        let mut store = Store::open(env.store()).unwrap();
        let evidence = vec!["https://example.org/record".to_string()];
        store
            .add_verdict(
                kept,
                Status::Confirmed,
                Some("checked"),
                &evidence,
                Some("ana"),
                at(),
            )
            .unwrap();
        store
            .add_verdict(kept, Status::Disputed, None, &[], Some("ben"), at())
            .unwrap();
        store
            .add_verdict(
                vanishing,
                Status::False,
                Some("no such call"),
                &[],
                None,
                at(),
            )
            .unwrap();
    }
    let judged = verdicts(&env);
    assert_eq!(judged.len(), 3);

    // The "old extractor" wrote every article, and found one claim the new one will not.
    let db = env.db();
    db.execute("UPDATE articles SET extractor_version = 0", [])
        .unwrap();
    db.execute(
        "UPDATE claims SET claim_key = 'found-only-by-the-old-extractor' WHERE id = ?1",
        [vanishing],
    )
    .unwrap();
    drop(db);

    let run = env.run(&["ingest", "corpus"]);
    assert_eq!(run.code, 0, "{run}");
    let articles = env.counts()["articles"];
    let expected = format!(
        "articles: 0 new, 0 unchanged, {articles} re-extracted, 0 failed\n\
         claims:   1 new, {} updated, 1 orphaned\n\
         sources:  0 new\n",
        before.len() - 1
    );
    assert!(run.stdout.starts_with(&expected), "{run}");

    assert_eq!(
        verdicts(&env),
        judged,
        "every verdict kept, on the same claims"
    );
    let after = claims(&env);
    assert_eq!(
        after[&kept],
        (before[&kept].0.clone(), false),
        "matched in place: same id"
    );
    assert!(
        after[&vanishing].1,
        "a claim no longer found is kept and flagged"
    );
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the claim found under its new key is new"
    );
    for (id, (key, _)) in &before {
        if *id != vanishing {
            assert_eq!(&after[id].0, key, "claim {id} kept its id");
        }
    }
    let evidence: i64 = env
        .db()
        .query_row("SELECT count(*) FROM verdict_evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(evidence, 1);

    // And the re-extracted store is stable again.
    let counts = env.counts();
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    assert_eq!(env.counts(), counts);
}

#[test]
fn a_claim_found_again_is_no_longer_orphaned() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&["ingest", "corpus/003_envoy_denies_lobbying.txt"])
            .code,
        0
    );
    let db = env.db();
    db.execute("UPDATE claims SET orphaned = 1", []).unwrap();
    db.execute("UPDATE articles SET extractor_version = 0", [])
        .unwrap();
    drop(db);
    let run = env.run(&["ingest", "corpus/003_envoy_denies_lobbying.txt"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .starts_with("articles: 0 new, 0 unchanged, 1 re-extracted"),
        "{run}"
    );
    assert!(claims(&env).values().all(|(_, orphaned)| !orphaned));
}

#[test]
fn verdicts_cannot_be_changed_or_deleted_and_judged_claims_cannot_be_deleted() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&["ingest", "corpus/003_envoy_denies_lobbying.txt"])
            .code,
        0
    );
    let claim: i64 = env
        .db()
        .query_row("SELECT min(id) FROM claims", [], |r| r.get(0))
        .unwrap();
    let mut store = Store::open(env.store()).unwrap();
    let urls = vec!["https://example.org/a".to_string(), " ".to_string()];
    let verdict = store
        .add_verdict(claim, Status::Confirmed, None, &urls, None, at())
        .unwrap();
    drop(store);

    let db = env.db();
    db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    for sql in [
        format!("UPDATE verdicts SET status = 'false' WHERE id = {verdict}"),
        format!("DELETE FROM verdicts WHERE id = {verdict}"),
        format!("UPDATE verdict_evidence SET url = 'x' WHERE verdict_id = {verdict}"),
        format!("DELETE FROM verdict_evidence WHERE verdict_id = {verdict}"),
        format!("DELETE FROM claims WHERE id = {claim}"),
        "INSERT INTO verdicts (claim_id, status, created_at) VALUES (1, 'maybe', 'now')".into(),
    ] {
        assert!(
            db.execute(&sql, []).is_err(),
            "the database accepted: {sql}"
        );
    }
    let evidence: i64 = db
        .query_row("SELECT count(*) FROM verdict_evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(evidence, 1, "blank evidence urls are skipped");
    let status: String = db
        .query_row(
            "SELECT status FROM claim_status WHERE claim_id = ?1",
            [claim],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "confirmed");
}

#[test]
fn a_verdict_on_an_unknown_claim_is_refused() {
    let env = TestEnv::new();
    let mut store = Store::open(env.store()).unwrap();
    let err = store
        .add_verdict(424242, Status::Confirmed, None, &[], None, at())
        .unwrap_err();
    assert_eq!(err.to_string(), "no claim with id 424242");
    assert!(!err.is_internal());
}
