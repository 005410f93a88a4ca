//! The server's limits, each a clear error: the query's length, the request's size, requests
//! worked on at once and time per request; and the checks every request passes first (the
//! Host a browser sent, no body) and the headers every answer carries.

use super::error::{echoed, ApiError};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Longest query, in characters. A person's query is a few words; longer text costs search
/// time without finding better.
pub(crate) const MAX_QUERY_CHARS: usize = 1_000;
/// Longest request target (path and query string), in bytes.
pub(crate) const MAX_URI_BYTES: usize = 8 * 1024;
/// Requests worked on at once by default; more are refused until one ends.
pub(crate) const DEFAULT_CONCURRENT: usize = 32;
/// Time a request may take by default.
pub(crate) const DEFAULT_REQUEST_SECONDS: u64 = 10;
/// Connections kept open at once; one more is answered 503 and closed. Each holds its answer
/// until the client reads it (for the time a request may take at most), so this bounds what
/// slow or stalled clients hold: with answers of at most about 4 MB (`limit` 1,000 with
/// `explain`), about 1 GB (break trial of session 27: 200 clients that read nothing held
/// 800 MB, with no bound on their number). A browser opens about six per server.
pub(crate) const MAX_OPEN_CONNECTIONS: usize = 256;
/// Documents read whole at once for their outlines. Reading one takes memory of several times
/// its text (break trial of session 27: 40 outlines at once of a .docx of 400,000 paragraphs
/// peaked at 3.76 GB), and a document's outline is asked for one reader at a time.
pub(crate) const DOCUMENTS_AT_ONCE: usize = 2;
/// Time a client has by default to send a request's line and headers, also the time an idle
/// kept-alive connection stays open.
pub(crate) const DEFAULT_HEADER_SECONDS: u64 = 10;

/// The limits of one server.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    /// Searches, outlines and statistics worked on at once.
    pub(crate) concurrent: usize,
    /// Time a request may take before it is answered with an error.
    pub(crate) request_time: Duration,
    /// Time a client has to send its request line and headers before its connection is
    /// closed: a client that sends half a request and then nothing holds no connection for
    /// long (slowloris).
    pub(crate) header_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            concurrent: DEFAULT_CONCURRENT,
            request_time: Duration::from_secs(DEFAULT_REQUEST_SECONDS),
            header_time: Duration::from_secs(DEFAULT_HEADER_SECONDS),
        }
    }
}

/// Work slots: a request's work holds one from the start to its very end, also when its
/// answer was given up on for taking too long.
#[derive(Debug, Clone)]
pub(crate) struct Workers {
    limits: Limits,
    slots: Arc<Semaphore>,
    /// Whole documents being read (outlines), besides their work slots.
    documents: Arc<Semaphore>,
}

impl Workers {
    pub(crate) fn new(limits: Limits) -> Workers {
        Workers {
            slots: Arc::new(Semaphore::new(limits.concurrent)),
            documents: Arc::new(Semaphore::new(DOCUMENTS_AT_ONCE)),
            limits,
        }
    }

    /// Runs `job` (blocking work: a search, reading a document) on a thread of its own, within
    /// the limits: refused at once when every slot is taken, answered with an error when it
    /// takes too long.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(slot) = Arc::clone(&self.slots).try_acquire_owned() else {
            return Err(ApiError::unavailable(format!(
                "the server is busy ({} requests at once); try again shortly",
                self.limits.concurrent
            )));
        };
        let work = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            job()
        });
        match tokio::time::timeout(self.limits.request_time, work).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(ApiError::internal("the request failed inside the server")),
            Err(_) => Err(self.too_slow()),
        }
    }

    /// Runs `job`, which reads a whole document (an outline), as [`Workers::run`] does, with
    /// at most [`DOCUMENTS_AT_ONCE`] such jobs at a time: one is refused at once when as many
    /// are under way, and each holds its place to its very end.
    pub(crate) async fn run_reading<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(reading) = Arc::clone(&self.documents).try_acquire_owned() else {
            return Err(ApiError::unavailable(format!(
                "{DOCUMENTS_AT_ONCE} documents are being read for their outlines; try again \
                 shortly"
            )));
        };
        self.run(move || {
            let _reading = reading;
            job()
        })
        .await
    }

    /// When a request that starts now must be answered by: a search checks it, and stops
    /// (freeing its slot) when it is answered as too slow.
    pub(crate) fn deadline(&self) -> Instant {
        Instant::now() + self.limits.request_time
    }

    /// The answer to a request that took longer than it may.
    pub(crate) fn too_slow(&self) -> ApiError {
        ApiError::unavailable(format!(
            "the request took longer than {}; try a narrower query",
            seconds(self.limits.request_time)
        ))
    }
}

/// `10 s`, `0.05 s`: a limit as messages say it.
pub(crate) fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs} s")
    }
}

/// Who may ask: on a loopback address only a browser that names the server by a loopback
/// name, so that a web page elsewhere cannot read the corpus through DNS rebinding.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    loopback_only: bool,
}

impl Gate {
    pub(crate) fn for_address(addr: SocketAddr) -> Gate {
        Gate {
            loopback_only: addr.ip().is_loopback(),
        }
    }

    /// Why `request` is refused before it is looked at further, if it is.
    fn refusal(&self, method: &Method, uri_bytes: usize, headers: &HeaderMap) -> Option<ApiError> {
        if uri_bytes > MAX_URI_BYTES {
            return Some(ApiError::new(
                StatusCode::URI_TOO_LONG,
                format!("the request is longer than {MAX_URI_BYTES} bytes; shorten the query"),
            ));
        }
        if has_body(headers) {
            return Some(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "lete serve is read-only and takes no request body",
            ));
        }
        if *method != Method::GET && *method != Method::HEAD {
            // A method is any token, of any length: a 5,000-character one was echoed whole
            // (new-user trial of session 25).
            return Some(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!(
                    "{} is not served: lete serve is read-only (GET only)",
                    echoed(method.as_str())
                ),
            ));
        }
        let hosts = headers.get_all(header::HOST).iter().count();
        if hosts > 1 {
            // Which one names the server is anyone's guess (RFC 9112: a 400); two were
            // answered 200 (trial of session 25), the gate reading only the first.
            return Some(ApiError::bad_request(format!(
                "the request has {hosts} Host headers; send one"
            )));
        }
        if self.loopback_only && !headers.get(header::HOST).is_some_and(is_loopback_host) {
            return Some(ApiError::forbidden(
                "lete serve answers only requests addressed to localhost",
            ));
        }
        None
    }
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    length.is_some_and(|length| length > 0) || headers.contains_key(header::TRANSFER_ENCODING)
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
fn is_loopback_host(host: &HeaderValue) -> bool {
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// Every request passes the gate first; every answer says how a browser must treat it.
pub(crate) async fn gate(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    let uri_bytes = request.uri().to_string().len();
    if let Some(refusal) = gate.refusal(request.method(), uri_bytes, request.headers()) {
        return with_safety_headers(refusal.into_response());
    }
    with_safety_headers(next.run(request).await)
}

/// The page and its scripts come from this server only, are never framed, and send no
/// referrer (a query can be private).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The headers every answer carries, also those written past hyper (see `connection`).
pub(crate) fn safety_headers() -> [(HeaderName, &'static str); 4] {
    [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-cache"),
    ]
}

fn with_safety_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in safety_headers() {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(concurrent: usize, millis: u64) -> Limits {
        Limits {
            concurrent,
            request_time: Duration::from_millis(millis),
            ..Limits::default()
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn work_that_takes_too_long_is_a_clear_error_and_keeps_its_slot_to_the_end() {
        runtime().block_on(async {
            let workers = Workers::new(limits(1, 50));
            let slow = workers
                .run(|| {
                    std::thread::sleep(Duration::from_millis(400));
                    Ok(1)
                })
                .await;
            let err = slow.expect_err("too slow");
            assert_eq!(err.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(
                err.message,
                "the request took longer than 0.05 s; try a narrower query"
            );
            // The slow job still runs: its slot is taken.
            let busy = workers.run(|| Ok(2)).await.expect_err("busy");
            assert_eq!(
                busy.message,
                "the server is busy (1 requests at once); try again shortly"
            );
            let started = Instant::now();
            while workers.run(|| Ok(3)).await.is_err() {
                assert!(started.elapsed() < Duration::from_secs(5));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
    }

    #[test]
    fn quick_work_answers_and_a_panic_is_an_internal_error() {
        runtime().block_on(async {
            // Generous: the panic's backtrace, printed under RUST_BACKTRACE, took more than 5 s
            // to symbolize in a loaded full test run, and the panic was answered as too slow.
            let workers = Workers::new(limits(2, 120_000));
            assert_eq!(workers.run(|| Ok("svar")).await, Ok("svar"));
            let err = workers
                .run(|| -> Result<(), ApiError> { panic!("bug") })
                .await
                .expect_err("a panic");
            assert_eq!(err.status, StatusCode::INTERNAL_SERVER_ERROR);
        });
    }

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn on_loopback_only_loopback_hosts_pass() {
        let gate = Gate::for_address("127.0.0.1:7700".parse().unwrap());
        for ok in [
            "localhost:7700",
            "127.0.0.1:7700",
            "[::1]:7700",
            "LOCALHOST",
        ] {
            assert_eq!(gate.refusal(&Method::GET, 10, &host(ok)), None, "{ok}");
        }
        for refused in ["evil.example:7700", "127.0.0.1.evil.example", "[::2]:80"] {
            let err = gate.refusal(&Method::GET, 10, &host(refused)).unwrap();
            assert_eq!(err.status, StatusCode::FORBIDDEN, "{refused}");
        }
        assert!(gate.refusal(&Method::GET, 10, &HeaderMap::new()).is_some());
        let open = Gate::for_address("0.0.0.0:7700".parse().unwrap());
        assert_eq!(open.refusal(&Method::GET, 10, &host("lete.lan")), None);
    }

    #[test]
    fn bodies_long_targets_and_writes_are_refused() {
        let gate = Gate::for_address("127.0.0.1:7700".parse().unwrap());
        let mut with_body = host("localhost");
        with_body.insert(header::CONTENT_LENGTH, HeaderValue::from_static("12"));
        let refused = |method: &Method, bytes, headers: &HeaderMap| {
            gate.refusal(method, bytes, headers).map(|err| err.status)
        };
        assert_eq!(
            refused(&Method::GET, 10, &with_body),
            Some(StatusCode::PAYLOAD_TOO_LARGE)
        );
        assert_eq!(
            refused(&Method::GET, MAX_URI_BYTES + 1, &host("localhost")),
            Some(StatusCode::URI_TOO_LONG)
        );
        assert_eq!(
            refused(&Method::DELETE, 10, &host("localhost")),
            Some(StatusCode::METHOD_NOT_ALLOWED)
        );
        assert_eq!(refused(&Method::HEAD, 10, &host("localhost")), None);
    }
}
