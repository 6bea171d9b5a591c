//! The JSON API under `/api/`: every page's data and every write, described by the OpenAPI
//! document at `/api/openapi.json`, which utoipa derives from these handlers and the types
//! they answer with, so the two cannot drift. Errors are `{"error": MESSAGE}` with the
//! command line's one-line message. Every POST carries the `X-CSRF-Token` header that
//! `GET /api/session` gives (checked by [`super::guard`]).

use super::desk::{
    self, ArticlePage, ClaimPage, CorrectionForm, CorrectionOutcome, ReportFormat, SearchPage,
    SearchParams, SourcePage, StoriesPage, StoryPage, VerdictForm, VerdictOutcome,
};
use super::{App, Visitor, blocking, fail, with_id};
use crate::error::Error;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// An error: the command line's one-line message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
}

/// The visitor's session: the CSRF token to send with every POST, and who their verdicts
/// are recorded as.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    pub csrf: String,
    pub reviewer: String,
    pub signed_in: bool,
}

/// A split or join of a claim's story.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoryChangeForm {
    /// Join the story of this other claim; absent: detach the claim into a story of its own.
    #[serde(default)]
    pub join: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryChanged {
    pub claim: i64,
    /// The story the claim is in now.
    pub story: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoriesParams {
    /// How many stories (1 to 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// markdown, html, csv, json or claimreview.
    pub format: ReportFormat,
    /// For claimreview: where each review is published, `{id}` standing for the claim.
    pub review_url: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "claimtrail desk API",
        description = "Claims, their attribution chains, stories, verdicts and corrections, over one claimtrail store."
    ),
    paths(
        session,
        search,
        claim,
        story,
        change_story,
        record_verdict,
        correct,
        article,
        source,
        stories,
        report,
        openapi
    ),
    components(schemas(ApiError, ReportFormat))
)]
pub struct ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/session", get(session))
        .route("/api/search", get(search))
        .route("/api/claims/{id}", get(claim))
        .route("/api/claims/{id}/story", get(story).post(change_story))
        .route("/api/claims/{id}/verdicts", post(record_verdict))
        .route("/api/claims/{id}/corrections", post(correct))
        .route("/api/articles/{id}", get(article))
        .route("/api/sources/{name}", get(source))
        .route("/api/stories", get(stories))
        .route("/api/report", get(report))
}

/// An answer of the API: the value as JSON, or the error.
fn answer<T: Serialize>(result: Result<T, Error>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => fail(true, &e),
    }
}

/// The query string read as `T`, a bad one as the API's 400.
pub fn params<T: serde::de::DeserializeOwned>(query: Option<String>) -> Result<T, Error> {
    serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| Error::Usage(format!("bad query string: {e}")))
}

/// A claim or article id from the path: a positive integer.
pub fn id_of(raw: &str) -> Result<i64, Error> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        Error::Usage(format!(
            "'{}' is not an id (a positive whole number)",
            crate::terminal::shorten(raw)
        ))
    })
}

/// A JSON body read as `T`, a bad one as the API's 400.
fn body<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::Usage(format!("bad JSON body: {e}")))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
async fn openapi() -> Response {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    Json(doc).into_response()
}

/// The visitor's session and CSRF token.
#[utoipa::path(get, path = "/api/session", responses(
    (status = 200, body = Session),
    (status = 401, body = ApiError), (status = 414, body = ApiError)
))]
async fn session(Extension(visitor): Extension<Visitor>) -> Response {
    Json(Session {
        csrf: visitor.csrf,
        reviewer: visitor.reviewer,
        signed_in: visitor.signed_in,
    })
    .into_response()
}

/// Claims a search finds, one page, with counts per facet value.
#[utoipa::path(get, path = "/api/search", params(SearchParams), responses(
    (status = 200, body = SearchPage),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 404, body = ApiError), (status = 414, body = ApiError),
    (status = 503, body = ApiError)
))]
async fn search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    let result = match params::<SearchParams>(query) {
        Ok(p) => blocking(&app, move |d| desk::search(d, &p)).await,
        Err(e) => Err(e),
    };
    answer(result)
}

/// One claim in full: chain, certainty, story, fact-checks, verdicts and corrections.
#[utoipa::path(get, path = "/api/claims/{id}", params(("id" = i64, Path, description = "The claim's id", minimum = 1)), responses(
    (status = 200, body = ClaimPage),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 404, body = ApiError), (status = 414, body = ApiError),
    (status = 503, body = ApiError)
))]
async fn claim(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    answer(with_id(&app, &id, desk::claim).await)
}

/// Every appearance of the claim's story, grouped by independent origin.
#[utoipa::path(get, path = "/api/claims/{id}/story", params(("id" = i64, Path, description = "The claim's id", minimum = 1)), responses(
    (status = 200, body = StoryPage),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 404, body = ApiError), (status = 414, body = ApiError),
    (status = 503, body = ApiError)
))]
async fn story(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    answer(with_id(&app, &id, desk::story).await)
}

/// Detaches the claim from its story, or joins it to another claim's (recorded like a
/// correction, as `claimtrail story --detach/--join` does).
#[utoipa::path(post, path = "/api/claims/{id}/story",
    params(("id" = i64, Path, description = "The claim's id", minimum = 1),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token (GET /api/session)")),
    request_body = StoryChangeForm,
    responses(
        (status = 200, body = StoryChanged),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 414, body = ApiError),
        (status = 503, body = ApiError)
    ))]
async fn change_story(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    answer(
        with_id(&app, &id, move |d, id| {
            let form: StoryChangeForm = body(&bytes)?;
            let story = desk::change_story(d, id, form.join, &visitor.reviewer)?;
            Ok(StoryChanged { claim: id, story })
        })
        .await,
    )
}

/// Records a verdict on the claim (and on its whole story with `story`), as `claimtrail
/// verify` does; the reviewer is the signed-in account.
#[utoipa::path(post, path = "/api/claims/{id}/verdicts",
    params(("id" = i64, Path, description = "The claim's id", minimum = 1),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token (GET /api/session)")),
    request_body = VerdictForm,
    responses(
        (status = 200, body = VerdictOutcome),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 414, body = ApiError),
        (status = 503, body = ApiError), (status = 507, body = ApiError)
    ))]
async fn record_verdict(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    answer(
        with_id(&app, &id, move |d, id| {
            desk::record_verdict(d, id, &body::<VerdictForm>(&bytes)?, &visitor.reviewer)
        })
        .await,
    )
}

/// Corrects what extraction got wrong (speaker, text, kind, certainty, not a claim), as
/// `claimtrail correct` does.
#[utoipa::path(post, path = "/api/claims/{id}/corrections",
    params(("id" = i64, Path, description = "The claim's id", minimum = 1),
           ("X-CSRF-Token" = String, Header, description = "The session's CSRF token (GET /api/session)")),
    request_body = CorrectionForm,
    responses(
        (status = 200, body = CorrectionOutcome),
        (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 414, body = ApiError),
        (status = 503, body = ApiError), (status = 507, body = ApiError)
    ))]
async fn correct(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    answer(
        with_id(&app, &id, move |d, id| {
            desk::correct(d, id, &body::<CorrectionForm>(&bytes)?, &visitor.reviewer)
        })
        .await,
    )
}

/// An article's text in runs, each attribution (source, cue, content) marked with its claim.
#[utoipa::path(get, path = "/api/articles/{id}", params(("id" = i64, Path, description = "The article's id", minimum = 1)), responses(
    (status = 200, body = ArticlePage),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 404, body = ApiError), (status = 414, body = ApiError),
    (status = 503, body = ApiError)
))]
async fn article(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    answer(with_id(&app, &id, desk::article).await)
}

/// A source (any alias or case): its claims by status and certainty, aliases, and the
/// stories it originates.
#[utoipa::path(get, path = "/api/sources/{name}", params(("name" = String, Path, description = "The source's name or alias")), responses(
    (status = 200, body = SourcePage),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 404, body = ApiError), (status = 414, body = ApiError),
    (status = 503, body = ApiError)
))]
async fn source(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    answer(blocking(&app, move |d| desk::source(d, &name)).await)
}

/// The stories carried by two or more articles, riskiest first (a single origin, an
/// anonymous origin, no confirmed appearance).
#[utoipa::path(get, path = "/api/stories", params(StoriesParams), responses(
    (status = 200, body = StoriesPage),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 414, body = ApiError), (status = 503, body = ApiError)
))]
async fn stories(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    let result = match params::<StoriesParams>(query) {
        Ok(p) => match p.limit.unwrap_or(100) {
            n @ 1..=1000 => blocking(&app, move |d| desk::stories(d, n)).await,
            _ => Err(Error::Usage("limit must be 1 to 1000".into())),
        },
        Err(e) => Err(e),
    };
    answer(result)
}

/// The citation report of every claim the search selects, in the format asked for, as
/// `claimtrail report` writes it.
#[utoipa::path(get, path = "/api/report", params(ReportParams, SearchParams), responses(
    (status = 200, description = "The report", content(
        ("text/markdown"), ("text/html"), ("text/csv"), ("application/json"), ("application/ld+json")
    )),
    (status = 400, body = ApiError), (status = 401, body = ApiError),
    (status = 404, body = ApiError), (status = 414, body = ApiError),
    (status = 503, body = ApiError)
))]
async fn report(
    State(app): State<Arc<App>>,
    Extension(visitor): Extension<Visitor>,
    RawQuery(query): RawQuery,
) -> Response {
    match report_download(&app, &visitor, query).await {
        Ok(r) => r,
        Err(e) => fail(true, &e),
    }
}

/// The report a query string asks for, as a download (shared with the pages' link).
pub async fn report_download(
    app: &Arc<App>,
    visitor: &Visitor,
    query: Option<String>,
) -> Result<Response, Error> {
    // The format fields and the search fields share the query string. Each is read as its
    // own type (`#[serde(flatten)]` would hand the search's numbers over as strings, which
    // serde_urlencoded then refuses).
    let raw = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw)
        .map_err(|e| Error::Usage(format!("bad query string: {e}")))?;
    let (format_pairs, search_pairs): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(k, _)| k == "format" || k == "review_url");
    let format: ReportParams =
        serde_urlencoded::from_str(&serde_urlencoded::to_string(&format_pairs).unwrap_or_default())
            .map_err(|e| Error::Usage(format!("bad query string: {e}")))?;
    let search: SearchParams = params(serde_urlencoded::to_string(&search_pairs).ok())?;
    let reviewer = visitor.reviewer.clone();
    let f = format.format;
    let text = blocking(app, move |d| {
        desk::report(d, &search, f, format.review_url.as_deref(), &reviewer)
    })
    .await?;
    let (media, ext) = f.media();
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"claimtrail-report.{ext}\""))
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
