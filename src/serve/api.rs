//! The JSON API: `/api/search` answers with the object of `lete search --json`,
//! `/api/outline` with that of `lete outline --json`, `/api/stats` with that of `lete stats
//! --json`, and `/api/health` says how the server stands. Each reads through the library's
//! entry points, as the CLI does.

use super::cache::CacheKey;
use super::error::{echoed, json_body, ApiError};
use super::limits::MAX_QUERY_CHARS;
use super::sources::resolve_source;
use super::App;
use crate::lang::LangFilter;
use crate::output::schema::{HealthOutput, OutlineOutput, SearchOutput, StatsOutput};
use crate::pipeline::load_document;
use crate::search::{
    prepare, SearchError, SearchRequest, DEFAULT_PER_DOCUMENT, DEFAULT_PER_SECTION,
};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// The parameters of a request, by name.
type Params = HashMap<String, String>;

/// The parameters as the query string gives them, in order, repeats kept.
type RawParams = Vec<(String, String)>;

/// Most hits one search returns. A tenth of `lete search --limit`'s bound: the server answers
/// many people at once, and a search's time and memory grow with its limit (five candidates
/// read per hit). On an index of 400,000 passages one `limit=10000` took 1.2 s and a 2.9 MB
/// answer, and 20 at once held 1.2 GB (issue 20); the page asks for 20, and a script that
/// wants every hit has `lete search --limit 10000 --json` or `--files`.
const MAX_LIMIT: usize = 1_000;
/// Most hits of one section or document ahead of the others, as `lete search`'s bound: a cap
/// costs nothing to raise.
const MAX_PER_CAP: usize = 10_000;
/// An answer of this many bytes or more is large: the memory its search freed is given back
/// to the system once it is written (see [`crate::threads::release_freed_memory`]).
const LARGE_ANSWER_BYTES: usize = 256 * 1024;
/// Hits returned when no limit is given, as `lete search`.
const DEFAULT_LIMIT: usize = 10;

/// `GET /api/search?q=…&limit=&lang=&per_section=&per_document=&explain=`.
pub(crate) async fn search(
    State(app): State<App>,
    params: Result<Query<RawParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let known = [
        "q",
        "limit",
        "lang",
        "per_section",
        "per_document",
        "explain",
    ];
    let params = parameters(params, &known)?;
    let request = search_request(&params)?;
    let snapshot = app.served.current();
    // An answer given before from this index is given again without a search or a slot;
    // its `took_ms` is the time it took now.
    let cached = CacheKey::new(snapshot.generation, &request);
    let looked_up = Instant::now();
    if let Some(results) = app.served.cache.get(&cached) {
        return to_json(&SearchOutput::new(
            &request.query,
            &results,
            looked_up.elapsed(),
        ));
    }
    // A malformed query is refused before any work is queued, as the CLI refuses it.
    let prepared = prepare(&request).map_err(ApiError::bad_request)?;
    // A file whose real path is outside the corpus folder is not shown, not even as a hit;
    // its passages do not count in the total either (issue 20).
    let prepared = prepared.excluding_sources(snapshot.outside.clone());
    // Requests run side by side on the cores already: a search cut into parts on every core
    // (issue 16) is for one person waiting on one search.
    let prepared = prepared
        .on_one_thread()
        .with_deadline(app.workers.deadline());
    let too_slow = app.workers.too_slow();
    let served = Arc::clone(&app.served);
    app.workers
        .run(move || {
            let index = &snapshot.index;
            let started = Instant::now();
            let results = match index.guard(|| prepared.run(index)) {
                Ok(Ok(results)) => results,
                Ok(Err(SearchError::Index(error))) => {
                    return Err(ApiError::internal(index.damaged(&error)))
                }
                // Stopped at the time the request is answered as too slow (issue 20).
                Ok(Err(SearchError::TimedOut)) => return Err(too_slow),
                Ok(Err(query_error)) => return Err(ApiError::bad_request(query_error)),
                Err(damaged) => return Err(ApiError::internal(damaged)),
            };
            let results = Arc::new(results);
            let output = SearchOutput::new(&request.query, &results, started.elapsed());
            let answer = serde_json::to_vec(&output);
            drop(output);
            if let Ok(json) = &answer {
                served.cache.put(cached, results, json.len());
            } else {
                drop(results);
            }
            released_after_a_large_answer(&answer);
            json_answer(answer)
        })
        .await
}

/// A search request from its parameters, checked as `lete search` checks its options.
fn search_request(params: &Params) -> Result<SearchRequest, ApiError> {
    let query = params.get("q").map(String::as_str).unwrap_or("");
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters; shorten it"
        )));
    }
    let lang = match params.get("lang").map(String::as_str) {
        None | Some("") => None,
        Some(code) => Some(code.parse::<LangFilter>().map_err(ApiError::bad_request)?),
    };
    Ok(SearchRequest {
        query: query.to_string(),
        limit: count(params, "limit", DEFAULT_LIMIT, MAX_LIMIT)?,
        lang,
        per_section: count(params, "per_section", DEFAULT_PER_SECTION, MAX_PER_CAP)?,
        per_document: count(params, "per_document", DEFAULT_PER_DOCUMENT, MAX_PER_CAP)?,
        explain: flag(params, "explain")?,
        sources: false,
    })
}

/// A whole number from 1 to `max`, or `default` when not given.
fn count(params: &Params, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
    let Some(value) = params.get(name).filter(|value| !value.is_empty()) else {
        return Ok(default);
    };
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "{name} must be a whole number from 1 to {max}, not '{}'",
                echoed(value)
            ))
        })
}

/// `true`/`1`/empty (the name alone) or `false`/`0`; absent is false.
fn flag(params: &Params, name: &str) -> Result<bool, ApiError> {
    match params.get(name).map(String::as_str) {
        None | Some("false") | Some("0") => Ok(false),
        Some("") | Some("true") | Some("1") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "{name} must be true or false, not '{}'",
            echoed(other)
        ))),
    }
}

/// The parameters, refusing a query string that does not decode, names not in `known` (a
/// misspelt parameter would otherwise be ignored without a word) and a name given twice
/// (`q=a&q=b` would otherwise search for one of them without a word, break trial of issues
/// 15 to 20; the CLI refuses an option given twice too).
fn parameters(
    params: Result<Query<RawParams>, QueryRejection>,
    known: &[&str],
) -> Result<Params, ApiError> {
    let Query(pairs) = params.map_err(|rejection| {
        ApiError::bad_request(format!(
            "the query string does not decode: {}",
            rejection.body_text()
        ))
    })?;
    let mut unknown: Vec<&str> = pairs
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !known.contains(name))
        .collect();
    unknown.sort_unstable();
    if let Some(name) = unknown.first() {
        return Err(ApiError::bad_request(format!(
            "unknown parameter '{}'; use {}",
            echoed(name),
            known.join(", ")
        )));
    }
    let mut params = Params::new();
    for (name, value) in pairs {
        if params.contains_key(&name) {
            return Err(ApiError::bad_request(format!(
                "the parameter '{}' is given more than once; give it once",
                echoed(&name)
            )));
        }
        params.insert(name, value);
    }
    Ok(params)
}

/// `GET /api/outline?source=…`: the document's structure, as `lete outline --json`.
pub(crate) async fn outline(
    State(app): State<App>,
    params: Result<Query<RawParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = parameters(params, &["source"])?;
    let source = params.get("source").cloned().unwrap_or_default();
    let snapshot = app.served.current();
    let served = app.served.clone();
    app.workers
        .run_reading(move || {
            let file = resolve_source(&served, &snapshot, &source)?;
            let loaded = load_document(&file, &source).map_err(|err| {
                ApiError::not_found(format!("'{}' cannot be read now: {err}", echoed(&source)))
            })?;
            let answer = serde_json::to_vec(&OutlineOutput::from(&loaded.document));
            drop(loaded);
            released_after_a_large_answer(&answer);
            json_answer(answer)
        })
        .await
}

/// `GET /api/stats`: what the served index holds, as `lete stats --json`.
pub(crate) async fn stats(
    State(app): State<App>,
    params: Result<Query<RawParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    parameters(params, &[])?;
    let snapshot = app.served.current();
    let served = app.served.clone();
    app.workers
        .run(move || {
            let stats = snapshot.stats().map_err(ApiError::internal)?;
            let output = StatsOutput::new(
                stats,
                &served.corpus.display().to_string(),
                &served.index_dir.display().to_string(),
                Some(served.following.is_up_to_date()),
            );
            to_json(&output)
        })
        .await
}

/// `GET /api/health`: the server answers, and how its index stands. Cheap: no slot taken.
pub(crate) async fn health(
    State(app): State<App>,
    params: Result<Query<RawParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    parameters(params, &[])?;
    let snapshot = app.served.current();
    let following = &app.served.following;
    let last_error = following.last_error();
    to_json(&HealthOutput {
        status: "ok",
        lete_version: env!("CARGO_PKG_VERSION"),
        documents: snapshot.documents(),
        built_at_unix: snapshot.manifest.built_at,
        updating: following.is_updating(),
        up_to_date: following.is_up_to_date(),
        last_error: last_error.as_deref(),
    })
}

/// Gives the memory the work behind `answer` freed back to the system when the answer is
/// large: freed memory otherwise stays with the process (after 20 answers of 10,000 hits the
/// server's RSS stayed at 950 MB to 2.6 GB when idle, issue 20; 40 outlines of a .docx of
/// 400,000 paragraphs left 2.2 GB, break trial of session 27).
fn released_after_a_large_answer(answer: &serde_json::Result<Vec<u8>>) {
    if answer
        .as_ref()
        .is_ok_and(|json| json.len() >= LARGE_ANSWER_BYTES)
    {
        crate::threads::release_freed_memory();
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<Response, ApiError> {
    json_answer(serde_json::to_vec(value))
}

fn json_answer(json: serde_json::Result<Vec<u8>>) -> Result<Response, ApiError> {
    json.map(json_body)
        .map_err(|err| ApiError::internal(format!("cannot write the answer: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn search_parameters_are_checked_as_the_cli_checks_its_options() {
        let request = search_request(&params(&[("q", "beredskap"), ("lang", "da")])).unwrap();
        assert_eq!(request.limit, DEFAULT_LIMIT);
        assert_eq!(request.lang, Some(LangFilter::Only(crate::lang::Lang::Da)));
        assert_eq!(request.per_document, DEFAULT_PER_DOCUMENT);
        assert_eq!(request.per_section, DEFAULT_PER_SECTION);
        assert!(!request.explain);
        let explain = search_request(&params(&[("q", "x"), ("explain", "")])).unwrap();
        assert!(explain.explain);
        let bad = |pairs: &[(&str, &str)]| search_request(&params(pairs)).unwrap_err();
        assert_eq!(
            bad(&[("q", "x"), ("limit", "0")]).message,
            "limit must be a whole number from 1 to 1000, not '0'"
        );
        // Issue 20: a tenth of the CLI's bound; the caps keep the CLI's.
        assert_eq!(
            bad(&[("q", "x"), ("limit", "1001")]).message,
            "limit must be a whole number from 1 to 1000, not '1001'"
        );
        let most = search_request(&params(&[("q", "x"), ("limit", "1000")])).unwrap();
        assert_eq!(most.limit, 1000);
        let caps = [
            ("q", "x"),
            ("per_section", "10000"),
            ("per_document", "10000"),
        ];
        assert_eq!(search_request(&params(&caps)).unwrap().per_section, 10_000);
        assert_eq!(
            bad(&[("q", "x"), ("lang", "sv")]).message,
            "unknown language 'sv': use nb, nn, da, or no for bokmål and nynorsk"
        );
        assert_eq!(
            bad(&[("q", "x"), ("explain", "ja")]).message,
            "explain must be true or false, not 'ja'"
        );
        let long = "kommune ".repeat(200);
        let err = bad(&[("q", &long)]);
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert!(err.message.contains("longer than 1000 characters"));
    }

    fn raw(pairs: &[(&str, &str)]) -> Result<Query<RawParams>, QueryRejection> {
        let pairs = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Ok(Query(pairs.collect()))
    }

    #[test]
    fn an_unknown_parameter_is_named() {
        let err = parameters(raw(&[("q", "x"), ("limt", "3")]), &["q", "limit"]).unwrap_err();
        assert_eq!(err.message, "unknown parameter 'limt'; use q, limit");
    }

    #[test]
    fn r20_a_parameter_given_twice_is_named() {
        let known = ["q", "limit", "source"];
        for name in known {
            let err = parameters(raw(&[(name, "1"), ("q2", "x"), (name, "2")]), &["q2", name])
                .unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST);
            assert_eq!(
                err.message,
                format!("the parameter '{name}' is given more than once; give it once")
            );
        }
        let once = parameters(raw(&[("q", "a"), ("limit", "3")]), &known).unwrap();
        assert_eq!(once.get("q").map(String::as_str), Some("a"));
    }
}
