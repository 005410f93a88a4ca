//! Following the corpus: file-system events wake one thread that waits for them to settle,
//! runs the same incremental update as `lete index` and then swaps the new index in. Searches
//! answer from the last committed index meanwhile and never wait for an update.

use super::state::{Served, Snapshot};
use crate::index::manifest::ManifestStamp;
use crate::index::MANIFEST_FILE;
use crate::index::{open_fresh, IndexError, IndexOptions, IndexReport, OpenOptions, Refresh};
use crate::ingest::FileSelection;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Events closer together than this are one change: saving a file is several events.
const DEBOUNCE: Duration = Duration::from_millis(300);
/// Changes that never stop (a log file written to all the time) are indexed this often.
const SETTLE_AT_MOST: Duration = Duration::from_secs(3);
/// After a failed update, the next try comes this soon even without another change.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

/// How the background updates run and what they say.
#[derive(Debug, Clone)]
pub(crate) struct FollowOptions {
    /// The files of the corpus that are documents, as the index was built with.
    pub(crate) selection: FileSelection,
    /// Print each update's summary (not under `-q`); warnings and failures always print.
    pub(crate) notes: bool,
    /// Say when an update starts (`-v`).
    pub(crate) verbose: bool,
    /// An update is due at once: the corpus changed while no server was watching.
    pub(crate) behind: bool,
}

/// The watcher and the updating thread. Stopping it lets an update under way commit first.
pub(crate) struct Follower {
    watching: Arc<Watching>,
    wake: Sender<()>,
    updater: JoinHandle<()>,
    served: Arc<Served>,
}

/// Starts following the corpus of `served` (and its index folder, for a `lete index` run
/// beside the server).
pub(crate) fn follow(served: Arc<Served>, options: FollowOptions) -> Follower {
    let (wake, woken) = channel();
    let own_manifest = OwnManifest::default();
    let watching = Arc::new(Watching::new(&served));
    let watcher = watch(
        &served,
        wake.clone(),
        Arc::clone(&own_manifest),
        Arc::clone(&watching),
    );
    match watcher {
        Ok(watcher) => *watching.lock() = Some(watcher),
        Err(err) => {
            eprintln!(
                "lete: warning: cannot follow changes to {} ({err}); the server answers from \
                 the index as it is: restart it after the corpus changes",
                served.corpus.display()
            );
        }
    }
    if options.behind {
        served.following.saw_change();
        // The receiver is alive: it is moved into the thread below.
        let _ = wake.send(());
    }
    let updater = {
        let served = Arc::clone(&served);
        let watching = Arc::clone(&watching);
        std::thread::spawn(move || run_updates(&served, &options, &woken, &own_manifest, &watching))
    };
    Follower {
        watching,
        wake,
        updater,
        served,
    }
}

impl Follower {
    /// Stops watching and waits for an update under way to commit (it is never cut off
    /// halfway: the index stays as its last commit left it either way).
    pub(crate) fn stop(self) {
        let Follower {
            watching,
            wake,
            updater,
            served,
        } = self;
        // The watcher's callback holds a sender: without it, the updater ends.
        drop(watching.lock().take());
        drop(wake);
        if served.following.is_updating() {
            eprintln!("lete: letting the index update under way finish before stopping");
        }
        let _ = updater.join();
    }
}

/// The watcher, shared with the updater (which re-arms it when the corpus folder is
/// replaced), the folder it watches, and whether the corpus folder itself was moved, removed
/// or created, or the link that names it retargeted.
struct Watching {
    watcher: Mutex<Option<RecommendedWatcher>>,
    /// The corpus path as given, absolute, its last part not followed: the symbolic link when
    /// the corpus is one (`ln -sfn release-2 corpus` replaces it).
    given: PathBuf,
    /// The canonical corpus folder watched now.
    root: Mutex<PathBuf>,
    root_replaced: AtomicBool,
}

impl Watching {
    fn new(served: &Served) -> Watching {
        let root = served.current().corpus_root.clone();
        Watching {
            watcher: Mutex::new(None),
            given: unfollowed(&served.corpus).unwrap_or_else(|| root.clone()),
            root: Mutex::new(root),
            root_replaced: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<RecommendedWatcher>> {
        self.watcher.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn root(&self) -> PathBuf {
        self.root
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Watches the corpus folder now at the corpus path afresh. A watch stays on the folder it
    /// was given, not on its path: after `mv corpus corpus.old && mv corpus.new corpus` (or
    /// `rm -rf corpus` and a new one) it followed the old folder or none, and the server went
    /// stale (break trial of issues 15 to 20); and a corpus path that is a symbolic link,
    /// retargeted, names another folder altogether (issue 20). Called from the updater:
    /// notify's own thread, which runs the event callback, cannot add a watch while it waits
    /// for one.
    fn rearm(&self, corpus: &Path) {
        let mut watcher = self.lock();
        let Some(watcher) = watcher.as_mut() else {
            return;
        };
        let old_root = self.root();
        // Gone for now: the watch on the folder it lies in sees a new one arrive.
        let root = std::fs::canonicalize(corpus).unwrap_or_else(|_| old_root.clone());
        // The old folder's watches, if any are left (it was moved, not removed).
        let _ = watcher.unwatch(&old_root);
        if let Err(err) = watcher.watch(&root, RecursiveMode::Recursive) {
            if root.exists() {
                eprintln!(
                    "lete: warning: cannot follow changes to {} ({err}); restart the server \
                     after the corpus changes",
                    root.display()
                );
            }
        }
        if root != old_root {
            watch_parent(watcher, &root);
        }
        *self.root.lock().unwrap_or_else(PoisonError::into_inner) = root;
    }

    /// Whether `event` is the corpus folder itself coming, going or moving, or the link that
    /// names it replaced: its watch must be made again.
    fn replaces_root(&self, event: &Event) -> bool {
        replaces_root(event, &self.root()) || replaces_root(event, &self.given)
    }
}

/// `path` made absolute with every part but the last resolved (canonical): the path of the
/// corpus link itself when the corpus is given as one.
fn unfollowed(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let parent = std::fs::canonicalize(absolute.parent()?).ok()?;
    Some(parent.join(absolute.file_name()?))
}

/// Watches the folder `path` lies in (not recursively), for `path` itself being replaced.
fn watch_parent(watcher: &mut RecommendedWatcher, path: &Path) {
    if let Some(parent) = path.parent() {
        if let Err(err) = watcher.watch(parent, RecursiveMode::NonRecursive) {
            eprintln!(
                "lete: warning: cannot watch {} ({err}); if the corpus folder is replaced, \
                 restart the server",
                parent.display()
            );
        }
    }
}

/// Watches the corpus folder and its sub-folders, the folder it lies in and the folder the
/// corpus path lies in (for the corpus folder itself being replaced, or the link that names it
/// retargeted), and the index folder's manifest (written last by every update, ours or a
/// `lete index` beside the server).
fn watch(
    served: &Arc<Served>,
    wake: Sender<()>,
    own_manifest: OwnManifest,
    watching: Arc<Watching>,
) -> notify::Result<RecommendedWatcher> {
    // Events name paths as the watch was given them: both canonical, so they compare.
    let index_dir = std::fs::canonicalize(&served.index_dir).map_err(notify::Error::io)?;
    let manifest = index_dir.join(MANIFEST_FILE);
    let watched_index = index_dir.clone();
    let following = Arc::clone(served);
    let watched = Arc::clone(&watching);
    let wakes = move |path: &Path| {
        if path == manifest {
            // Our own update's manifest needs no second look: it is written while our update
            // holds the writer lock, and its stamp is kept after.
            if following.following.is_updating() {
                return false;
            }
            let own = own_manifest.lock().unwrap_or_else(PoisonError::into_inner);
            return ManifestStamp::of(&index_dir) != *own;
        }
        is_corpus_change(path, &watched.root())
    };
    let root = watching.root();
    let given = watching.given.clone();
    let seen = Arc::clone(served);
    let on_event = move |result: notify::Result<Event>| {
        let relevant = match result {
            // Reading is no change: the updates and the document page read the corpus.
            Ok(event) => {
                // The corpus link lies outside the corpus folder: its replacement is a change
                // of its own.
                let replaced = watching.replaces_root(&event);
                if replaced {
                    watching.root_replaced.store(true, Ordering::SeqCst);
                }
                replaced
                    || !matches!(event.kind, EventKind::Access(_))
                        && event.paths.iter().any(|path| wakes(path))
            }
            // Events were lost (an overflowing queue): look at the corpus again, and watch
            // it afresh, in case it was replaced meanwhile.
            Err(_) => {
                watching.root_replaced.store(true, Ordering::SeqCst);
                true
            }
        };
        if relevant {
            seen.following.saw_change();
            let _ = wake.send(());
        }
    };
    let mut watcher = notify::recommended_watcher(on_event)?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    watcher.watch(&watched_index, RecursiveMode::NonRecursive)?;
    watch_parent(&mut watcher, &root);
    if given != root {
        watch_parent(&mut watcher, &given);
    }
    Ok(watcher)
}

/// Whether `event` is the corpus folder itself coming, going or moving (the folder it lies in
/// is watched for this): its watch must be made again.
fn replaces_root(event: &Event, corpus_root: &Path) -> bool {
    let kind = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    );
    kind && event.paths.iter().any(|path| path == corpus_root)
}

/// The stamp of the manifest the server's own last update left.
type OwnManifest = Arc<Mutex<Option<ManifestStamp>>>;

/// A change in the corpus, hidden files and folders aside (the corpus walk passes them over,
/// and editors keep their swap files there).
fn is_corpus_change(path: &Path, corpus_root: &Path) -> bool {
    path.strip_prefix(corpus_root).is_ok_and(|inside| {
        !inside
            .components()
            .any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
    })
}

/// The updating thread: one update per wake-up, however many changes it covers, until the
/// watcher and the follower are gone.
fn run_updates(
    served: &Served,
    options: &FollowOptions,
    woken: &Receiver<()>,
    own_manifest: &Mutex<Option<ManifestStamp>>,
    watching: &Watching,
) {
    yield_to_searches();
    let mut wait = None;
    loop {
        let wake = match wait {
            None => woken.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(retry) => woken.recv_timeout(retry),
        };
        match wake {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Changes that came while the last update ran are covered by this one, and so are
        // those that follow within the debounce.
        if !settle(woken) {
            return;
        }
        if watching.root_replaced.swap(false, Ordering::SeqCst) {
            watching.rearm(&served.corpus);
        }
        let covers = served.following.starting();
        if options.verbose {
            eprintln!("lete: a change was seen; updating the index");
        }
        let outcome = update(served, &options.selection);
        *own_manifest.lock().unwrap_or_else(PoisonError::into_inner) =
            ManifestStamp::of(&served.index_dir);
        let error = match outcome {
            Ok(report) => {
                say_report(&report, options.notes);
                wait = None;
                None
            }
            Err(err) => {
                eprintln!(
                    "lete: warning: the index could not be updated ({err}); answering from the \
                     last committed index, trying again in {} s",
                    RETRY_AFTER_FAILURE.as_secs()
                );
                wait = Some(RETRY_AFTER_FAILURE);
                Some(err.to_string())
            }
        };
        served.following.finished(covers, error);
    }
}

/// How much lower than the searches' the updates' scheduling priority is (a nice value).
#[cfg(target_os = "linux")]
const UPDATE_NICENESS: libc::c_int = 10;

/// Lowers this thread's priority, and so that of the threads it starts (an update's loaders,
/// Tantivy's writer and merge threads inherit it), so that on a busy machine the searches come
/// first and an update takes what is left. Where this is refused, updates run as they are.
fn yield_to_searches() {
    // SAFETY: gettid and setpriority take no pointers; setpriority on this thread's id changes
    // only this thread's nice value (Linux keeps it per thread).
    #[cfg(target_os = "linux")]
    unsafe {
        let thread = libc::id_t::try_from(libc::gettid()).unwrap_or(0);
        if thread != 0 {
            // Relative to the server's own (19 is the lowest priority).
            let now = libc::getpriority(libc::PRIO_PROCESS, thread);
            let _ = libc::setpriority(libc::PRIO_PROCESS, thread, (now + UPDATE_NICENESS).min(19));
        }
    }
}

/// Waits until no change has come for [`DEBOUNCE`] (at most [`SETTLE_AT_MOST`]); false when
/// the follower is stopped meanwhile (the change is then indexed by the next start).
fn settle(woken: &Receiver<()>) -> bool {
    let started = Instant::now();
    loop {
        match woken.recv_timeout(DEBOUNCE) {
            Ok(()) if started.elapsed() < SETTLE_AT_MOST => {}
            Ok(()) | Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// One incremental update, as `lete index` runs it; the new index is swapped in when it holds
/// anything the served one does not (also after a `lete index` beside the server).
fn update(served: &Served, selection: &FileSelection) -> Result<IndexReport, IndexError> {
    let options = OpenOptions {
        refresh: Refresh::Always,
        update: IndexOptions {
            selection: selection.clone(),
            on_wait: Some(say_waiting),
            ..IndexOptions::default()
        },
        ..OpenOptions::default()
    };
    let fresh = open_fresh(&served.corpus, &served.index_dir, &options)?;
    let report = fresh.report().cloned().unwrap_or_default();
    // The folder the corpus path names now: the update read it (a corpus link retargeted
    // since is seen by the watcher, and updated from again).
    let corpus_root =
        std::fs::canonicalize(&served.corpus).map_err(|err| IndexError::io(&served.corpus, err))?;
    let snapshot = Snapshot::new(fresh.index, fresh.manifest, &corpus_root);
    let current = served.current();
    // A link retargeted out of the corpus (or back) to a file of the same content changes
    // no manifest entry, but what may be shown.
    let shown_changed =
        snapshot.outside != current.outside || snapshot.corpus_root != current.corpus_root;
    if snapshot.manifest != current.manifest || shown_changed {
        // The reader is made here, not by the first search after the swap.
        let index = &snapshot.index;
        index
            .guard(|| index.reader().map(|_| ()))?
            .map_err(|err| index.damaged(&err))?;
        served.replace(snapshot);
    }
    Ok(report)
}

/// Told once when a `lete index` holds the index: the server's update waits for it.
fn say_waiting(index_dir: &Path) {
    eprintln!(
        "lete: waiting for another lete index to finish before updating {}",
        index_dir.display()
    );
}

/// Warnings always; the summary of an update that changed something unless `-q`.
fn say_report(report: &IndexReport, notes: bool) {
    for warning in &report.warnings {
        eprintln!("lete: warning: {warning}");
    }
    let changed = report.files_added + report.files_changed + report.files_removed > 0;
    if notes && (changed || report.rebuilt.is_some()) {
        eprintln!("lete: indexed {report}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    fn own_niceness() -> libc::c_int {
        // SAFETY: no pointers; reads this thread's nice value.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn updates_and_the_threads_they_start_yield_to_searches() {
        let (before, updater, started) = std::thread::spawn(|| {
            let before = own_niceness();
            yield_to_searches();
            let started = std::thread::spawn(own_niceness).join().unwrap();
            (before, own_niceness(), started)
        })
        .join()
        .unwrap();
        assert_eq!(updater, (before + UPDATE_NICENESS).min(19));
        assert_eq!(started, updater, "a thread an update starts inherits it");
        assert_eq!(own_niceness(), before, "other threads keep theirs");
    }

    #[test]
    fn the_corpus_folder_moved_removed_or_created_is_a_replacement() {
        use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
        let root = Path::new("/data/docs");
        let event = |kind, path: &str| Event::new(kind).add_path(path.into());
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert!(replaces_root(&event(renamed, "/data/docs"), root));
        let created = EventKind::Create(CreateKind::Folder);
        assert!(replaces_root(&event(created, "/data/docs"), root));
        let removed = EventKind::Remove(RemoveKind::Folder);
        assert!(replaces_root(&event(removed, "/data/docs"), root));
        assert!(!replaces_root(&event(renamed, "/data/docs.old"), root));
        assert!(!replaces_root(&event(created, "/data/docs/ny"), root));
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        assert!(!replaces_root(&event(written, "/data/docs"), root));
    }

    #[test]
    fn corpus_changes_wake_the_updater_hidden_files_do_not() {
        let corpus = Path::new("/data/docs");
        let relevant = |path: &str| is_corpus_change(Path::new(path), corpus);
        assert!(relevant("/data/docs/001.txt"));
        assert!(relevant("/data/docs/dansk/002.txt"));
        assert!(!relevant("/data/docs/.001.txt.swp"));
        assert!(!relevant("/data/docs/.git/index"));
        assert!(!relevant("/cache/index/meta.json"));
    }
}
