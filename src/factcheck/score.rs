//! Scoring a ranked run against relevance judgements as CLEF-2020 CheckThat! Task 2 does,
//! exactly as `../shared/tools/clef_match_score.py` computes it (a test compares the two
//! on the benchmark when it is present): MAP@k with trec_eval's average precision at
//! depth k (the precision at each relevant document retrieved in the top k, summed, over
//! the number of relevant documents), recall@k, and MRR over the whole run. Every query of
//! the judgements counts; one with no run line scores 0.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// The measures of one run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scores {
    pub queries: usize,
    /// (k, MAP@k, recall@k) for k of 1, 3, 5, 10 and 20.
    pub at: Vec<(usize, f64, f64)>,
    pub mrr: f64,
}

impl Scores {
    pub fn map_at(&self, k: usize) -> Option<f64> {
        self.at.iter().find(|a| a.0 == k).map(|a| a.1)
    }

    pub fn recall_at(&self, k: usize) -> Option<f64> {
        self.at.iter().find(|a| a.0 == k).map(|a| a.2)
    }

    /// The scorer's own lines.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (k, map, recall) in &self.at {
            let _ = writeln!(out, "MAP@{k:<2} {map:.3}   recall@{k:<2} {recall:.3}");
        }
        let _ = writeln!(out, "MRR    {:.3}   queries {}", self.mrr, self.queries);
        let _ = writeln!(out, "MAP@5 {:.3}", self.map_at(5).unwrap_or(0.0));
        out
    }
}

/// Scores `run` (lines `qid Q0 docid rank score tag`) against `qrels` (`qid 0 docid rel`).
pub fn score(run: &str, qrels: &str) -> Scores {
    let mut relevant: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for line in qrels.lines() {
        let p: Vec<&str> = line.split_whitespace().collect();
        if p.len() >= 4 && p[3] != "0" {
            relevant.entry(p[0]).or_default().insert(p[2]);
        }
    }
    let mut ranked: HashMap<&str, Vec<(i64, &str)>> = HashMap::new();
    for line in run.lines() {
        let p: Vec<&str> = line.split_whitespace().collect();
        if p.len() >= 5
            && let Ok(rank) = p[3].parse::<i64>()
        {
            ranked.entry(p[0]).or_default().push((rank, p[2]));
        }
    }
    for docs in ranked.values_mut() {
        docs.sort();
    }
    let n = relevant.len().max(1) as f64;
    let at = [1, 3, 5, 10, 20]
        .into_iter()
        .map(|k| {
            let (mut map, mut recall) = (0.0, 0.0);
            for (q, rel) in &relevant {
                let (mut hits, mut sum) = (0usize, 0.0);
                for (i, (_, d)) in ranked.get(q).into_iter().flatten().take(k).enumerate() {
                    if rel.contains(d) {
                        hits += 1;
                        sum += hits as f64 / (i + 1) as f64;
                    }
                }
                map += sum / rel.len() as f64;
                recall += hits as f64 / rel.len() as f64;
            }
            (k, map / n, recall / n)
        })
        .collect();
    let mrr = relevant
        .iter()
        .map(|(q, rel)| {
            ranked
                .get(q)
                .into_iter()
                .flatten()
                .position(|(_, d)| rel.contains(d))
                .map_or(0.0, |i| 1.0 / (i + 1) as f64)
        })
        .sum::<f64>()
        / n;
    Scores {
        queries: relevant.len(),
        at,
        mrr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_precision_and_recall_as_trec_eval_counts_them() {
        let qrels = "a 0 x 1\nb 0 y 1\nb 0 z 1\nc 0 w 1\n";
        // a: x at rank 2; b: y at 1 and z at 3; c: no run line.
        let run = "a Q0 q 1 9 t\na Q0 x 2 8 t\nb Q0 y 1 9 t\nb Q0 v 2 8 t\nb Q0 z 3 7 t\n";
        let s = score(run, qrels);
        assert_eq!(s.queries, 3);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(s.map_at(1).unwrap(), (0.0 + 0.5 + 0.0) / 3.0));
        assert!(close(
            s.map_at(3).unwrap(),
            (0.5 + (1.0 + 2.0 / 3.0) / 2.0) / 3.0
        ));
        assert!(close(s.recall_at(3).unwrap(), (1.0 + 1.0) / 3.0));
        assert!(close(s.mrr, (0.5 + 1.0) / 3.0));
        assert!(s.render().ends_with("MAP@5 0.444\n"), "{}", s.render());
    }
}
