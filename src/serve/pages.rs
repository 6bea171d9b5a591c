//! The desk's pages, rendered on the server with maud (which escapes every value it
//! inserts: a claim holding `<script>` is shown as text). No script: links and forms only,
//! so the URL holds the whole search and the back button works. Every page is readable on
//! a narrow screen and printable (`assets/desk.css`).

use super::api::{id_of, params, report_download};
use super::desk::{
    self, ArticlePage, ClaimHit, ClaimPage, CorrectionForm, Facet, Mark, ReportFormat, SearchPage,
    SearchParams, SourcePage, StoriesPage, VerdictForm,
};
use super::{App, Visitor, blocking, fail, security};
use crate::error::Error;
use crate::model::{Certainty, ClaimKind, Link, Status};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use std::sync::Arc;

const CSS: &str = include_str!("assets/desk.css");

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(search_page))
        .route("/claims/{id}", get(claim_page))
        .route("/claims/{id}/verdict", post(verdict_post))
        .route("/claims/{id}/correct", post(correct_post))
        .route("/claims/{id}/story", post(story_post))
        .route("/articles/{id}", get(article_page))
        .route("/sources/{name}", get(source_page))
        .route("/stories", get(stories_page))
        .route("/report", get(report_page))
        .route("/login", get(login_page).post(login_post))
        .route("/logout", post(logout_post))
        .route("/assets/desk.css", get(css))
        .route("/favicon.ico", get(favicon))
}

async fn css() -> Response {
    let mut r = super::typed("text/css; charset=utf-8", CSS);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// A browser asks for it on every page: a small mark, so that it finds one.
async fn favicon() -> Response {
    let mut r = super::typed("image/svg+xml", FAVICON);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

const FAVICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>\
<rect width='16' height='16' rx='3' fill='#1f5fa8'/><path d='M4 5h8M4 8h6M4 11h4' \
stroke='#fff' stroke-width='1.6'/></svg>";

/// The frame of every page.
fn layout(title: &str, visitor: Option<&Visitor>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · claimtrail" }
                link rel="stylesheet" href="/assets/desk.css";
                link rel="icon" href="/favicon.ico" type="image/svg+xml";
            }
            body {
                header.top {
                    a.brand href="/" { "claimtrail" }
                    nav {
                        a href="/" { "Search" }
                        a href="/stories" { "Stories" }
                    }
                    @if let Some(v) = visitor {
                        span.who { "reviewing as " strong { (v.reviewer) } }
                        @if v.tokens && v.signed_in {
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(v.csrf);
                                button type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page whose request failed.
pub fn error_page(status: StatusCode, message: &str) -> Markup {
    layout(
        status.canonical_reason().unwrap_or("Error"),
        None,
        html! {
            h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
            p.error role="alert" { (message) }
            p { a href="/" { "Back to the search" } }
        },
    )
}

fn page(result: Result<Markup, Error>) -> Response {
    match result {
        Ok(m) => m.into_response(),
        Err(e) => fail(false, &e),
    }
}

fn options<T: Copy + std::fmt::Display>(all: &[T], selected: Option<&str>) -> Markup {
    html! {
        option value="" { "any" }
        @for v in all {
            @let s = v.to_string();
            option value=(s) selected[selected == Some(s.as_str())] { (s) }
        }
    }
}

fn status_badge(s: Status) -> Markup {
    html! { span class={"badge status-" (s)} { (s) } }
}

/// The claim's text with the search's matches marked (byte ranges of `text`, in order).
fn highlighted(text: &str, highlights: &[[usize; 2]]) -> Markup {
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for &[start, end] in highlights {
        let fits = start >= at && start < end && end <= text.len();
        if fits && text.is_char_boundary(start) && text.is_char_boundary(end) {
            pieces.push((false, &text[at..start]));
            pieces.push((true, &text[start..end]));
            at = end;
        }
    }
    pieces.push((false, &text[at..]));
    html! {
        @for (marked, piece) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

fn hit_item(c: &ClaimHit) -> Markup {
    html! {
        li.hit data-claim=(c.id) {
            a.claim-link href={"/claims/" (c.id)} {
                @if c.statement != c.text {
                    (c.statement)
                } @else {
                    (highlighted(&c.text, &c.highlights))
                }
            }
            div.meta {
                (status_badge(c.status)) " "
                span.certainty { (c.certainty) } " · "
                span.kind { (c.kind) }
                @if let Some(s) = &c.speaker {
                    " · " a href={"/sources/" (urlencode(s))} { (s) }
                }
                " · " a href={"/articles/" (c.article.id)} {
                    (c.article.outlet.as_deref().unwrap_or("unknown outlet"))
                    @if let Some(d) = &c.article.published { ", " (d) }
                }
                @if c.origins > 1 || c.story.is_some_and(|s| s != c.id) {
                    " · " a href={"/?story=" (c.id)} { "story: " (c.origins) " origin" @if c.origins != 1 { "s" } }
                }
                @if c.orphaned { " · " span.warn { "orphaned" } }
            }
            p.citation { (c.citation) }
        }
    }
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|v| v.trim_start_matches('=').replace('+', "%20"))
        .unwrap_or_default()
}

fn facet_list(p: &SearchParams, name: &str, title: &str, values: &[Facet]) -> Markup {
    let current = match name {
        "outlet" => p.outlet.as_deref(),
        "speaker" => p.speaker.as_deref(),
        "status" => p.status.as_deref(),
        "certainty" => p.certainty.as_deref(),
        "kind" => p.kind.as_deref(),
        _ => None,
    };
    html! {
        section.facet data-facet=(name) {
            h3 { (title) }
            @if current.is_some() {
                a.clear href={"/?" (p.with(name, None).query_string())} { "× any " (name) }
            }
            ul {
                @for f in values {
                    li {
                        @let on = current.is_some_and(|c| c.eq_ignore_ascii_case(&f.value));
                        a class=@if on { "on" } href={"/?" (p.with(name, Some(f.value.clone())).query_string())} {
                            (f.value)
                        }
                        " " span.count { (f.claims) }
                    }
                }
            }
        }
    }
}

async fn search_page(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = match params::<SearchParams>(query) {
        Ok(p) => blocking(&app, move |d| desk::search(d, &p)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(found) => render_search(&found, &visitor).into_response(),
        Err(e) => fail(false, &e),
    }
}

fn render_search(found: &SearchPage, visitor: &Visitor) -> Markup {
    let p = &found.params;
    let pages = found
        .total
        .div_ceil(found.per_page)
        .clamp(1, desk::MAX_PAGE);
    let mut prev = p.clone();
    prev.page = Some(found.page.saturating_sub(1).max(1));
    let mut next = p.clone();
    next.page = Some(found.page + 1);
    let report = |f: ReportFormat| {
        let mut q = p.clone();
        q.page = None;
        q.per_page = None;
        let base = q.query_string();
        format!(
            "/report?format={}{}{}",
            f.as_str(),
            if base.is_empty() { "" } else { "&" },
            base
        )
    };
    layout(
        "Search",
        Some(visitor),
        html! {
            form.search method="get" action="/" role="search" {
                input type="search" name="q" value=(p.q.as_deref().unwrap_or("")) placeholder="words, \"a phrase\", outlet:Bloomberg" aria-label="Search claims";
                div.filters {
                    label { "outlet " input name="outlet" value=(p.outlet.as_deref().unwrap_or("")); }
                    label { "source " input name="source" value=(p.source.as_deref().unwrap_or("")); }
                    label { "speaker " input name="speaker" value=(p.speaker.as_deref().unwrap_or("")); }
                    label { "status " select name="status" { (options(Status::ALL, p.status.as_deref())) } }
                    label { "certainty " select name="certainty" { (options(Certainty::ALL, p.certainty.as_deref())) } }
                    label { "kind " select name="kind" { (options(ClaimKind::ALL, p.kind.as_deref())) } }
                    label { "since " input type="date" name="since" value=(p.since.as_deref().unwrap_or("")); }
                    label { "until " input type="date" name="until" value=(p.until.as_deref().unwrap_or("")); }
                    @if let Some(s) = p.story { input type="hidden" name="story" value=(s); }
                }
                button type="submit" { "Search" }
            }
            div.results-layout {
                aside.facets {
                    (facet_list(p, "status", "Status", &found.facets.status))
                    (facet_list(p, "certainty", "Certainty", &found.facets.certainty))
                    (facet_list(p, "kind", "Kind", &found.facets.kind))
                    (facet_list(p, "outlet", "Outlet", &found.facets.outlet))
                    (facet_list(p, "speaker", "Speaker", &found.facets.speaker))
                }
                section.results {
                    p.total {
                        strong.total-count { (found.total) } " claim" @if found.total != 1 { "s" }
                        @if let Some(s) = p.story { " in the story of claim " a href={"/claims/" (s)} { (s) } }
                        @if found.total > 0 { ", page " (found.page) " of " (pages) }
                    }
                    ol.hits start=((found.page - 1) * found.per_page + 1) {
                        @for c in &found.claims { (hit_item(c)) }
                    }
                    nav.paging {
                        @if found.page > 1 { a rel="prev" href={"/?" (prev.query_string())} { "← previous" } }
                        @if found.page < pages { a rel="next" href={"/?" (next.query_string())} { "next →" } }
                    }
                    p.report {
                        "Report of this search: "
                        @for f in [ReportFormat::Markdown, ReportFormat::Html, ReportFormat::Csv, ReportFormat::Json] {
                            a download href=(report(f)) { (f.as_str()) } " "
                        }
                    }
                    form.inline method="get" action="/report" {
                        input type="hidden" name="format" value="claimreview";
                        @for (k, v) in serde_urlencoded::from_str::<Vec<(String, String)>>(&{ let mut q = p.clone(); q.page = None; q.per_page = None; q.query_string() }).unwrap_or_default() {
                            input type="hidden" name=(k) value=(v);
                        }
                        label { "ClaimReview, reviews published at " input name="review_url" placeholder="https://factcheck.example/claims/{id}" required; }
                        button type="submit" { "Download" }
                    }
                }
            }
        },
    )
}

fn chain_tree(chain: &[Link]) -> Markup {
    match chain.split_first() {
        None => html! {},
        Some((link, rest)) => html! {
            ul.chain {
                li {
                    span class={"role role-" (link.role)} { (link.role) } " "
                    a href={"/sources/" (urlencode(&link.name))} { strong { (link.name) } }
                    " " span.kind { "(" (link.kind) ")" }
                    @if let Some(cue) = &link.cue { " " span.cue { "“" (cue) "”" } }
                    @if let Some(r) = &link.recipient { " → " span.recipient { (r) } }
                    (chain_tree(rest))
                }
            }
        },
    }
}

async fn claim_page(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    let result = super::with_id(&app, &id, desk::claim).await;
    page(result.map(|c| render_claim(&c, &visitor, None)))
}

fn render_claim(c: &ClaimPage, visitor: &Visitor, problem: Option<&str>) -> Markup {
    layout(
        &format!("Claim {}", c.id),
        Some(visitor),
        html! {
            article.claim data-claim=(c.id) {
                h1 { "Claim " (c.id) " " (status_badge(c.status)) }
                @if let Some(problem) = problem { p.error role="alert" { (problem) } }
                @if c.orphaned { p.warn { "No longer found by the latest extraction of its article." } }
                @if c.rejected { p.warn { "Not a claim, by a correction." } }
                @if c.removed { p.warn { "Its article is removed from listings." } }
                blockquote.statement { (c.statement) }
                p.citation { (c.citation) }
                h2 { "Sentence" }
                p.sentence {
                    @match &c.sentence_pieces {
                        Some(pieces) => { @for piece in pieces { @if piece.marked { mark { (piece.text) } } @else { (piece.text) } } }
                        None => { (c.sentence) }
                    }
                }
                h2 { "Attribution chain" }
                (chain_tree(&c.chain))
                p {
                    "certainty: " strong.certainty { (c.certainty) } " (FactBank " (c.factbank) ")"
                    ", hedges: " @if c.hedges.is_empty() { "none" } @else { (c.hedges.join(", ")) }
                    ", kind: " (c.kind)
                }
                p { "article: " a href={"/articles/" (c.article.id)} {
                    (c.article.title.as_deref().unwrap_or("(untitled)"))
                } " — " (c.article.outlet.as_deref().unwrap_or("unknown outlet"))
                  @if let Some(d) = &c.article.published { ", " (d) }
                  @if let Some(u) = &c.article.url { " · " span.url { (u) } }
                }
                @if let Some(story) = &c.story {
                    section.story {
                        h2 { "Story " (story.story) ": " (story.appearances.len()) " appearance" @if story.appearances.len() != 1 { "s" } ", " (story.origins.len()) " independent origin" @if story.origins.len() != 1 { "s" } }
                        @for (i, o) in story.origins.iter().enumerate() {
                            h3 { "origin " (i + 1) ": " (o.label) }
                            ul {
                                @for a in story.appearances.iter().filter(|a| a.origin == i) {
                                    li {
                                        a href={"/claims/" (a.id)} { (a.statement) }
                                        " — " (a.article.outlet.as_deref().unwrap_or("unknown outlet"))
                                        @if let Some(d) = &a.article.published { ", " (d) }
                                        " " (status_badge(a.status))
                                        @if a.first { " " span.first { "first" } }
                                    }
                                }
                            }
                        }
                        p { a href={"/?story=" (c.id)} { "search within this story" } }
                    }
                }
                @if !c.already_checked.is_empty() {
                    section.checks {
                        h2 { "Already checked" }
                        ul { @for k in &c.already_checked {
                            li {
                                (k.reviewer.as_deref().unwrap_or(if k.by == "verdict" { "this desk" } else { "an outside fact-check" }))
                                @if let Some(r) = &k.rating { " rated it " strong { (r) } }
                                ": “" (k.text) "”"
                                @if let Some(u) = &k.url { " " span.url { (u) } }
                                @if let Some(other) = k.claim { " (" a href={"/claims/" (other)} { "claim " (other) } ")" }
                            }
                        } }
                    }
                }
                section.history {
                    h2 { "Verdicts" }
                    @if c.verdicts.is_empty() { p.none { "none (unverified)" } }
                    ol.verdicts { @for v in &c.verdicts {
                        li.verdict {
                            time { (v.created_at) } " " (status_badge(v.status))
                            @if let Some(by) = &v.reviewer { " by " span.reviewer { (by) } }
                            @if let Some(n) = &v.note { ": " span.note { (n) } }
                            @if !v.evidence.is_empty() {
                                ul.evidence { @for e in &v.evidence { li { "evidence: " span.url { (e) } } } }
                            }
                        }
                    } }
                    h2 { "Corrections" }
                    @if c.corrections.is_empty() { p.none { "none" } }
                    ol.corrections { @for k in &c.corrections {
                        li.correction {
                            time { (k.created_at) }
                            @if let Some(by) = &k.reviewer { " by " span.reviewer { (by) } }
                            @if let Some(n) = &k.note { ": " span.note { (n) } }
                            ul { @for line in &k.changes { li { (line) } } }
                        }
                    } }
                }
                section.forms {
                    form id="verdict-form" method="post" action={"/claims/" (c.id) "/verdict"} {
                        h2 { "Record a verdict" }
                        input type="hidden" name="csrf" value=(visitor.csrf);
                        label { "status " select name="status" required {
                            @for s in Status::ALL.iter().filter(|s| **s != Status::Unverified) {
                                option value=(s) { (s) }
                            }
                        } }
                        label { "note " textarea name="note" rows="2" maxlength=(desk::MAX_NOTE) {} }
                        label { "evidence (one url per line) " textarea name="evidence" rows="2" {} }
                        @if c.story.as_ref().is_some_and(|s| s.appearances.len() > 1) {
                            label.check { input type="checkbox" name="story" value="1"; " on every appearance of its story" }
                        }
                        button type="submit" { "Record verdict" }
                    }
                    form id="correct-form" method="post" action={"/claims/" (c.id) "/correct"} {
                        h2 { "Correct the extraction" }
                        input type="hidden" name="csrf" value=(visitor.csrf);
                        label { "speaker " input name="speaker" placeholder="Jane Doe (person)"; }
                        label { "text " input name="text" placeholder=(c.text); }
                        label.check { input type="checkbox" name="not_a_claim" value="1"; " not a claim" }
                        label { "note " input name="note"; }
                        button type="submit" { "Save correction" }
                    }
                    @if c.story.as_ref().is_some_and(|s| s.appearances.len() > 1) {
                        form id="detach-form" method="post" action={"/claims/" (c.id) "/story"} {
                            input type="hidden" name="csrf" value=(visitor.csrf);
                            button type="submit" { "Detach from its story" }
                        }
                    }
                }
            }
        },
    )
}

/// A form as the browser sends it: the page's CSRF token beside the form's own fields.
#[derive(Deserialize)]
struct Signed<T> {
    csrf: Option<String>,
    #[serde(flatten)]
    fields: T,
}

/// The fields of the verdict form.
#[derive(Deserialize)]
struct VerdictFields {
    status: Option<String>,
    note: Option<String>,
    evidence: Option<String>,
    story: Option<String>,
}

#[derive(Deserialize)]
struct CorrectFields {
    speaker: Option<String>,
    text: Option<String>,
    not_a_claim: Option<String>,
    note: Option<String>,
}

/// A form with nothing but its CSRF token (a button).
#[derive(Deserialize)]
struct NoFields {}

fn form<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T, Error> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| Error::Usage(format!("bad form: {e}")))
}

/// The page a form goes back to once written: `303 See Other` to the claim.
fn back_to(path: String) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&path) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A posted form's own fields, once its CSRF token is the visitor's session's; else the
/// answer to give (a bad form, or the token refused).
fn signed<T: serde::de::DeserializeOwned>(
    visitor: &Visitor,
    bytes: &Bytes,
) -> Result<T, Box<Response>> {
    let Signed { csrf, fields } =
        form::<Signed<T>>(bytes).map_err(|e| Box::new(fail(false, &e)))?;
    if !visitor.csrf_ok(csrf.as_deref()) {
        return Err(Box::new(super::error_response(
            false,
            StatusCode::FORBIDDEN,
            "the form has no valid CSRF token (reload the page and send it again)",
        )));
    }
    Ok(fields)
}

/// A form of the claim page posted: the claim's id and the form read, its CSRF token
/// checked, `write` run on the blocking pool as the visitor's account; then back to the
/// claim page (`303`), or the claim page again with the problem on top, under the HTTP
/// status of the failure (a busy store says when to try again).
async fn claim_form<T>(
    app: Arc<App>,
    visitor: Visitor,
    id: String,
    bytes: Bytes,
    write: impl FnOnce(&desk::Desk, i64, T, &str) -> Result<(), Error> + Send + 'static,
) -> Response
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let id = match id_of(&id) {
        Ok(id) => id,
        Err(e) => return fail(false, &e),
    };
    let fields: T = match signed(&visitor, &bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let reviewer = visitor.reviewer.clone();
    let e = match blocking(&app, move |d| write(d, id, fields, &reviewer)).await {
        Ok(()) => return back_to(format!("/claims/{id}")),
        Err(e) => e,
    };
    let status = super::status_of(&e);
    let message = e.message();
    match blocking(&app, move |d| desk::claim(d, id)).await {
        Ok(c) => {
            let mut r = (status, render_claim(&c, &visitor, Some(&message))).into_response();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            r
        }
        Err(_) => fail(false, &e),
    }
}

async fn verdict_post(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    claim_form(app, visitor, id, bytes, |d, id, f: VerdictFields, by| {
        let verdict = VerdictForm {
            status: f
                .status
                .as_deref()
                .unwrap_or("")
                .parse::<Status>()
                .map_err(Error::Usage)?,
            note: f.note,
            evidence: f
                .evidence
                .unwrap_or_default()
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            story: f.story.is_some(),
        };
        desk::record_verdict(d, id, &verdict, by).map(drop)
    })
    .await
}

async fn correct_post(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    claim_form(app, visitor, id, bytes, |d, id, f: CorrectFields, by| {
        let correction = CorrectionForm {
            speaker: f.speaker,
            text: f.text,
            not_a_claim: f.not_a_claim.map(|_| true),
            note: f.note,
            ..CorrectionForm::default()
        };
        desk::correct(d, id, &correction, by).map(drop)
    })
    .await
}

async fn story_post(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    claim_form(app, visitor, id, bytes, |d, id, _: NoFields, by| {
        desk::change_story(d, id, None, by).map(drop)
    })
    .await
}

async fn article_page(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> Response {
    let result = super::with_id(&app, &id, desk::article).await;
    page(result.map(|a| render_article(&a, &visitor)))
}

fn render_article(a: &ArticlePage, visitor: &Visitor) -> Markup {
    let class = |m: Mark| match m {
        Mark::Source => "hl hl-source",
        Mark::Cue => "hl hl-cue",
        Mark::Content => "hl hl-content",
    };
    layout(
        a.article.title.as_deref().unwrap_or("Article"),
        Some(visitor),
        html! {
            article.article {
                h1 { (a.article.title.as_deref().unwrap_or("(untitled)")) }
                p.meta {
                    (a.article.outlet.as_deref().unwrap_or("unknown outlet"))
                    @if let Some(d) = &a.article.published { ", " (d) }
                    @if let Some(u) = &a.article.url { " · " span.url { (u) } }
                    " · " (a.claims.len()) " claim" @if a.claims.len() != 1 { "s" }
                    @if a.removed { " · " span.warn { "removed from listings" } }
                }
                p.legend {
                    span.hl.hl-source { "source" } " " span.hl.hl-cue { "cue" } " " span.hl.hl-content { "content" }
                }
                div.text {
                    @for run in &a.runs {
                        @match (run.claim, run.mark) {
                            (Some(id), Some(m)) => { a class=(class(m)) href={"/claims/" (id)} data-claim=(id) title={"claim " (id)} { (run.text) } }
                            _ => { (run.text) }
                        }
                    }
                }
                h2 { "Claims" }
                ol.article-claims { @for c in &a.claims {
                    li { a href={"/claims/" (c.id)} { (c.statement) } " " (status_badge(c.status))
                        @if let Some(s) = &c.speaker { " — " (s) } }
                } }
            }
        },
    )
}

async fn source_page(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(name): Path<String>,
) -> Response {
    let result = blocking(&app, move |d| desk::source(d, &name)).await;
    page(result.map(|s| render_source(&s, &visitor)))
}

fn render_source(s: &SourcePage, visitor: &Visitor) -> Markup {
    let search = SearchParams {
        source: Some(s.name.clone()),
        ..SearchParams::default()
    };
    layout(
        &s.name,
        Some(visitor),
        html! {
            h1 { (s.name) " " span.kind { "(" (s.kind) ")" } }
            @if !s.aliases.is_empty() { p { "also: " (s.aliases.join(", ")) } }
            @if !s.roles.is_empty() { p { "described as: " (s.roles.join("; ")) } }
            div.counts {
                table {
                    caption { "Claims by status" }
                    @for f in &s.by_status { tr { th { (f.value) } td { (f.claims) } } }
                }
                table {
                    caption { "Claims by certainty" }
                    @for f in &s.by_certainty { tr { th { (f.value) } td { (f.claims) } } }
                }
            }
            h2 { "Stories it originates" }
            @if s.stories.is_empty() { p.none { "none carried by two or more articles" } }
            ul { @for st in &s.stories {
                li { a href={"/claims/" (st.first)} { (st.text) } " — " (st.appearances) " appearances, " (st.origins) " origin" @if st.origins != 1 { "s" } }
            } }
            h2 { "Latest claims" }
            ol.hits { @for c in &s.claims { (hit_item(c)) } }
            p { a href={"/?" (search.query_string())} { "all its claims in the search" } }
        },
    )
}

async fn stories_page(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    let result = blocking(&app, move |d| desk::stories(d, 200)).await;
    page(result.map(|s| render_stories(&s, &visitor)))
}

fn render_stories(s: &StoriesPage, visitor: &Visitor) -> Markup {
    layout(
        "Stories",
        Some(visitor),
        html! {
            h1 { "Stories, riskiest first" }
            p { "Claims carried by two or more articles: a single origin, an anonymous origin and no confirmed appearance come first." }
            @if s.stories.is_empty() { p.none { "No claim is carried by two or more articles yet." } }
            table.stories {
                thead { tr { th { "story" } th { "appearances" } th { "outlets" } th { "origins" } th { "risk" } } }
                tbody { @for st in &s.stories {
                    tr {
                        td { a href={"/claims/" (st.first)} { (st.text) } }
                        td { (st.appearances) } td { (st.outlets) } td { (st.origins) }
                        td {
                            @if st.origins == 1 { span.warn { "single origin" } " " }
                            @if st.anonymous { span.warn { "anonymous" } " " }
                            @if st.unconfirmed { "unconfirmed" }
                        }
                    }
                } }
            }
        },
    )
}

async fn report_page(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    RawQuery(query): RawQuery,
) -> Response {
    match report_download(&app, &visitor, query).await {
        Ok(r) => r,
        Err(e) => fail(false, &e),
    }
}

async fn login_page(Extension(visitor): Extension<Visitor>) -> Response {
    login_form(&visitor, None).into_response()
}

fn login_form(visitor: &Visitor, problem: Option<&str>) -> Markup {
    layout(
        "Sign in",
        None,
        html! {
            h1 { "Sign in" }
            @if !visitor.tokens { p { "This desk needs no sign-in: it serves loopback only." } }
            @if let Some(p) = problem { p.error role="alert" { (p) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(visitor.csrf);
                label { "token " input type="password" name="token" autocomplete="current-password" required; }
                button type="submit" { "Sign in" }
            }
        },
    )
}

#[derive(Deserialize)]
struct LoginFields {
    token: Option<String>,
}

async fn login_post(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    bytes: Bytes,
) -> Response {
    let fields: LoginFields = match signed(&visitor, &bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let token = fields.token.unwrap_or_default();
    let ok = app
        .accounts
        .as_deref()
        .is_some_and(|a| security::account_of(a, token.trim()).is_some());
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            login_form(&visitor, Some("that token signs nobody in")),
        )
            .into_response();
    }
    let mut r = back_to("/".into());
    r.headers_mut().append(
        header::SET_COOKIE,
        security::set_cookie(security::TOKEN_COOKIE, token.trim()),
    );
    r
}

async fn logout_post(Extension(visitor): Extension<Visitor>, bytes: Bytes) -> Response {
    if let Err(refused) = signed::<NoFields>(&visitor, &bytes) {
        return *refused;
    }
    let mut r = back_to("/login".into());
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("claimtrail_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    r
}
