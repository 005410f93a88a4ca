//! The API's error answers: a status and `{"error": "…"}` holding the one-line message the
//! CLI gives for the same mistake. What the user sent is never a 500.

use crate::output::schema::ErrorOutput;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    /// The request is wrong (a bad query, a bad parameter): 400.
    pub(crate) fn bad_request(message: impl ToString) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// What was asked for is not there: 404.
    pub(crate) fn not_found(message: impl ToString) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// What was asked for is there but not served: 403.
    pub(crate) fn forbidden(message: impl ToString) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    /// The server cannot take the request now (busy, or it took too long): 503.
    pub(crate) fn unavailable(message: impl ToString) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// The server's own failure (a damaged index): 500. Never for what the user sent.
    pub(crate) fn internal(message: impl ToString) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub(crate) fn new(status: StatusCode, message: impl ToString) -> ApiError {
        ApiError {
            status,
            message: message.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, json_body(error_json(&self.message))).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // Busy or slow: a client may try again shortly.
            let headers = response.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Most characters of what the client sent that an error message repeats.
pub(crate) const MAX_ECHOED_CHARS: usize = 80;

/// `text` (something the client sent: a method, a parameter, a source, a path) as an error
/// message repeats it: whole up to [`MAX_ECHOED_CHARS`], else its start and `…`, so that an
/// answer never grows with what was sent.
pub(crate) fn echoed(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_ECHOED_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// `{"error": message}`, serialized.
pub(crate) fn error_json(message: &str) -> Vec<u8> {
    serde_json::to_vec(&ErrorOutput { error: message })
        .unwrap_or_else(|_| br#"{"error":"internal error"}"#.to_vec())
}

/// A JSON body, already serialized.
pub(crate) fn json_body(bytes: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_client_sent_is_echoed_only_in_part_when_long() {
        assert_eq!(echoed("PUT"), "PUT");
        let limit = "å".repeat(MAX_ECHOED_CHARS);
        assert_eq!(echoed(&limit), limit);
        let long = "X".repeat(5_000);
        let shown = echoed(&long);
        assert_eq!(shown.chars().count(), MAX_ECHOED_CHARS + 1);
        assert!(shown.ends_with("X…"), "{shown}");
    }
}
