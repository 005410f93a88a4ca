//! `lete serve [--addr ADDR | --port PORT]`: the index over HTTP, with a search page, kept warm and
//! following the corpus.

use super::index::open_fresh_reporting;
use super::Outcome;
use crate::config::Config;
use crate::index::{open_fresh, FreshIndex, Freshness, IndexOptions, OpenOptions, Refresh};
use crate::serve::{serve, FollowOptions, Limits, ServeOptions, Served, DEFAULT_HEADER_SECONDS};
use clap::Args;
use std::net::SocketAddr;
use std::time::Duration;

/// Serve the index over HTTP: a search page at / and a JSON API under /api/ (search, outline,
/// stats, health). The index is opened once and kept warm; changes to the corpus are indexed
/// in the background while searches answer from the last committed index. Read-only.
#[derive(Debug, Args)]
#[command(after_help = "\
The API answers with the objects of the CLI's --json output:
  GET /api/search?q=QUERY[&limit=N&lang=nb|nn|da&per_section=N&explain=true]
  GET /api/outline?source=PATH     (a source as hits give it)
  GET /api/stats
  GET /api/health
An error is {\"error\": \"...\"} with status 400 (a bad request), 404 (not found) or 503 (busy
or too slow).

Examples:
  lete serve
  lete serve --port 8080
  lete serve --addr 0.0.0.0:7700
  curl -s 'http://127.0.0.1:7700/api/search?q=beredskap&limit=3' | jq '.hits[].heading'")]
pub(crate) struct ServeArgs {
    /// Address and port to listen on. Other than localhost, anyone who can reach the address
    /// can read every document of the corpus.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR", value_parser = parse_addr)]
    pub(crate) addr: SocketAddr,
    /// Port to listen on at localhost (127.0.0.1): short for --addr 127.0.0.1:PORT.
    #[arg(long, value_name = "PORT", conflicts_with = "addr")]
    pub(crate) port: Option<u16>,
    /// Most requests worked on at once; more are answered 503 until one ends.
    #[arg(long, value_name = "N", default_value_t = Limits::default().concurrent as u64,
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub(crate) max_requests: u64,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: u64,
    /// Megabytes of search answers kept to be given again without a search while the index
    /// is unchanged (a query typed again, a shared link); 0 keeps none.
    #[arg(long, value_name = "MB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(0..=65_536))]
    pub(crate) cache_mb: u64,
    /// Seconds a client has to send a request's line and headers (and an idle kept-alive
    /// connection stays open) before its connection is closed. Hidden: for tests, which
    /// need it short or long; the default suits people.
    #[arg(long, hide = true, value_name = "SECONDS", default_value_t = DEFAULT_HEADER_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) header_timeout: u64,
}

pub(crate) fn run(config: &Config, args: &ServeArgs) -> anyhow::Result<Outcome> {
    let selection = config.selection()?;
    let addr = args.listen_on();
    if !addr.ip().is_loopback() {
        eprintln!(
            "lete: warning: listening on {addr}: anyone who can reach this address can read \
             every document of the corpus"
        );
    }
    let (opened, behind) = open_for_serving(config)?;
    let served = Served::new(opened.index, opened.manifest, &config.corpus, &config.index)?
        .with_cache(usize::try_from(args.cache_mb)?.saturating_mul(1024 * 1024));
    let options = ServeOptions {
        addr,
        limits: Limits {
            concurrent: usize::try_from(args.max_requests)?,
            request_time: Duration::from_secs(args.timeout),
            header_time: Duration::from_secs(args.header_timeout),
        },
        follow: FollowOptions {
            selection,
            notes: config.prints_notes(),
            verbose: config.is_verbose(),
            behind,
        },
    };
    serve(served, options)?;
    Ok(Outcome::Success)
}

impl ServeArgs {
    /// Where to listen: `--port` at localhost (session 26: users try `--port` first), else
    /// `--addr`.
    fn listen_on(&self) -> SocketAddr {
        match self.port {
            Some(port) => SocketAddr::from(([127, 0, 0, 1], port)),
            None => self.addr,
        }
    }
}

/// `IP:PORT`, or `localhost:PORT` for the loopback address.
fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    let loopback = text
        .strip_prefix("localhost:")
        .map(|port| format!("127.0.0.1:{port}"));
    loopback.as_deref().unwrap_or(text).parse().map_err(|_| {
        "give an address and port such as 127.0.0.1:7700 or localhost:7700".to_string()
    })
}

/// The index to serve first, and whether the corpus has changed since it was written. An
/// index that answers at all is served at once and brought up to date in the background;
/// a missing one (or one that must be rebuilt) is built first, as `lete search` builds it.
fn open_for_serving(config: &Config) -> anyhow::Result<(FreshIndex, bool)> {
    let as_it_is = OpenOptions {
        refresh: Refresh::Never,
        update: IndexOptions {
            selection: config.selection()?,
            ..IndexOptions::default()
        },
        ..OpenOptions::default()
    };
    match open_fresh(&config.corpus, &config.index, &as_it_is) {
        Ok(opened) if opened.freshness == Freshness::Current => Ok((opened, false)),
        Ok(
            opened @ FreshIndex {
                freshness: Freshness::Stale { .. },
                ..
            },
        ) => Ok((opened, true)),
        // No index, an index to rebuild, or a corpus that cannot be compared with it: the
        // refresh of `lete search` builds it or says what is wrong.
        _ => Ok((open_fresh_reporting(config)?, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_ip_and_port_or_localhost_and_port() {
        let addr = |text: &str| Ok(text.parse::<SocketAddr>().unwrap());
        assert_eq!(parse_addr("localhost:8080"), addr("127.0.0.1:8080"));
        assert_eq!(parse_addr("[::1]:7700"), addr("[::1]:7700"));
        assert_eq!(parse_addr("0.0.0.0:80"), addr("0.0.0.0:80"));
        assert!(parse_addr("localhost").is_err());
        assert!(parse_addr("lete.example.com:80").is_err());
    }
}
