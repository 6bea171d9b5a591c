//! Writes one of the hostile articles of issue 11 (item 10) to stdout, for measuring what a
//! huge article costs to ingest (README, Limits):
//!
//! ```text
//! cargo run --release --example hostile -- said 67108864 > said.txt
//! /usr/bin/time -v target/release/claimtrail --db /tmp/s ingest said.txt
//! ```
//!
//! Shapes, each one paragraph without a sentence end, front matter first, the file at most
//! BYTES long (the default and the largest a file may be: 64 MiB, `read::MAX_FILE_BYTES`):
//! - `said`: "Ana Varn said the berth N would reopen, " clauses, five names in turn;
//! - `citing`: "Batch Wire reported, citing Ana Varn, citing Bob Kestrel, ...", five names;
//! - `new-names`: the same chain, citing a name never seen before each time.
//!
//! Generated, never committed: the same arguments always write the same bytes.

use std::io::Write;

const NAMES: [&str; 5] = [
    "Ana Varn",
    "Bob Kestrel",
    "Carl Ortiz",
    "Dana Lind",
    "Eli Jensen",
];

const FIRST: [&str; 8] = ["Ana", "Bob", "Carl", "Dana", "Eli", "Faye", "Gus", "Hana"];

/// A surname no other `n` gives: the digits of `n` in base 16 as syllables, the fastest
/// changing first, so that names differ from their first letters on.
fn surname(mut n: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "da", "fi", "go", "hu", "ja", "pe", "ri",
        "zu",
    ];
    let mut s = String::new();
    loop {
        s.push_str(SYLLABLES[n % 16]);
        n /= 16;
        if n == 0 {
            break;
        }
    }
    let mut chars = s.chars();
    let first = chars.next().unwrap().to_ascii_uppercase();
    std::iter::once(first).chain(chars).collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: hostile said|citing|new-names [BYTES]";
    let shape = args.next().expect(usage);
    let bytes: usize = args
        .next()
        .map(|b| b.parse().expect(usage))
        .unwrap_or(claimtrail::read::MAX_FILE_BYTES as usize);
    let clause: Box<dyn Fn(usize) -> String> = match shape.as_str() {
        "said" => Box::new(|n| format!("{} said the berth {n} would reopen, ", NAMES[n % 5])),
        "citing" => Box::new(|n| format!("citing {}, ", NAMES[n % 5])),
        "new-names" => Box::new(|n| format!("citing {} {}, ", FIRST[n % 8], surname(n))),
        _ => panic!("{usage}"),
    };
    let head = "---\ntitle: t\noutlet: Batch Wire\n---\nBatch Wire reported, ";
    let tail = "and that the port would reopen.\n";
    let mut text = String::with_capacity(bytes);
    text.push_str(head);
    let mut n = 0;
    loop {
        let c = clause(n);
        if text.len() + c.len() + tail.len() > bytes {
            break;
        }
        text.push_str(&c);
        n += 1;
    }
    text.push_str(tail);
    std::io::stdout()
        .write_all(text.as_bytes())
        .expect("stdout writable");
}
