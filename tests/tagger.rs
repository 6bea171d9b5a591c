//! `claimtrail train` and `--model`: a model trained on a tiny brat corpus the test writes
//! finds, with `extract --model`, the spans it was taught (a cue no lexicon holds), the same
//! seed gives the same model, and a file that is not a model is one error line.

use crate::common::TestEnv;

/// Six annotated articles where "grumbled" (in no lexicon) is the cue, the name before it
/// the source and the clause after it the content.
fn write_corpus(env: &TestEnv) {
    let people = [
        "Zorblat Quenn",
        "Mira Toller",
        "Anton Brisk",
        "Lena Fahr",
        "Olaf Wint",
        "Nina Roos",
    ];
    let things = [
        "the bridge over the river will stay closed until spring",
        "the council spent the road budget on a new stadium",
        "the ferry schedule was cut without any public notice",
        "the school board ignored the letters from parents",
        "the harbour fees doubled in a single year",
        "the new tram line runs late every single morning",
    ];
    for (i, (who, what)) in people.iter().zip(things).enumerate() {
        let first = format!("{who} grumbled that {what}.");
        let text = format!("{first}\n\nThe town did not reply to questions on Tuesday.\n");
        let s0 = 0;
        let s1 = who.chars().count();
        let c0 = s1 + 1;
        let c1 = c0 + "grumbled".len();
        let t0 = c1 + 1;
        let t1 = first.chars().count() - 1;
        let ann = format!(
            "T1\tSource {s0} {s1}\t{who}\nT2\tCue {c0} {c1}\tgrumbled\nT3\tContent {t0} {t1}\t{}\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n",
            &first[t0..t1]
        );
        env.write(&format!("corpus/text/doc{i}.txt"), text);
        env.write(&format!("corpus/attributions/doc{i}_a.ann"), ann);
    }
}

#[test]
fn train_on_a_tiny_corpus_then_extract_with_its_model_finds_the_spans_it_learned() {
    // The default (a CRF), then the perceptron; each with the flag that makes it learn
    // nothing, to show that what comes back is what training taught.
    train_and_extract(&["--iterations", "50"], &["--iterations", "0"], "a CRF");
    train_and_extract(
        &["--algorithm", "perceptron", "--epochs", "10"],
        &["--algorithm", "perceptron", "--epochs", "0"],
        "an averaged perceptron",
    );
}

fn train_and_extract(learn: &[&str], nothing: &[&str], fitted: &str) {
    let env = TestEnv::new();
    write_corpus(&env);
    let corpus = env.dir().join("corpus");
    let model = env.dir().join("tiny.model");
    let train = |out: &std::path::Path, flags: &[&str], dev: bool| {
        let mut args = vec![
            "train",
            corpus.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--bits",
            "12",
        ];
        args.extend_from_slice(flags);
        if dev {
            args.extend_from_slice(&["--dev", corpus.to_str().unwrap()]);
        }
        env.run(&args)
    };
    let run = train(&model, learn, true);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains(&format!("trained {fitted}")) && run.stdout.contains(" on 6 articles"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("exact F1 source/cue/content:"),
        "{}",
        run.stdout
    );
    // The same corpus and seed give the same bytes.
    let again = env.dir().join("again.model");
    let run = train(&again, learn, false);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(&again).unwrap()
    );

    // An article the model has not seen, with the cue it learned.
    let text = "Karl Yttre grumbled that the night buses stopped running after ten.\n";
    let article = env.write("new.txt", text);
    let spans = |args: &[&str]| -> Vec<(String, String, String)> {
        let out = env.json(args);
        out["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| {
                let s = &c["spans"];
                let piece = |v: &serde_json::Value| -> Option<String> {
                    let (a, b) = (v[0].as_u64()? as usize, v[1].as_u64()? as usize);
                    Some(text.chars().skip(a).take(b - a).collect())
                };
                Some((
                    piece(&s["source"])?,
                    piece(&s["cue"])?,
                    piece(&s["content"][0])?,
                ))
            })
            .collect()
    };
    let learned = spans(&[
        "--model",
        model.to_str().unwrap(),
        "extract",
        "--format",
        "json",
        article.to_str().unwrap(),
    ]);
    assert_eq!(
        learned,
        vec![(
            "Karl Yttre".to_string(),
            "grumbled".to_string(),
            "that the night buses stopped running after ten".to_string()
        )]
    );
    // A model of the same corpus that learned nothing (no pass, no iteration) finds no such
    // span: what comes back above is what training taught.
    let untrained = env.dir().join("untrained.model");
    let run = train(&untrained, nothing, false);
    assert_eq!(run.code, 0, "{run}");
    let none = spans(&[
        "--model",
        untrained.to_str().unwrap(),
        "extract",
        "--format",
        "json",
        article.to_str().unwrap(),
    ]);
    assert!(
        !none.iter().any(|(_, cue, _)| cue == "grumbled"),
        "{none:?}"
    );
}

#[test]
fn a_model_file_that_is_not_a_model_is_one_error_line() {
    let env = TestEnv::new();
    let bad = env.write("bad.model", "not a model at all");
    let article = env.write("a.txt", "Anna Berg said the road is closed.\n");
    let run = env.run(&[
        "--model",
        bad.to_str().unwrap(),
        "extract",
        article.to_str().unwrap(),
    ]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr.contains("not a claimtrail tagger model"),
        "{run}"
    );
    let run = env.run(&["train", env.dir().to_str().unwrap(), "-o", "x.model"]);
    run.assert_one_line_error(2);
    write_corpus(&env);
    let corpus = env.dir().join("corpus");
    let run = env.run(&[
        "train",
        corpus.to_str().unwrap(),
        "-o",
        "x.model",
        "--c2",
        "-1",
    ]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("--c2 -1"), "{run}");
    assert!(!env.dir().join("x.model").exists());
}
