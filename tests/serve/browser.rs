//! The search page as a person uses it (issue 20): headless Chromium from Debian's packages,
//! driven through chromedriver by a WebDriver client (fantoccini), types a query, sees the
//! hits, goes to one with the keyboard and sees the passage marked in the document.
//!
//! It needs `chromium` and `chromium-driver` (`.ci/run` installs them). Without them it says
//! so and passes, unless `LETE_TEST_BROWSER=required` (set by `.ci/run`), where it fails.
//! `LETE_SCREENSHOTS=DIR` saves what the browser shows there (docs/ holds those of the README).

use super::Server;
use crate::util::Workspace;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Longest wait for the browser to show something: a bound, not a timing assertion.
const PATIENCE: Duration = Duration::from_secs(60);

/// A chromedriver this test started, stopped when dropped.
struct ChromeDriver {
    child: Child,
    url: String,
    /// The browser's profile folder, fresh for each run.
    profile: tempfile::TempDir,
}

impl ChromeDriver {
    /// Starts chromedriver on a free port, or `None` (with the reason on stderr) when it is
    /// not installed and not required.
    fn start() -> Option<ChromeDriver> {
        let Some(program) = find_program("chromedriver") else {
            let required = std::env::var("LETE_TEST_BROWSER").is_ok_and(|v| v == "required");
            assert!(
                !required,
                "LETE_TEST_BROWSER=required but chromedriver is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "skipped the browser test: chromedriver is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = free_port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile: tempfile::tempdir().expect("profile dir"),
        })
    }

    /// A headless Chromium session: no sandbox (CI runs as root), no network of its own.
    async fn session(&self) -> Client {
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-quic".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--window-size=1280,900".to_string(),
            "--lang=nb".to_string(),
        ];
        args.push(format!("--user-data-dir={}", self.profile.path().display()));
        let mut options = json!({ "args": args });
        if let Some(chromium) = find_program("chromium") {
            options["binary"] = json!(chromium.display().to_string());
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_string(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// Runs `script` in the page until it returns something other than null or false.
async fn until(client: &Client, what: &str, script: &str) -> Value {
    let started = Instant::now();
    loop {
        let value = client.execute(script, Vec::new()).await.expect("script");
        if !value.is_null() && value != Value::Bool(false) {
            return value;
        }
        let page = client.source().await.unwrap_or_default();
        assert!(
            started.elapsed() < PATIENCE,
            "the page never showed {what}; it shows:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Text of the first element `css` finds.
async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} on the page"))
        .text()
        .await
        .expect("text")
}

async fn save_screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("LETE_SCREENSHOTS") else {
        return;
    };
    let png = client.screenshot().await.expect("screenshot");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("screenshot folder");
    std::fs::write(dir.join(name), png).expect("save the screenshot");
}

/// Clears the search box and types `text` into it, key by key.
async fn type_query(client: &Client, text: &str) {
    let input = client
        .find(Locator::Css("#q"))
        .await
        .expect("the search box");
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

#[test]
fn r20_a_person_searches_follows_a_hit_and_sees_the_passage_marked() {
    let Some(driver) = ChromeDriver::start() else {
        return;
    };
    let workspace = Workspace::new();
    let server = Server::start(&workspace, &[]);
    in_browser(&driver, &server, |client, base| async move {
        use_the_page(&client, &base).await
    });
}

/// Runs `visit` with a browser session on `server`'s address, and closes the session whatever
/// happens, so that no browser outlives the test.
fn in_browser<Visit, Visiting>(driver: &ChromeDriver, server: &Server, visit: Visit)
where
    Visit: FnOnce(Client, String) -> Visiting,
    Visiting: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = driver.session().await;
        let outcome = tokio::spawn(visit(client.clone(), server.base.clone())).await;
        let _ = client.close().await;
        if let Err(failure) = outcome {
            std::panic::resume_unwind(failure.into_panic());
        }
    });
}

/// The break trial of issues 15 to 20: on the document page a passage that is only a heading
/// (a heading with sub-headings and no text of its own, or the title) was shown twice, as the
/// heading and again as a passage below it.
#[test]
fn r20_a_passage_that_is_only_a_heading_is_shown_once() {
    let Some(driver) = ChromeDriver::start() else {
        return;
    };
    let workspace = Workspace::new();
    let server = Server::start(&workspace, &[]);
    let source = "corpus%2F000_216059c245ea5907.txt";
    // The fixture's premise, from the API: the section's only passage is its heading.
    let outline = server.json(&format!("/api/outline?source={source}"), 200);
    let heading = "Prioriterte arbeidsområder";
    let section = outline["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|section| section["heading"] == heading)
        .expect("the section")
        .clone();
    assert_eq!(section["passages"].as_array().map(Vec::len), Some(1));
    assert_eq!(section["passages"][0]["text"], heading);
    let line = section["passages"][0]["line"].as_u64().expect("line");
    let title = outline["title"].as_str().expect("title").to_string();
    assert_eq!(
        outline["sections"][0]["passages"][0]["text"],
        title.as_str()
    );
    in_browser(&driver, &server, move |client, base| async move {
        client
            .goto(&format!("{base}/doc?source={source}#L{line}"))
            .await
            .expect("open the document");
        // The hit on the heading marks the heading.
        let marked = until(
            &client,
            "the marked heading",
            "const m = document.querySelector('.marked'); \
             return m ? [m.tagName, m.id, m.textContent] : null;",
        )
        .await;
        assert_eq!(
            marked,
            json!(["H2", format!("L{line}"), format!("Treffet{heading}")])
        );
        // Each shown once: no element of the text repeats the heading or the title.
        let count = "const wanted = arguments[0]; \
             return Array.from(document.querySelectorAll('#document *')) \
               .filter(e => e.children.length === 0 || e.classList.contains('marked')) \
               .filter(e => e.textContent.replace(/^Treffet/, '') === wanted).length;";
        for text in [heading, title.as_str()] {
            let shown = client
                .execute(count, vec![json!(text)])
                .await
                .expect("script");
            assert_eq!(shown, json!(1), "{text}");
        }
    });
}

async fn use_the_page(client: &Client, base: &str) {
    client
        .goto(&format!("{base}/"))
        .await
        .expect("open the page");
    let focused = client.active_element().await.expect("focus");
    assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("q"));

    // A query that matches nothing, then one that does not parse: each says so plainly.
    type_query(client, "zzyzxqq").await;
    let none = until(
        client,
        "the no-hits message",
        "const s = document.getElementById('status'); \
         return s.textContent.startsWith('Ingen treff') ? s.textContent : null;",
    )
    .await;
    assert_eq!(
        none,
        "Ingen treff for «zzyzxqq». Prøv andre ord eller færre ord."
    );
    type_query(client, "\"statlig detaljstyring").await;
    let error = until(
        client,
        "the error message",
        "const e = document.getElementById('error'); return e.hidden ? null : e.textContent;",
    )
    .await;
    assert!(
        error
            .as_str()
            .unwrap()
            .starts_with("Søket kan ikke tolkes (cannot parse the query"),
        "{error}"
    );

    // Typed as a person types: hits come without pressing Enter.
    type_query(client, "samfunnsberedskap").await;
    until(
        client,
        "hits",
        "return document.querySelectorAll('#treff li.hit').length > 0;",
    )
    .await;
    let url = client.current_url().await.expect("url");
    assert_eq!(
        url.query(),
        Some("q=samfunnsberedskap"),
        "the query is in the address"
    );
    let first_title = text_of(client, "#treff li.hit .hit-link").await;
    assert!(
        first_title
            .starts_with("Plan for arbeidet i sentralt kommunedirektørutvalg 2023 – 2025 › "),
        "title › headings: {first_title}"
    );
    let marked = text_of(client, "#treff li.hit .snippet mark").await;
    assert_eq!(marked.to_lowercase(), "samfunnsberedskap");
    let place = text_of(client, "#treff li.hit .meta").await;
    assert_eq!(place, "corpus/000_216059c245ea5907.txt:55 · bokmål");
    save_screenshot(client, "serve-search.png").await;

    // The keyboard: down from the search box to the first hit, Enter opens it.
    let input = client
        .find(Locator::Css("#q"))
        .await
        .expect("the search box");
    input
        .send_keys(&Key::Down.to_string())
        .await
        .expect("arrow down");
    let focused = client.active_element().await.expect("focus");
    let href = focused.attr("href").await.unwrap().expect("a hit link");
    assert!(
        href.starts_with("/doc?source=corpus%2F000_216059c245ea5907.txt&q=samfunnsberedskap#L"),
        "{href}"
    );
    let line = href.rsplit("#L").next().unwrap().to_string();
    focused
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("enter");

    // The document, its outline, the passage marked and in view.
    let marked_id = until(
        client,
        "the marked passage",
        "const p = document.querySelector('p.passage.marked'); return p ? p.id : null;",
    )
    .await;
    assert_eq!(marked_id, format!("L{line}"));
    let passage = text_of(client, "p.passage.marked").await;
    assert!(passage.starts_with("Treffet"), "{passage}");
    // A section's heading is shown once, not again as its first passage's first line.
    let first = client
        .execute(
            "const h = Array.from(document.querySelectorAll('section.doc-section h2')) \
               .find(h => h.textContent === 'Mandat og rammer'); \
             return h.parentElement.querySelector('p.passage').textContent;",
            Vec::new(),
        )
        .await
        .expect("script");
    assert!(
        first
            .as_str()
            .is_some_and(|text| text.starts_with("Kommunedirektørlandsmøtet velger")),
        "{first}"
    );
    assert!(
        passage.contains("Samfunnsberedskap har blitt aktualisert"),
        "{passage}"
    );
    let in_view = client
        .execute(
            "const r = document.querySelector('p.passage.marked').getBoundingClientRect(); \
             return r.top >= 0 && r.top < window.innerHeight;",
            Vec::new(),
        )
        .await
        .expect("script");
    assert_eq!(
        in_view,
        Value::Bool(true),
        "the passage is scrolled into view"
    );
    let title = text_of(client, "#doc-title").await;
    assert_eq!(
        title,
        "Plan for arbeidet i sentralt kommunedirektørutvalg 2023 – 2025"
    );
    let current = text_of(client, "#outline-list a[aria-current]").await;
    assert_eq!(
        current,
        "Øvrige rammer og prioriteringer for kommunedirektørutvalgets arbeid"
    );
    save_screenshot(client, "serve-document.png").await;

    // At a phone's width nothing runs off the side.
    client.set_window_size(390, 844).await.expect("phone width");
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth;";
    assert_eq!(
        client.execute(fits, Vec::new()).await.unwrap(),
        Value::Bool(true)
    );
    client
        .goto(&format!("{base}/?q=samfunnsberedskap"))
        .await
        .expect("a shared search");
    until(
        client,
        "hits of a shared address",
        "return document.querySelectorAll('#treff li.hit').length > 0;",
    )
    .await;
    assert_eq!(
        client.execute(fits, Vec::new()).await.unwrap(),
        Value::Bool(true)
    );
    save_screenshot(client, "serve-phone.png").await;
}
