//! The search page and the document page: plain HTML, CSS and JavaScript embedded in the
//! binary (no build step), which read everything through the JSON API.

use super::error::{echoed, ApiError};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};

const SEARCH_PAGE: &str = include_str!("assets/index.html");
const DOCUMENT_PAGE: &str = include_str!("assets/doc.html");

/// The files under `/assets/`, by name.
const ASSETS: [(&str, &str, &str); 4] = [
    (
        "lete.css",
        "text/css; charset=utf-8",
        include_str!("assets/lete.css"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/common.js"),
    ),
    (
        "search.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/search.js"),
    ),
    (
        "doc.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/doc.js"),
    ),
];

/// `GET /`: the search page.
pub(crate) async fn search_page() -> Response {
    html(SEARCH_PAGE)
}

/// `GET /doc?source=…#L…`: the document page (it reads the document through `/api/outline`).
pub(crate) async fn document_page() -> Response {
    html(DOCUMENT_PAGE)
}

/// `GET /assets/NAME`.
pub(crate) async fn asset(name: Result<Path<String>, PathRejection>) -> Response {
    // A name that does not decode (`%FF`) was axum's plain-text 400.
    let Ok(Path(name)) = name else {
        return ApiError::bad_request("the asset's name does not decode as UTF-8").into_response();
    };
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            *body,
        )
            .into_response(),
        None => ApiError::not_found(format!("no asset '{}'", echoed(&name))).into_response(),
    }
}

/// Anything else: a 404 that names the path.
pub(crate) async fn not_found(uri: Uri) -> Response {
    ApiError::not_found(format!(
        "nothing at {}; the search page is at /, the API under /api/",
        echoed(uri.path())
    ))
    .into_response()
}

fn html(page: &'static str) -> Response {
    let content_type = HeaderValue::from_static("text/html; charset=utf-8");
    ([(header::CONTENT_TYPE, content_type)], page).into_response()
}
