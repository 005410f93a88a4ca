//! Reading an index that may be damaged: a Tantivy error or a panic met while reading becomes
//! the one damaged-index message, which names the repair (issue 6), for every command that
//! reads the index.

use super::open::LeteIndex;
use super::IndexError;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use tantivy::TantivyError;

impl LeteIndex {
    /// Runs `read` (a search, or any other read of this index), turning a panic inside it into
    /// the damaged-index error: Tantivy trusts its files, and a corrupted index can make it
    /// panic, which would print a stack trace instead of how to repair the index.
    pub fn guard<T>(&self, read: impl FnOnce() -> T) -> Result<T, IndexError> {
        catch_damage(self.dir(), read)
    }

    /// The damaged-index error for a Tantivy error met while reading this index.
    pub fn damaged(&self, error: &TantivyError) -> IndexError {
        damaged(self.dir(), error)
    }
}

/// As [`LeteIndex::guard`], for a read of the index in `index_dir` (opening it included).
pub(crate) fn catch_damage<T>(index_dir: &Path, read: impl FnOnce() -> T) -> Result<T, IndexError> {
    install_quiet_hook();
    GUARDED.with(|depth| depth.set(depth.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(read));
    GUARDED.with(|depth| depth.set(depth.get() - 1));
    result.map_err(|_| IndexError::Damaged {
        path: index_dir.display().to_string(),
        detail: "reading it failed".to_string(),
    })
}

thread_local! {
    /// How many guarded reads this thread is inside: their panics are not printed.
    static GUARDED: Cell<usize> = const { Cell::new(0) };
}

/// Installs, once per process, a panic hook that stays silent for a panic inside a guarded
/// read and hands every other panic to the hook that was there before. Swapping the hook per
/// read, as before, raced between threads (issue 20: `lete serve` reads from many at once): a
/// read could restore another's silent hook for good, or print a guarded panic.
fn install_quiet_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !is_guarded() {
                previous(info);
            }
        }));
    });
}

/// Whether this thread is inside a guarded read.
pub(crate) fn is_guarded() -> bool {
    GUARDED.with(|depth| depth.get() > 0)
}

/// Runs `work`, a part of a read that another thread started, as guarded as that read was
/// (`guarded`, that thread's [`is_guarded`]): a search collected in parts on several threads
/// (issue 16) printed a damaged index's panic from a worker thread before the clean message
/// (break trial of session 26). The panic itself is passed on, for the read to report.
pub(crate) fn carry_guard<T>(guarded: bool, work: impl FnOnce() -> T) -> T {
    if !guarded {
        return work();
    }
    GUARDED.with(|depth| depth.set(depth.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|depth| depth.set(depth.get() - 1));
    result.unwrap_or_else(|panic| panic::resume_unwind(panic))
}

/// The damaged-index error of `index_dir` for a Tantivy error met while reading it.
pub(crate) fn damaged(index_dir: &Path, error: &TantivyError) -> IndexError {
    IndexError::Damaged {
        path: index_dir.display().to_string(),
        detail: damage_detail(&error.to_string()),
    }
}

/// Longest Tantivy detail shown in a damaged-index message.
const DETAIL_MAX_CHARS: usize = 160;

/// What a Tantivy read error says about the index, on one short line. Tantivy's own message
/// for a cut-off file blames an old Tantivy version, which would mislead here; and some of
/// its messages embed the debug form of an io error (`IoError { io_error: Custom { kind: …,
/// error: "…" } }`), of which only the quoted reason is for a reader (issue 18).
pub(crate) fn damage_detail(message: &str) -> String {
    if message.contains("Footer magic byte mismatch") || message.contains("Footer seems invalid") {
        return "an index file is truncated or overwritten".to_string();
    }
    let unreadable;
    let message = match message.find(" { ") {
        Some(_) => match (debug_reason(message), debug_field(message, "filepath: \"")) {
            (Some(reason), _) if !reason.contains('(') => reason,
            (_, Some(file)) => {
                unreadable = format!("the index file {file} cannot be read");
                &unreadable
            }
            _ => "an index file cannot be read",
        },
        None => message,
    };
    let flat = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= DETAIL_MAX_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(DETAIL_MAX_CHARS - 1).collect();
    format!("{cut}…")
}

/// The innermost quoted `error: "…"` of a message holding an error's debug form.
fn debug_reason(message: &str) -> Option<&str> {
    debug_field(message, "error: \"")
}

/// The quoted value after the last `field` (`error: "`, `filepath: "`) of an error's debug
/// form.
fn debug_field<'a>(message: &'a str, field: &str) -> Option<&'a str> {
    let (_, rest) = message.rsplit_once(field)?;
    let (value, _) = rest.split_once('"')?;
    Some(value).filter(|value| !value.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r18_the_detail_never_shows_an_error_s_debug_form() {
        let footer = "Failed to open file for read: 'IoError { io_error: Custom { kind: \
                      InvalidData, error: \"Footer seems invalid as it suggests a footer len \
                      of 5898325. File is corrupted\" }, filepath: \"x.store\" }'";
        assert_eq!(
            damage_detail(footer),
            "an index file is truncated or overwritten"
        );
        let other = "Failed to open file for read: 'IoError { io_error: Custom { kind: \
                     InvalidData, error: \"bad block header\" }, filepath: \"x.idx\" }'";
        assert_eq!(damage_detail(other), "bad block header");
        let json = "Failed to open file for read: 'IoError { io_error: Custom { kind: \
                    InvalidData, error: Error(\"expected value\", line: 1, column: 1) }, \
                    filepath: \"bbc7.store\" }'";
        assert_eq!(
            damage_detail(json),
            "the index file bbc7.store cannot be read"
        );
        assert_eq!(
            damage_detail("Os { code: 5, kind: Uncategorized }"),
            "an index file cannot be read"
        );
        assert_eq!(damage_detail("a plain reason"), "a plain reason");
    }

    #[test]
    fn a_panic_while_reading_is_the_damaged_index_error() {
        let err = catch_damage(Path::new("index"), || -> u32 { panic!("bad block") })
            .expect_err("a panic");
        assert_eq!(
            err.to_string(),
            "the index at index is damaged (reading it failed); run `lete index --rebuild`"
        );
        assert_eq!(catch_damage(Path::new("index"), || 7).ok(), Some(7));
    }

    #[test]
    fn r20_a_guarded_read_silences_its_own_thread_only() {
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|scope| {
            let guarded = scope.spawn(|| {
                catch_damage(Path::new("index"), || {
                    barrier.wait();
                    // The other thread looks while this one is inside its read.
                    barrier.wait();
                    is_guarded()
                })
            });
            let other = scope.spawn(|| {
                barrier.wait();
                let seen = is_guarded();
                barrier.wait();
                seen
            });
            assert_eq!(guarded.join().unwrap().ok(), Some(true));
            assert!(
                !other.join().unwrap(),
                "another thread's panics still print"
            );
        });
        assert!(!is_guarded(), "the guard ends with its read");
        let nested = catch_damage(Path::new("index"), || {
            let _ = catch_damage(Path::new("index"), || -> u32 { panic!("inner") });
            is_guarded()
        });
        assert_eq!(
            nested.ok(),
            Some(true),
            "an inner guard leaves the outer one in force"
        );
    }

    #[test]
    fn a_cut_off_file_is_named_and_long_details_are_shortened() {
        assert_eq!(
            damage_detail("Footer magic byte mismatch. File corrupted or index was created using old an tantivy version"),
            "an index file is truncated or overwritten"
        );
        let long = "word ".repeat(100);
        let detail = damage_detail(&long);
        assert_eq!(detail.chars().count(), DETAIL_MAX_CHARS);
        assert!(detail.ends_with('…'));
    }
}
