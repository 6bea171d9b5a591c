//! Who may do what on the desk: the sign-in token (required off loopback), the session
//! cookie and the CSRF token every POST carries, the headers every answer has (a strict
//! Content-Security-Policy among them), and the bounds on what a request may hold.
//!
//! Tokens come from `--token-file FILE`: one per line, `NAME:TOKEN` (the verdicts recorded
//! with that token are NAME's) or a bare `TOKEN` (recorded as the user running the server).
//! A browser signs in once at `/login` and holds the token in an `HttpOnly`,
//! `SameSite=Strict` cookie; an API client sends `Authorization: Bearer TOKEN`.
//!
//! CSRF: every visitor gets a random session id in a cookie; the CSRF token is a keyed hash
//! of it (SHA-256 over a secret drawn at start and the session id), put in every form and
//! given by `GET /api/session`. A POST whose form field `csrf` or header `X-CSRF-Token`
//! does not match its session cookie is refused: another site can make the browser send
//! the cookie, never read the token.

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The session cookie.
pub const SESSION_COOKIE: &str = "claimtrail_session";
/// The sign-in cookie (holds the token).
pub const TOKEN_COOKIE: &str = "claimtrail_token";
/// The header an API client sends the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The longest query string served (a search URL is far shorter).
pub const MAX_QUERY: usize = 4096;
/// The largest request body accepted (a verdict with its evidence is far smaller).
pub const MAX_BODY: usize = 64 * 1024;

/// Every answer: no script at all (the desk has none), styles and images from the desk
/// itself, forms only to the desk, never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// One account of the token file.
#[derive(Debug, Clone)]
pub struct Account {
    pub name: String,
    token: String,
}

/// The accounts of a token file, checked: at least one, no token shorter than 16 chars, no
/// name or token with spaces or control characters.
pub fn read_token_file(path: &Path, default_name: &str) -> Result<Vec<Account>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--token-file {}: {e}", path.display()))?;
    let mut accounts = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, token) = match line.rsplit_once(':') {
            Some((name, token)) => (name.trim().to_string(), token.trim().to_string()),
            None => (default_name.to_string(), line.to_string()),
        };
        let bad = |s: &str| s.is_empty() || s.chars().any(|c| c.is_control() || c == ' ');
        if bad(&name) || bad(&token) || token.chars().count() < 16 {
            return Err(format!(
                "--token-file {}:{}: each line is NAME:TOKEN or TOKEN, a token of at least 16 \
                 characters without spaces",
                path.display(),
                n + 1
            ));
        }
        accounts.push(Account { name, token });
    }
    if accounts.is_empty() {
        return Err(format!(
            "--token-file {}: holds no token (one per line, NAME:TOKEN or TOKEN)",
            path.display()
        ));
    }
    Ok(accounts)
}

/// The account a token signs in, compared in constant time.
pub fn account_of<'a>(accounts: &'a [Account], token: &str) -> Option<&'a Account> {
    accounts
        .iter()
        .find(|a| same(a.token.as_bytes(), token.as_bytes()))
}

/// Whether two byte strings are equal, in time that depends on their lengths only.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 random bits, hex.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    // The operating system's generator failing is a broken machine; the process cannot go on
    // without unguessable sessions.
    getrandom::fill(&mut bytes).expect("the operating system's random generator");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CSRF token of a session.
pub fn csrf_token(secret: &str, session: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update([0]);
    h.update(session.as_bytes());
    hex(&h.finalize()[..16])
}

/// The value of cookie `name` in the request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.len() <= 256)
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, for the whole desk.
pub fn set_cookie(name: &str, value: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Path=/"))
}

/// The bearer token of an `Authorization` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The headers every answer carries.
pub fn harden(headers: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    // The desk is live: a page is never served from a cache past the store's last write.
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_files_name_their_accounts_and_refuse_weak_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens");
        std::fs::write(
            &path,
            "# desk\nann:0123456789abcdef0123\n0123456789abcdefXYZ\n",
        )
        .unwrap();
        let accounts = read_token_file(&path, "server").unwrap();
        assert_eq!(accounts.len(), 2);
        assert_eq!(
            account_of(&accounts, "0123456789abcdef0123").unwrap().name,
            "ann"
        );
        assert_eq!(
            account_of(&accounts, "0123456789abcdefXYZ").unwrap().name,
            "server"
        );
        assert!(account_of(&accounts, "0123456789abcdef012").is_none());
        std::fs::write(&path, "ann:short\n").unwrap();
        let e = read_token_file(&path, "server").unwrap_err();
        assert!(e.contains(":1: each line is NAME:TOKEN"), "{e}");
        std::fs::write(&path, "\n# nothing\n").unwrap();
        assert!(
            read_token_file(&path, "server")
                .unwrap_err()
                .contains("holds no token")
        );
    }

    #[test]
    fn a_csrf_token_belongs_to_its_session() {
        let a = csrf_token("secret", "session-a");
        assert_eq!(a, csrf_token("secret", "session-a"));
        assert_ne!(a, csrf_token("secret", "session-b"));
        assert_ne!(a, csrf_token("other", "session-a"));
        assert_eq!(random_id().len(), 32);
        assert_ne!(random_id(), random_id());
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; claimtrail_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
