//! `lete serve`: the warm index over HTTP (a JSON API and a search page), following the
//! corpus in the background. Beside `cli/`, on the same library entry points: it opens a
//! fresh index, searches with `search::prepare(…).run(…)`, reads documents through the
//! pipeline, and renders the wire types of `output/schema.rs`.

mod api;
mod cache;
mod connection;
mod error;
mod follow;
mod limits;
mod pages;
mod sources;
mod state;

pub(crate) use follow::FollowOptions;
pub(crate) use limits::{Limits, DEFAULT_HEADER_SECONDS};
pub(crate) use state::Served;

use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use connection::{answer_header_timeout, answer_http2, refuse_connection, ClientStream};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use limits::{Gate, Workers, MAX_OPEN_CONNECTIONS};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every handler shares: the served index and the work slots.
#[derive(Clone)]
pub(crate) struct App {
    served: Arc<Served>,
    workers: Workers,
}

/// How a server runs.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub(crate) addr: SocketAddr,
    pub(crate) limits: Limits,
    pub(crate) follow: FollowOptions,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ServeError {
    #[error("cannot listen on {addr}: {error}; choose another --addr")]
    Listen {
        addr: SocketAddr,
        error: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// Serves `served` on `options.addr` until Ctrl-C or SIGTERM, following its corpus. Stops
/// gracefully: requests under way are answered, an index update under way commits.
pub(crate) fn serve(served: Served, options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let served = Arc::new(served);
    let listener = runtime
        .block_on(TcpListener::bind(options.addr))
        .map_err(|error| ServeError::Listen {
            addr: options.addr,
            error,
        })?;
    let local = listener.local_addr().map_err(ServeError::Runtime)?;
    let follower = follow::follow(Arc::clone(&served), options.follow.clone());
    let app = App {
        served,
        workers: Workers::new(options.limits.clone()),
    };
    let router = router(app, Gate::for_address(local));
    // Ctrl-C and SIGTERM are caught from before the server says it serves: they were caught
    // only once the accept loop first waited, and a SIGTERM sent soon after the first answer
    // (a test's, a service manager's) could still kill the process outright.
    let signals = {
        let _runtime = runtime.enter();
        StopSignals::catch().map_err(ServeError::Runtime)?
    };
    // Said even under -q: it is what the user came for (and how a test finds the port).
    eprintln!("lete: serving http://{local}/ (Ctrl-C stops)");
    let served = runtime.block_on(serve_connections(
        listener,
        router,
        &options.limits,
        signals,
    ));
    // A second Ctrl-C stops at once: the index keeps its last commit (a commit is atomic).
    runtime.spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("lete: stopped; the index keeps its last commit");
            std::process::exit(130);
        }
    });
    follower.stop();
    served.map_err(ServeError::Runtime)
}

/// Answers the connections of `listener` with `router` until Ctrl-C or SIGTERM, then lets the
/// requests under way finish, for at most the time a request may take.
async fn serve_connections(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    signals: StopSignals,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    // axum::serve sets no timer, and a client that sent half its headers (or nothing) held its
    // connection for as long as it liked (slowloris, break trial of issues 15 to 20).
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_time);
    let connections = GracefulShutdown::new();
    let open = Arc::new(tokio::sync::Semaphore::new(MAX_OPEN_CONNECTIONS));
    let mut stop = std::pin::pin!(signals.stop());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    wait_after_accept_error(&error).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(kept_open) = Arc::clone(&open).try_acquire_owned() else {
            tokio::spawn(refuse_connection(stream, limits.header_time));
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        let (stream, released) = ClientStream::new(stream, limits.request_time);
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = connections.watch(connection);
        let header_time = limits.header_time;
        tokio::spawn(async move {
            let _kept_open = kept_open;
            // A connection's end (the client gone, a timeout) is no error of the server, but
            // a client whose headers did not come in time is told so, and so is one that
            // speaks HTTP/2.
            if let Err(error) = connection.await {
                let Ok(released) = released.await else {
                    return;
                };
                if error.is_timeout() {
                    answer_header_timeout(released, header_time).await;
                } else if error.is_parse_version_h2() {
                    answer_http2(released, header_time).await;
                }
            }
        });
    }
    drop(listener);
    // Graceful shutdown waits for every connection to close, and a client that stops reading
    // its answer would keep the server from stopping at all (found in the break trial of
    // issues 15 to 20): past the time a request may take, the rest are dropped.
    let grace = limits.request_time;
    tokio::select! {
        () = connections.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            eprintln!(
                "lete: stopped; {} s after the stop, connections still open were closed",
                grace.as_secs()
            );
        }
    }
    Ok(())
}

/// After a failed accept: a connection that failed before it was accepted is no matter; out
/// of file descriptors (or another error of the listener), wait a moment before the next.
async fn wait_after_accept_error(error: &std::io::Error) {
    use std::io::ErrorKind;
    let connection_only = matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    );
    if !connection_only {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Every route; anything else is a JSON 404.
fn router(app: App, gate: Gate) -> Router {
    Router::new()
        .route("/", get(pages::search_page))
        .route("/doc", get(pages::document_page))
        .route("/assets/{name}", get(pages::asset))
        .route("/api/search", get(api::search))
        .route("/api/outline", get(api::outline))
        .route("/api/stats", get(api::stats))
        .route("/api/health", get(api::health))
        .fallback(pages::not_found)
        .with_state(app)
        .layer(from_fn_with_state(gate, limits::gate))
}

/// Ctrl-C and SIGTERM, caught from the moment this is made (a Tokio signal stream takes the
/// signal over when it is created, not when first awaited).
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    /// Catches both; inside the runtime.
    fn catch() -> std::io::Result<StopSignals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(StopSignals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for either.
    async fn stop(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        eprintln!("lete: stopping: answering the requests under way first");
    }
}
