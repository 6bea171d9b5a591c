-- claimtrail store schema, version 7 (kept in PRAGMA user_version).
--
-- This file is the whole current schema: a new store is created by running it as it is.
-- A store written by an older claimtrail is brought up to date by the steps listed in
-- src/store/migrate.rs, each of which must end in the same schema as this file; a store
-- whose user_version is newer than the program knows is refused, never guessed at.
--
-- Conventions:
-- * Timestamps are RFC 3339 text in UTC to the second ('2025-11-25T12:00:00Z'): they sort as
--   text and read well in the sqlite3 shell.
-- * Every closed vocabulary has a CHECK constraint spelled exactly like `as_str` in
--   src/model.rs (a unit test compares the two), so a bug cannot store a value the program
--   would later fail to read.
-- * Char spans are offsets in Unicode scalar values, end exclusive, like the model.
-- * Nothing that a fact-checker's judgement hangs on is ever deleted: claims with verdicts
--   cannot be deleted, verdicts and their evidence cannot be changed at all.

-- The state of the database as a number. Every write transaction that changes what the
-- search index holds (a claim, its chain or sources, a verdict) increments `generation` once
-- and stamps the claims it changed with it (`claims.changed_generation`), inside the same
-- transaction. The index records the generation it reflects in its own commit, so "the
-- index is behind" is one comparison, and catching up is one query. One row, always.
--
-- `store_id` is the store's identity, drawn at random when it is created (version 3): the
-- index records it beside the generation, so an index copied from another store is never
-- taken for this one's.
CREATE TABLE meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL CHECK (generation >= 0),
    store_id    TEXT
);
INSERT INTO meta (id, generation, store_id) VALUES (1, 0, lower(hex(randomblob(16))));

-- Anyone or anything a claim can be attributed to. Shared by every article of the store, so
-- "claims resting on Bloomberg" is one lookup whatever article they come from.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    -- The canonical name. ASCII case is not part of identity: `--outlet reuters` and
    -- "Reuters" are one outlet, and the first spelling stored is the one kept.
    name        TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL
                CHECK (kind IN ('outlet', 'person', 'organization', 'document', 'anonymous')),
    created_at  TEXT NOT NULL,
    -- The same name may be two sources of different kinds (an outlet named after a person).
    UNIQUE (name, kind)
);

-- Other ways articles refer to a source: spellings and short forms ('name': Zelenskiy,
-- Steve) and the titles or descriptions seen in text ('role': Putin's aide).
CREATE TABLE source_aliases (
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    alias       TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(alias)) > 0),
    form        TEXT NOT NULL CHECK (form IN ('name', 'role')),
    PRIMARY KEY (source_id, alias, form)
) WITHOUT ROWID;
-- "Who is 'the Trump special envoy'?" looks an alias up by its text.
CREATE INDEX source_aliases_by_alias ON source_aliases (alias);

-- Names merged into another source by `claimtrail alias NAME CANONICAL`: the source NAME
-- was is gone, and a later article that names it (with that kind) is attributed to the
-- canonical source, so the merge holds for what is ingested after it. Added in version 2.
CREATE TABLE source_merges (
    name        TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL
                CHECK (kind IN ('outlet', 'person', 'organization', 'document', 'anonymous')),
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    PRIMARY KEY (name, kind)
) WITHOUT ROWID;

-- One ingested document. The hash of its text is its identity: ingesting the same text
-- again, from any file, stores nothing new.
CREATE TABLE articles (
    id                  INTEGER PRIMARY KEY,
    -- SHA-256 of the UTF-8 text, lowercase hex.
    content_hash        TEXT NOT NULL UNIQUE CHECK (length(content_hash) = 64),
    title               TEXT,
    -- The publisher as the metadata names it, and the outlet source it resolves to. Both
    -- stay NULL when unknown: a publisher is never invented.
    outlet              TEXT,
    publisher_id        INTEGER REFERENCES sources (id),
    url                 TEXT,
    -- ISO date; NULL when unknown, never guessed.
    published           TEXT CHECK (published IS NULL OR date(published) IS published),
    language            TEXT,
    author              TEXT,
    text                TEXT NOT NULL,
    -- Where the text was first read from, for messages (the line for JSONL).
    source_path         TEXT NOT NULL,
    source_line         INTEGER CHECK (source_line IS NULL OR source_line > 0),
    -- The extractor version that produced this article's claims: when the program's
    -- extractor differs, ingest re-extracts the article and reconciles its claims.
    extractor_version   INTEGER NOT NULL,
    ingested_at         TEXT NOT NULL,
    extracted_at        TEXT NOT NULL,
    -- 1 when `claimtrail remove` took the article out of every listing and search (its
    -- claims, verdicts and corrections stay). Kept in step with `article_changes`, never set
    -- otherwise. Added in version 5.
    removed             INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1))
);
CREATE INDEX articles_by_publisher ON articles (publisher_id);
CREATE INDEX articles_by_published ON articles (published);

-- The entries of a feed that were stored, by the feed (its URL as given, or the file's
-- absolute path) and the entry's id (the feed's own id or guid; else one derived from its
-- link and title): reading the same feed again fetches only the entries not seen. A row is
-- written in the transaction that stores its article, so a failed fetch is tried again next
-- time and a stored one never is. Added in version 4.
CREATE TABLE feed_entries (
    feed        TEXT NOT NULL CHECK (length(feed) > 0),
    entry       TEXT NOT NULL CHECK (length(entry) > 0),
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (feed, entry)
) WITHOUT ROWID;
CREATE INDEX feed_entries_by_article ON feed_entries (article_id);

-- One assertion of one article.
CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id),
    -- Stable across extractor versions (a hash of the normalised text and the speaker's
    -- name): re-extraction updates the claim with the same key in place, so its id, and
    -- the verdicts that hang on it, survive.
    claim_key       TEXT NOT NULL,
    -- Order of the claim in the article at its latest extraction.
    position        INTEGER NOT NULL CHECK (position >= 0),
    text            TEXT NOT NULL,
    sentence        TEXT NOT NULL,
    sentence_start  INTEGER NOT NULL CHECK (sentence_start >= 0),
    sentence_end    INTEGER NOT NULL CHECK (sentence_end >= sentence_start),
    kind            TEXT NOT NULL
                    CHECK (kind IN ('direct_quote', 'indirect', 'according_to', 'assertion')),
    certainty       TEXT NOT NULL
                    CHECK (certainty IN ('certain', 'probable', 'possible', 'unconfirmed', 'denied')),
    -- The hedge words as written, a JSON array of strings.
    hedges          TEXT NOT NULL DEFAULT '[]'
                    CHECK (json_valid(hedges) AND json_type(hedges) = 'array'),
    cue             TEXT,
    -- The annotator's spans (source, cue, content pieces) as the model's JSON.
    spans           TEXT NOT NULL CHECK (json_valid(spans)),
    -- 1 when the latest extraction no longer finds this claim. It is kept, with its chain
    -- and verdicts, rather than deleted: a fact-checker's work is never lost.
    orphaned        INTEGER NOT NULL DEFAULT 0 CHECK (orphaned IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- The generation (see `meta`) of the last transaction that changed this claim, its
    -- chain, or its status: the search index re-reads the claims changed since the
    -- generation it reflects. Added in version 2, after the columns of version 1.
    changed_generation INTEGER NOT NULL DEFAULT 0 CHECK (changed_generation >= 0),
    -- 1 when a fact-checker's latest word on it (`claim_corrections`) is that it is not a
    -- claim: it leaves every listing unless asked for. Kept in step with the corrections,
    -- never set otherwise. Added in version 5.
    rejected        INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1)),
    UNIQUE (article_id, claim_key)
);
CREATE INDEX claims_by_certainty ON claims (certainty);
CREATE INDEX claims_by_changed_generation ON claims (changed_generation);

-- The database itself refuses to lose a judged claim, whatever program writes to it.
CREATE TRIGGER claims_keep_judged BEFORE DELETE ON claims
WHEN EXISTS (SELECT 1 FROM verdicts WHERE claim_id = OLD.id)
  OR EXISTS (SELECT 1 FROM claim_corrections WHERE claim_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'a claim with verdicts or corrections cannot be deleted');
END;

-- The attribution chain of a claim, publisher first (position 0), speaker last.
CREATE TABLE claim_links (
    claim_id        INTEGER NOT NULL REFERENCES claims (id),
    position        INTEGER NOT NULL CHECK (position >= 0),
    source_id       INTEGER NOT NULL REFERENCES sources (id),
    role            TEXT NOT NULL CHECK (role IN ('publisher', 'relay', 'document', 'speaker')),
    cue             TEXT,
    -- Whom the source was speaking to ("told Ushakov").
    recipient_id    INTEGER REFERENCES sources (id),
    -- Where the source is mentioned for this claim; both NULL when the text has no mention
    -- (the publisher, usually).
    mention_start   INTEGER CHECK (mention_start >= 0),
    mention_end     INTEGER,
    CHECK ((mention_start IS NULL) = (mention_end IS NULL)),
    CHECK (mention_end >= mention_start),
    PRIMARY KEY (claim_id, position)
) WITHOUT ROWID;
-- "Which claims rest on Bloomberg?" goes from the source to its links.
CREATE INDEX claim_links_by_source ON claim_links (source_id);
CREATE INDEX claim_links_by_recipient ON claim_links (recipient_id) WHERE recipient_id IS NOT NULL;

-- A fact-checker's judgement of a claim: an append-only history, the latest is current.
-- "Latest" is by time, never by id (ids differ from store to store, and an imported file
-- chose its own): see `claim_status` below.
CREATE TABLE verdicts (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims (id),
    status      TEXT NOT NULL
                CHECK (status IN ('unverified', 'confirmed', 'disputed', 'false', 'unconfirmable', 'retracted')),
    note        TEXT,
    reviewer    TEXT,
    created_at  TEXT NOT NULL,
    -- How many verdicts of the same claim were recorded before this one in the same second
    -- (timestamps are to the second): the order within a second, carried by export and
    -- import so that every store orders a history alike. Added in version 3.
    seq         INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0)
);
-- The history of one claim.
CREATE INDEX verdicts_by_claim ON verdicts (claim_id, id);

-- Append-only is enforced here, not only in the program: a correction is a new verdict.
CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts
BEGIN
    SELECT RAISE(ABORT, 'verdicts are append-only: add a new verdict instead');
END;
CREATE TRIGGER verdicts_no_delete BEFORE DELETE ON verdicts
BEGIN
    SELECT RAISE(ABORT, 'verdicts are append-only: add a new verdict instead');
END;

-- The urls a verdict rests on, in the order given. Part of the verdict, so as immutable.
CREATE TABLE verdict_evidence (
    verdict_id  INTEGER NOT NULL REFERENCES verdicts (id),
    position    INTEGER NOT NULL CHECK (position >= 0),
    url         TEXT NOT NULL CHECK (length(trim(url)) > 0),
    PRIMARY KEY (verdict_id, position)
) WITHOUT ROWID;

CREATE TRIGGER verdict_evidence_no_update BEFORE UPDATE ON verdict_evidence
BEGIN
    SELECT RAISE(ABORT, 'verdict evidence is append-only');
END;
CREATE TRIGGER verdict_evidence_no_delete BEFORE DELETE ON verdict_evidence
BEGIN
    SELECT RAISE(ABORT, 'verdict evidence is append-only');
END;

-- The current status of every claim: its latest verdict, 'unverified' when it has none.
-- One definition, so search, reports and the index cannot disagree about it. The latest is
-- the one with the latest time; within one second the greatest `seq`; then (verdicts from two
-- stores recorded in the same second) the greatest status, reviewer, note and evidence as
-- text, so that every store holding the same verdicts picks the same one. The ORDER BY is
-- `store::LATEST_FIRST`, spelled the same here (a unit test compares them).
CREATE VIEW claim_status AS
SELECT c.id AS claim_id,
       coalesce((SELECT v.status FROM verdicts v WHERE v.claim_id = c.id
                 ORDER BY julianday(v.created_at) DESC, v.seq DESC, v.status DESC, coalesce(v.reviewer, '') DESC, coalesce(v.note, '') DESC, (SELECT coalesce(group_concat(e.url, ' ' ORDER BY e.position), '') FROM verdict_evidence e WHERE e.verdict_id = v.id) DESC, v.id DESC
                 LIMIT 1), 'unverified') AS status
FROM claims c;

-- A fact-checker's corrections of what extraction got wrong (`claimtrail correct`): an
-- append-only history per claim, like verdicts. `changes` is a JSON object with one member
-- per field changed (`speaker`, `chain`, `text`, `kind`, `certainty`, `rejected`), each
-- {"from": ..., "to": ...}; sources are named by name and kind, never by id, so a
-- correction means the same in every store and survives a merge. The claim row holds the
-- corrected values (what every reader and the index read); its extracted values are put
-- back by re-extraction, which then applies the corrections again in order (see
-- src/store/corrections.rs). `seq` orders the corrections of one claim within a second, as
-- for verdicts. Added in version 5.
CREATE TABLE claim_corrections (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims (id),
    changes     TEXT NOT NULL CHECK (json_valid(changes) AND json_type(changes) = 'object'),
    note        TEXT,
    reviewer    TEXT,
    created_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0)
);
CREATE INDEX claim_corrections_by_claim ON claim_corrections (claim_id, id);
CREATE TRIGGER claim_corrections_no_update BEFORE UPDATE ON claim_corrections
BEGIN
    SELECT RAISE(ABORT, 'corrections are append-only: add a new correction instead');
END;
CREATE TRIGGER claim_corrections_no_delete BEFORE DELETE ON claim_corrections
BEGIN
    SELECT RAISE(ABORT, 'corrections are append-only: add a new correction instead');
END;

-- Corrections of an article's metadata and its removal and restoring (`claimtrail article
-- ID --outlet ...`, `remove`, `restore`): append-only, `changes` as for claims (`title`,
-- `outlet`, `published`, `url`, `removed`). The article row holds the current values.
-- Added in version 5.
CREATE TABLE article_changes (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    changes     TEXT NOT NULL CHECK (json_valid(changes) AND json_type(changes) = 'object'),
    note        TEXT,
    reviewer    TEXT,
    created_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0)
);
CREATE INDEX article_changes_by_article ON article_changes (article_id, id);
CREATE TRIGGER article_changes_no_update BEFORE UPDATE ON article_changes
BEGIN
    SELECT RAISE(ABORT, 'article changes are append-only: add a new change instead');
END;
CREATE TRIGGER article_changes_no_delete BEFORE DELETE ON article_changes
BEGIN
    SELECT RAISE(ABORT, 'article changes are append-only: add a new change instead');
END;

-- The curation of sources (`alias`, `unalias`, `source NAME --rename/--kind`), one row per
-- change, append-only: `details` is a JSON object saying exactly what moved (for a merge,
-- the merged source as it was and the links, publications and aliases that moved), so that
-- `unalias` can undo a merge exactly. Added in version 5.
CREATE TABLE source_changes (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL CHECK (action IN ('alias', 'unalias', 'rename', 'kind')),
    name        TEXT NOT NULL COLLATE NOCASE,
    details     TEXT NOT NULL CHECK (json_valid(details) AND json_type(details) = 'object'),
    created_at  TEXT NOT NULL
);
CREATE INDEX source_changes_by_name ON source_changes (name, id);
CREATE TRIGGER source_changes_no_update BEFORE UPDATE ON source_changes
BEGIN
    SELECT RAISE(ABORT, 'source changes are append-only');
END;
CREATE TRIGGER source_changes_no_delete BEFORE DELETE ON source_changes
BEGIN
    SELECT RAISE(ABORT, 'source changes are append-only');
END;

-- Outside fact-checks, read by `claimtrail import-reviews` from schema.org ClaimReview
-- JSON-LD: one row per review, kept as given. `review_key` (claimReviewed and url) makes
-- importing the same review again add nothing. Added in version 6.
CREATE TABLE fact_checks (
    id              INTEGER PRIMARY KEY,
    claim_reviewed  TEXT NOT NULL CHECK (claim_reviewed <> ''),
    item_text       TEXT,
    rating          TEXT,
    reviewer        TEXT,
    url             TEXT,
    published       TEXT,
    claimant        TEXT,
    origin          TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    review_key      TEXT NOT NULL UNIQUE
);

-- Which stored claims say what an outside fact-check or another claim's verdict already
-- judged (src/factcheck/matcher.rs, `same_claim`): derived data, written by ingest,
-- import-reviews and reindex for the claims they match, never edited by hand. Added in
-- version 6.
CREATE TABLE claim_checks (
    claim_id          INTEGER NOT NULL REFERENCES claims (id),
    fact_check_id     INTEGER REFERENCES fact_checks (id),
    verdict_claim_id  INTEGER REFERENCES claims (id),
    overlap           REAL NOT NULL CHECK (overlap >= 0 AND overlap <= 1),
    CHECK ((fact_check_id IS NULL) <> (verdict_claim_id IS NULL))
);
CREATE INDEX claim_checks_by_claim ON claim_checks (claim_id);

-- The sentence vectors of each outside fact-check (its claim, then its title when it has
-- one: little-endian 32-bit floats, one vector after the other) under the fingerprint of
-- the model that made them (src/embed): derived data, written by import-reviews, reindex
-- and eval-match when given --embeddings, read by match. Added in version 8.
CREATE TABLE fact_check_vectors (
    fact_check_id  INTEGER NOT NULL REFERENCES fact_checks (id),
    model          TEXT NOT NULL,
    vectors        BLOB NOT NULL CHECK (length(vectors) > 0 AND length(vectors) % 4 = 0),
    PRIMARY KEY (fact_check_id, model)
) WITHOUT ROWID;

-- The story of every claim that is not rejected: the claims saying the same thing across
-- articles (src/story/similar.rs), grouped at ingest, a new claim joining an existing
-- story or founding one (src/story/group.rs). `story_id` is the id of the claim that
-- founded the story, so a claim joining it changes no other claim's story. `joined_through`
-- and `similarity` say which claim it was found similar to (NULL and 1 for a founder).
-- The origin is the first-hand source the claim's chain ends on before the speaker
-- (src/story/origin.rs). Derived data: rebuilt by `reindex` from the claims and
-- `story_changes`, never edited by hand. Added in version 7.
CREATE TABLE claim_stories (
    claim_id        INTEGER PRIMARY KEY REFERENCES claims (id),
    story_id        INTEGER NOT NULL REFERENCES claims (id),
    joined_through  INTEGER REFERENCES claims (id),
    similarity      REAL NOT NULL CHECK (similarity >= 0 AND similarity <= 1),
    origin_name     TEXT NOT NULL,
    origin_kind     TEXT NOT NULL CHECK (origin_kind IN ('reporting', 'wire', 'assertion')),
    origin_via      TEXT,
    origin_anonymous INTEGER NOT NULL DEFAULT 0 CHECK (origin_anonymous IN (0, 1))
);
CREATE INDEX claim_stories_by_story ON claim_stories (story_id);

-- A fact-checker's splits and joins of stories (`claimtrail story CLAIM --detach`,
-- `--join OTHER`): append-only like corrections, applied after grouping, in order, by
-- ingest and by `reindex`, so they survive every rebuild. Added in version 7.
CREATE TABLE story_changes (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims (id),
    action      TEXT NOT NULL CHECK (action IN ('detach', 'join')),
    other_id    INTEGER REFERENCES claims (id),
    reviewer    TEXT,
    created_at  TEXT NOT NULL,
    CHECK ((action = 'join') = (other_id IS NOT NULL))
);
CREATE INDEX story_changes_by_claim ON story_changes (claim_id, id);
CREATE TRIGGER story_changes_no_update BEFORE UPDATE ON story_changes
BEGIN
    SELECT RAISE(ABORT, 'story changes are append-only');
END;
CREATE TRIGGER story_changes_no_delete BEFORE DELETE ON story_changes
BEGIN
    SELECT RAISE(ABORT, 'story changes are append-only');
END;
