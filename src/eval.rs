//! Scoring extraction against attribution corpora annotated in brat standoff (PolNeAR's
//! layout: `text/*.txt`, `attributions/<text>_<annotator>.ann`).
//!
//! The metric is the one `../shared/tools/brat_score.py` computes, so the two agree to the
//! count: gold relations are the `E` records (source, cue and content spans, fragments
//! merged across whitespace); predicted relations are the claims grouped by their
//! outermost (cue, source) spans, content pieces merged; each role is scored by exact
//! match and by overlap (one-to-one, any shared character), as precision, recall and F1.

use crate::model::Claim;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A span made of one or more fragments, as char offsets.
pub type Fragments = Vec<(usize, usize)>;

/// The spans of each role over all relations of one article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Relations {
    pub source: Vec<Fragments>,
    pub cue: Vec<Fragments>,
    pub content: Vec<Fragments>,
}

/// Trims whitespace at the edges of each fragment and joins fragments separated by
/// whitespace only, as annotators' discontinuous spans and the scorer do.
fn merge(frags: &[(usize, usize)], chars: &[char]) -> Fragments {
    let mut sorted: Vec<(usize, usize)> = frags
        .iter()
        .map(|&(s, e)| (s.min(chars.len()), e.min(chars.len())))
        .collect();
    sorted.sort();
    let mut out: Fragments = Vec::new();
    for (mut s, mut e) in sorted {
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s >= e {
            continue;
        }
        if let Some(last) = out.last_mut()
            && last.1 <= s
            && chars[last.1..s].iter().all(|c| c.is_whitespace())
        {
            last.1 = last.1.max(e);
            continue;
        }
        out.push((s, e));
    }
    out
}

/// Reads the gold relations of one `.ann` file. Records are split on their `T`/`E`/`#`
/// prefix, not on lines, because a covered text can span paragraphs.
pub fn parse_ann(ann: &str, text: &str) -> Result<Relations, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: HashMap<&str, Fragments> = HashMap::new();
    let mut events: Vec<HashMap<String, Vec<&str>>> = Vec::new();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(ann.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| {
            let rest = &ann[i..];
            let id_len = rest.find('\t').unwrap_or(0);
            id_len > 1
                && matches!(rest.as_bytes()[0], b'T' | b'E' | b'#')
                && rest[1..id_len].bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(ann.len());
        let rec = &ann[s..end];
        let (id, rest) = rec
            .split_once('\t')
            .ok_or_else(|| format!("record without a tab: {}", rec.lines().next().unwrap_or("")))?;
        if id.starts_with('T') {
            let head = rest.split('\t').next().unwrap_or("");
            let (_, offsets) = head
                .split_once(' ')
                .ok_or_else(|| format!("{id}: no offsets"))?;
            let mut frags = Vec::new();
            for part in offsets.split(';') {
                let mut it = part.split_whitespace();
                let (Some(a), Some(b)) = (it.next(), it.next()) else {
                    return Err(format!("{id}: bad offsets '{part}'"));
                };
                let a: usize = a.parse().map_err(|_| format!("{id}: bad offset '{a}'"))?;
                let b: usize = b.parse().map_err(|_| format!("{id}: bad offset '{b}'"))?;
                frags.push((a, b));
            }
            spans.insert(id, merge(&frags, &chars));
        } else if id.starts_with('E') {
            let mut roles: HashMap<String, Vec<&str>> = HashMap::new();
            for part in rest.split_whitespace() {
                let Some((role, tid)) = part.split_once(':') else {
                    continue;
                };
                // "Content2" is a second content span of the same relation.
                let role = if role.starts_with("Content") {
                    role.trim_end_matches(|c: char| c.is_ascii_digit())
                } else {
                    role
                };
                roles.entry(role.to_string()).or_default().push(tid);
            }
            events.push(roles);
        }
    }
    let mut gold = Relations::default();
    for roles in &events {
        for (role, out) in [
            ("Source", &mut gold.source),
            ("Cue", &mut gold.cue),
            ("Content", &mut gold.content),
        ] {
            let frags: Vec<(usize, usize)> = roles
                .get(role)
                .into_iter()
                .flatten()
                .filter_map(|t| spans.get(t))
                .flatten()
                .copied()
                .collect();
            if !frags.is_empty() {
                let m = merge(&frags, &chars);
                if !m.is_empty() {
                    out.push(m);
                }
            }
        }
    }
    Ok(gold)
}

/// The relations a set of claims stands for: the distinct (cue, source) pairs of their
/// outermost attribution, each with the content of all its claims merged (a quotation
/// over several sentences under one cue is one relation). Claims with neither a cue nor a
/// source span (the publisher's own assertions, carried-over sentences) are no relation.
pub fn predicted(claims: &[Claim], text: &str) -> Relations {
    let chars: Vec<char> = text.chars().collect();
    type Key = (Option<(usize, usize)>, Option<(usize, usize)>);
    let mut order: Vec<Key> = Vec::new();
    let mut groups: HashMap<Key, Vec<(usize, usize)>> = HashMap::new();
    for c in claims {
        let cue = c.spans.cue.map(|s| (s.start, s.end));
        let src = c.spans.source.map(|s| (s.start, s.end));
        if cue.is_none() && src.is_none() {
            continue;
        }
        let key = (cue, src);
        if !groups.contains_key(&key) {
            order.push(key);
        }
        groups
            .entry(key)
            .or_default()
            .extend(c.spans.content.iter().map(|s| (s.start, s.end)));
    }
    let mut pred = Relations::default();
    for key in order {
        let (cue, src) = key;
        if let Some(s) = src {
            pred.source.push(merge(&[s], &chars));
        }
        if let Some(c) = cue {
            pred.cue.push(merge(&[c], &chars));
        }
        let content = &groups[&key];
        if !content.is_empty() {
            pred.content.push(merge(content, &chars));
        }
    }
    for v in [&mut pred.source, &mut pred.cue, &mut pred.content] {
        v.retain(|f| !f.is_empty());
    }
    pred
}

/// Counts for one role.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleCounts {
    pub gold: usize,
    pub pred: usize,
    pub exact: usize,
    pub overlap: usize,
}

impl RoleCounts {
    fn add(&mut self, o: &RoleCounts) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.exact += o.exact;
        self.overlap += o.overlap;
    }

    /// Precision, recall and F1 (in percent) for exact (`false`) or overlap (`true`) matching.
    pub fn prf(&self, overlap: bool) -> (f64, f64, f64) {
        let m = if overlap { self.overlap } else { self.exact } as f64;
        let p = if self.pred > 0 {
            m / self.pred as f64
        } else {
            0.0
        };
        let r = if self.gold > 0 {
            m / self.gold as f64
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p * 100.0, r * 100.0, f * 100.0)
    }
}

fn overlaps(a: &Fragments, b: &Fragments) -> bool {
    a.iter()
        .any(|&(s1, e1)| b.iter().any(|&(s2, e2)| s1 < e2 && s2 < e1))
}

/// Exact matches as a multiset, overlap matches greedily one-to-one, in prediction order.
fn count(gold: &[Fragments], pred: &[Fragments]) -> RoleCounts {
    let mut left: Vec<&Fragments> = gold.iter().collect();
    let mut exact = 0;
    for p in pred {
        if let Some(i) = left.iter().position(|g| *g == p) {
            left.remove(i);
            exact += 1;
        }
    }
    let mut left: Vec<&Fragments> = gold.iter().collect();
    let mut overlap = 0;
    for p in pred {
        if let Some(i) = left.iter().position(|g| overlaps(p, g)) {
            left.remove(i);
            overlap += 1;
        }
    }
    RoleCounts {
        gold: gold.len(),
        pred: pred.len(),
        exact,
        overlap,
    }
}

/// Scores for source, cue and content.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    pub source: RoleCounts,
    pub cue: RoleCounts,
    pub content: RoleCounts,
}

impl Score {
    pub fn add(&mut self, o: &Score) {
        self.source.add(&o.source);
        self.cue.add(&o.cue);
        self.content.add(&o.content);
    }

    pub fn roles(&self) -> [(&'static str, &RoleCounts); 3] {
        [
            ("source", &self.source),
            ("cue", &self.cue),
            ("content", &self.content),
        ]
    }
}

pub fn score(gold: &Relations, pred: &Relations) -> Score {
    Score {
        source: count(&gold.source, &pred.source),
        cue: count(&gold.cue, &pred.cue),
        content: count(&gold.content, &pred.content),
    }
}

/// One article of a brat corpus: its text file and the first annotator's `.ann` file.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub text: PathBuf,
    pub ann: PathBuf,
}

/// Lists the articles of a corpus folder laid out like PolNeAR, sorted by name; texts
/// without an annotation file are skipped. Errors name the folder that is missing.
pub fn corpus_items(dir: &Path) -> Result<Vec<Item>, String> {
    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let read = |d: &Path| {
        std::fs::read_dir(d).map_err(|e| {
            format!(
                "{}: not a brat-standoff corpus: {}: {e}",
                dir.display(),
                d.display()
            )
        })
    };
    let mut anns: Vec<String> = read(&ann_dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort();
    let mut texts: Vec<String> = read(&text_dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    texts.sort();
    let mut items = Vec::new();
    for t in texts {
        let name = t.trim_end_matches(".txt").to_string();
        let prefix = format!("{name}_");
        // The first annotator file, like the reference scorer: `<name>_<annotator>.ann`.
        if let Some(a) = anns
            .iter()
            .find(|a| a.starts_with(&prefix) && !a[prefix.len()..].contains('_'))
        {
            items.push(Item {
                text: text_dir.join(&t),
                ann: ann_dir.join(a),
                name,
            });
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discontinuous_gold_spans_merge_across_whitespace() {
        let text = "“Judge,” Brafman said, “I never had that.”";
        let ann = "T1\tSource 9 16\tBrafman\nT2\tCue 17 21\tsaid\nT3\tContent 0 8;23 42\t“Judge,” “I never had that.”\nE1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n";
        let g = parse_ann(ann, text).unwrap();
        assert_eq!(g.source, vec![vec![(9, 16)]]);
        assert_eq!(g.content, vec![vec![(0, 8), (23, 42)]]);
    }

    #[test]
    fn records_may_span_lines() {
        let text = "He said:\n\nA.\n\nB.";
        let ann =
            "T1\tContent 9 16\tA.\n\nB.\nT2\tCue 3 7\tsaid\nE1\tAttribution:T2 Cue:T2 Content:T1\n";
        let g = parse_ann(ann, text).unwrap();
        assert_eq!(g.content, vec![vec![(10, 16)]]);
        assert_eq!(g.cue, vec![vec![(3, 7)]]);
    }

    #[test]
    fn exact_is_a_multiset_and_overlap_one_to_one() {
        let gold = vec![vec![(0, 5)], vec![(10, 20)]];
        let pred = vec![vec![(0, 5)], vec![(0, 5)], vec![(12, 14)]];
        let c = count(&gold, &pred);
        assert_eq!((c.exact, c.overlap), (1, 2));
        let (p, r, f) = c.prf(true);
        assert!((p - 200.0 / 3.0).abs() < 1e-9 && (r - 100.0).abs() < 1e-9 && f > 79.0);
    }
}

/// The score of one article, for `eval --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleScore {
    pub name: String,
    pub claims: usize,
    pub score: Score,
}

/// Scores of a whole corpus: the total and each article's.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub total: Score,
    pub articles: Vec<ArticleScore>,
}

/// Runs the extractor over every article of a brat corpus and scores it. `progress` is
/// called after each article with (done, total). Text files are read as UTF-8, as the
/// annotators' offsets are code points of that text.
pub fn run(
    dir: &Path,
    extractor: &crate::extract::Extractor,
    mut progress: impl FnMut(usize, usize),
) -> Result<Report, String> {
    let items = corpus_items(dir)?;
    let mut report = Report::default();
    for (k, item) in items.iter().enumerate() {
        // The text goes through the same reader as `claimtrail extract FILE`, so that the
        // scores here and those of a scorer driving the binary are of the same claims.
        let doc = crate::read::read_file(&item.text)
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .ok_or_else(|| format!("{}: no article in the file", item.text.display()))?
            .map_err(|e| e.to_string())?;
        let text = doc.text;
        let ann = std::fs::read_to_string(&item.ann)
            .map_err(|e| format!("{}: {e}", item.ann.display()))?;
        let gold = parse_ann(&ann, &text).map_err(|e| format!("{}: {e}", item.ann.display()))?;
        let claims = extractor.extract(&text, &doc.meta).claims;
        let s = score(&gold, &predicted(&claims, &text));
        report.total.add(&s);
        report.articles.push(ArticleScore {
            name: item.name.clone(),
            claims: claims.len(),
            score: s,
        });
        progress(k + 1, items.len());
    }
    Ok(report)
}

impl Report {
    /// The table `claimtrail eval` prints: per role, exact and overlap P/R/F1.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} articles\nrole     match    precision  recall     F1   (gold, predicted)\n",
            self.articles.len()
        );
        for (name, c) in self.total.roles() {
            for overlap in [false, true] {
                let (p, r, f) = c.prf(overlap);
                let m = if overlap { "overlap" } else { "exact" };
                out.push_str(&format!(
                    "{name:<8} {m:<8} {p:>9.1} {r:>7.1} {f:>6.1}   ({}, {})\n",
                    c.gold, c.pred
                ));
            }
        }
        let f = |overlap| {
            self.total
                .roles()
                .map(|(_, c)| format!("{:.1}", c.prf(overlap).2))
                .join("/")
        };
        out.push_str(&format!(
            "exact F1 source/cue/content: {}\noverlap F1 source/cue/content: {}\n",
            f(false),
            f(true)
        ));
        out
    }
}
