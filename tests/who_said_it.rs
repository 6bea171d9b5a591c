//! Who really said it (issue 13): one source per real-world entity across articles, no
//! calendar word as a source, and a denial stated as a denial in every report format.

use crate::common::{self, TestEnv};

#[test]
fn the_forms_of_one_name_are_one_source_store_wide_and_no_day_is_a_source() {
    let env = TestEnv::new();
    env.write(
        "in/a.txt",
        "---\ntitle: Inquiry reopened\noutlet: The New York Times\n---\n\
         The F.B.I. said on Friday that it had reopened the inquiry into the emails.\n\n\
         James B. Comey told lawmakers that the review would take several weeks.\n\n\
         Donald J. Trump said that the whole system was rigged against him.\n\n\
         On Election Day, voters said that the lines at the polls were very long.\n",
    );
    env.write(
        "in/b.txt",
        "---\ntitle: Review finished\noutlet: Example Wire\n---\n\
         The FBI said in a statement that the review of the emails was finished.\n\n\
         James Comey said that the bureau had found nothing new in the emails.\n\n\
         Republican Donald Trump told supporters in Michigan that he would win the state in November.\n",
    );
    let run = env.run(&["ingest", env.dir().join("in").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let sources = env.json(&["sources", "--all", "--format", "json"]);
    let names: Vec<(String, String, u64)> = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["kind"].as_str().unwrap().to_string(),
                s["claims"].as_u64().unwrap(),
            )
        })
        .collect();
    let with = |words: &[&str]| -> Vec<&(String, String, u64)> {
        names
            .iter()
            .filter(|(n, _, _)| {
                let n = n.to_lowercase().replace('.', "");
                words.iter().all(|w| n.contains(w))
            })
            .collect()
    };
    for (words, name, claims) in [
        (&["fbi"][..], "FBI", 2),
        (&["comey"][..], "James Comey", 2),
        (&["trump"][..], "Donald Trump", 2),
    ] {
        let found = with(words);
        assert_eq!(found.len(), 1, "{words:?}: {names:?}");
        assert_eq!(found[0].0, name, "{names:?}");
        assert!(found[0].2 >= claims, "{names:?}");
    }
    assert_eq!(with(&["fbi"])[0].1, "organization", "{names:?}");
    for day in ["friday", "november", "election day", "election"] {
        assert!(
            !names.iter().any(|(n, _, _)| n.to_lowercase() == day),
            "{day}: {names:?}"
        );
    }
}

#[test]
fn a_denial_reads_as_a_denial_in_every_report_format() {
    let env = TestEnv::new();
    env.write(
        "in/denial.txt",
        "---\ntitle: Kremlin ties\noutlet: Example Wire\n---\n\
         Trump has denied he has any formal connection to the Kremlin.\n",
    );
    let run = env.run(&["ingest", env.dir().join("in").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let id = env.claim_id("formal connection").to_string();
    let run = env.run(&["verify", &id, "--status", "disputed", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    let denial = "Trump denied that he has any formal connection to the Kremlin";
    for format in ["markdown", "csv", "json", "claimreview", "html"] {
        let mut args = vec!["report"];
        args.extend(common::format_args(format));
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{format}: {run}");
        assert!(run.stdout.contains(denial), "{format}:\n{}", run.stdout);
    }
    let mut args = vec!["report"];
    args.extend(common::format_args("claimreview"));
    let review = env.json(&args);
    let reviewed = review
        .as_array()
        .map(|a| a[0]["claimReviewed"].clone())
        .unwrap_or_else(|| review["claimReviewed"].clone());
    assert_eq!(reviewed, denial, "{review}");
    let run = env.run(&["show", &id]);
    assert!(run.stdout.contains(denial), "{run}");
    let run = env.run(&["search", "--source", "Trump"]);
    assert!(run.stdout.contains(denial), "{run}");
}
