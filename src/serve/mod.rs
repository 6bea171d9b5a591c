//! `claimtrail serve`: the fact-checker's desk, a web app and JSON API over one store.
//!
//! - [`desk`]: what each page and API answer holds, over the same library calls as the
//!   commands;
//! - [`pages`]: the server-rendered HTML (maud), no script, every asset in the binary;
//! - [`api`]: the JSON API under `/api/` and its OpenAPI document (utoipa, from the code);
//! - [`security`]: tokens, sessions and CSRF, headers and bounds.
//!
//! One tokio process serves many users; SQLite and tantivy work runs on the blocking pool.
//! SIGINT or SIGTERM stops accepting connections and lets requests in flight (writes among
//! them) finish before the process exits.

pub mod api;
pub mod desk;
pub mod pages;
pub mod security;

use crate::error::{Error, ErrorKind};
use crate::index::IndexError;
use crate::store::StoreError;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use desk::Desk;
use security::Account;
use std::net::SocketAddr;
use std::sync::Arc;

/// How the desk is served.
pub struct Options {
    pub addr: SocketAddr,
    /// The accounts of `--token-file`; `None` serves without sign-in (loopback only).
    pub accounts: Option<Vec<Account>>,
    /// Who records verdicts when nobody signs in: the user running the server.
    pub local_reviewer: String,
}

/// What every handler shares.
pub struct App {
    pub desk: Desk,
    accounts: Option<Vec<Account>>,
    local_reviewer: String,
    /// The key of the CSRF tokens, drawn at start.
    secret: String,
}

/// Who is asking, as the middleware found out: their session, its CSRF token and the
/// account they signed in with.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub session: String,
    pub csrf: String,
    /// The reviewer their verdicts are recorded as.
    pub reviewer: String,
    /// Signed in with a token (false on a desk without tokens).
    pub signed_in: bool,
    /// Whether the desk has sign-in at all.
    pub tokens: bool,
}

impl Visitor {
    /// Whether `token` (from a form or a header) is this session's CSRF token.
    pub fn csrf_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| security::same(t.as_bytes(), self.csrf.as_bytes()))
    }
}

/// Serves `desk` until SIGINT or SIGTERM. Prints the address it listens on once it does.
pub fn serve(desk: Desk, options: Options) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.addr)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.addr)))?;
        let store = desk.db().display().to_string();
        let app = Arc::new(App {
            desk,
            accounts: options.accounts,
            local_reviewer: options.local_reviewer,
            secret: security::random_id(),
        });
        let router = router(app);
        crate::cli::print(&format!(
            "serving the store {} at http://{addr}/ (Ctrl-C stops)\n",
            crate::terminal::one_line(&store)
        ))?;
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| Error::Usage(format!("the server stopped: {e}")))?;
        eprintln!("stopped: every request in flight has finished");
        Ok(())
    })
}

/// The whole desk: pages, API and assets, behind the middleware.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .layer(axum::extract::DefaultBodyLimit::max(security::MAX_BODY))
        .with_state(app)
}

/// Resolves when the process is asked to stop.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("stopping: finishing the requests in flight");
}

/// Every request: bounded, in a session, signed in where the desk has tokens, and every
/// answer hardened (see [`security`]). API errors are JSON whoever produced them.
async fn guard(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let api = path.starts_with("/api/");
    if request
        .uri()
        .query()
        .is_some_and(|q| q.len() > security::MAX_QUERY)
    {
        return finish(
            error_response(
                api,
                StatusCode::URI_TOO_LONG,
                &format!(
                    "the query string is longer than {} bytes",
                    security::MAX_QUERY
                ),
            ),
            None,
        );
    }
    let headers = request.headers();
    let (session, new_session) = match security::cookie(headers, security::SESSION_COOKIE)
        .filter(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(s) => (s.to_string(), false),
        None => (security::random_id(), true),
    };
    let account = match &app.accounts {
        None => None,
        Some(accounts) => {
            let token = security::bearer(headers)
                .or_else(|| security::cookie(headers, security::TOKEN_COOKIE));
            token.and_then(|t| security::account_of(accounts, t))
        }
    };
    let open = path == "/login" || path.starts_with("/assets/") || path == "/api/openapi.json";
    if app.accounts.is_some() && account.is_none() && !open {
        let response = if api {
            error_response(
                true,
                StatusCode::UNAUTHORIZED,
                "sign in: send Authorization: Bearer TOKEN (a token of the server's --token-file)",
            )
        } else if request.method() == Method::GET {
            let mut r = StatusCode::SEE_OTHER.into_response();
            r.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/login"));
            r
        } else {
            error_response(false, StatusCode::UNAUTHORIZED, "sign in first")
        };
        return finish(response, new_session.then_some(session));
    }
    let visitor = Visitor {
        csrf: security::csrf_token(&app.secret, &session),
        session: session.clone(),
        reviewer: account
            .map(|a| a.name.clone())
            .unwrap_or_else(|| app.local_reviewer.clone()),
        signed_in: account.is_some(),
        tokens: app.accounts.is_some(),
    };
    // An API write must carry the session's CSRF token in its header (forms carry theirs
    // in a field, checked by the page handler, which answers with a page).
    if api && request.method() == Method::POST {
        let token = request
            .headers()
            .get(security::CSRF_HEADER)
            .and_then(|v| v.to_str().ok());
        if !visitor.csrf_ok(token) {
            return finish(
                error_response(
                    true,
                    StatusCode::FORBIDDEN,
                    "missing or wrong CSRF token: send the X-CSRF-Token header that GET /api/session gives, with its session cookie",
                ),
                new_session.then_some(session),
            );
        }
    }
    request.extensions_mut().insert(visitor);
    let response = next.run(request).await;
    let response = if api {
        jsonify(response).await
    } else {
        response
    };
    finish(response, new_session.then_some(session))
}

/// The hardening headers, and the session cookie of a new visitor.
fn finish(mut response: Response, new_session: Option<String>) -> Response {
    security::harden(response.headers_mut());
    if let Some(session) = new_session {
        response.headers_mut().append(
            header::SET_COOKIE,
            security::set_cookie(security::SESSION_COOKIE, &session),
        );
    }
    response
}

/// An API error that is not JSON yet (axum's own rejections, a body too large) as the
/// API's JSON error, its text as the message.
async fn jsonify(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), security::MAX_BODY)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let message = match text.trim() {
        "" => status.canonical_reason().unwrap_or("error").to_string(),
        t => t.to_string(),
    };
    error_response(true, status, &message)
}

/// The HTTP status of an error: what the command line's exit codes say, in HTTP's words.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Store(StoreError::Busy { .. }) | Error::Index(IndexError::Busy { .. }) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        Error::Store(StoreError::DiskFull { .. }) | Error::Index(IndexError::DiskFull { .. }) => {
            StatusCode::INSUFFICIENT_STORAGE
        }
        Error::Store(StoreError::UnknownClaim(_) | StoreError::UnknownSource(_)) => {
            StatusCode::NOT_FOUND
        }
        _ => match e.kind() {
            ErrorKind::NothingFound => StatusCode::NOT_FOUND,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        },
    }
}

/// An error as an answer: JSON `{"error": MESSAGE}` for the API, a page otherwise. A busy
/// store says when to try again.
pub fn error_response(api: bool, status: StatusCode, message: &str) -> Response {
    let message = crate::error::one_line(message);
    let mut response = if api {
        (
            status,
            axum::Json(api::ApiError {
                error: message.clone(),
            }),
        )
            .into_response()
    } else {
        (status, pages::error_page(status, &message)).into_response()
    };
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// [`error_response`] of a library error: its one-line message, as the command line prints
/// it; an internal error is logged on stderr as well.
pub fn fail(api: bool, e: &Error) -> Response {
    let status = status_of(e);
    let message = e.message();
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        eprintln!("internal error: {message}");
    }
    error_response(api, status, &message)
}

/// Runs `f` on the blocking pool with the desk.
pub async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&Desk) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || f(&app.desk))
        .await
        .unwrap_or_else(|e| Err(Error::Internal(format!("the request failed: {e}"))))
}

/// Runs `f` on the blocking pool with the id the request's path names (a positive whole
/// number, else the one-line error).
pub async fn with_id<T: Send + 'static>(
    app: &Arc<App>,
    raw: &str,
    f: impl FnOnce(&Desk, i64) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let id = api::id_of(raw)?;
    blocking(app, move |d| f(d, id)).await
}

/// A body of bytes with a content type.
pub fn typed(content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}
