//! Work split into runs, one scoped thread per run: the corpus walk's `stat`s and the
//! loader's reads share it.

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
