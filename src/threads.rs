//! Work split into runs, one scoped thread per run: the corpus walk's `stat`s and the
//! loader's reads share it. And the bound on malloc's arenas that every threaded command
//! runs under.

/// Runs `work` on every run at once, one scoped thread each, and returns the results in the
/// order of `runs`. A run whose thread panicked passes the panic on: its part of the answer
/// must not be dropped silently (a file missing from a listing is taken for removed).
pub(crate) fn each_run_on_its_thread<T: Send, R: Send>(
    runs: Vec<T>,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || work(run)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Bounds glibc's malloc arenas to one per core (two at least); the binary calls it first
/// thing, before any thread starts. By default each thread that allocates may get an arena of
/// its own (up to eight per core), and memory freed by one thread stays in its arena:
/// - `lete serve`'s many short-lived threads (the blocking searches, each update's loaders
///   and writer) left freed memory spread over them: on the 100 MB bench corpus with a file
///   changing every second, the anonymous memory swung between 100 and 160 MB over 64
///   updates, against 42 to 81 MB with two arenas (issue 20);
/// - an index build's loader, analysis and writer threads hand passages to one another, and
///   the peak RSS of the 100 MB bench build was 10% above what the live heap explains
///   (issue 14; the figures are in the commit that moved this here).
pub fn bound_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt takes no pointers; it is called before any thread starts. A refusal
        // leaves glibc's default.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// Gives the memory freed so far back to the system (glibc's `malloc_trim`). Memory one
/// thread freed stays in its malloc arena, counted in the process's memory, until a thread
/// of the same arena allocates again: the lexicon's sample threads load a huge file (a 100 MB
/// HTML page: 280 MB) and free it, then a loader thread on another arena loads it again for
/// the writer (issue 15: the build peaked 50 MB higher or not, by which arena each thread got).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_runs() {
        let runs = vec![vec![1, 2], vec![3], vec![], vec![4, 5, 6]];
        let sums = each_run_on_its_thread(runs, |run: Vec<i32>| run.iter().sum::<i32>());
        assert_eq!(sums, [3, 3, 0, 15]);
    }

    #[test]
    fn a_panic_in_a_run_is_passed_on() {
        let result = std::panic::catch_unwind(|| {
            each_run_on_its_thread(vec![1, 2], |run: i32| {
                assert_ne!(run, 2, "run 2 fails");
                run
            })
        });
        assert!(result.is_err());
    }
}
