//! When a search must stop: `lete serve` answers a request that takes too long with an error,
//! and the search behind it stops at the same time rather than run on holding a work slot
//! (break trial of session 26: 20 searches answered 503 at 10 s ran on for 20 s more).

use super::SearchError;
use std::time::Instant;

/// The time a search must be done by, if any (the CLI sets none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline: the search runs to its end.
    pub(crate) const NONE: Deadline = Deadline(None);

    pub(crate) fn at(instant: Instant) -> Deadline {
        Deadline(Some(instant))
    }

    pub(crate) fn is_set(self) -> bool {
        self.0.is_some()
    }

    /// An error once the deadline has passed. Cheap (a clock read, in the vDSO): the ranking
    /// checks it once per candidate read, each far dearer.
    pub(crate) fn check(self) -> Result<(), SearchError> {
        match self.0 {
            Some(deadline) if Instant::now() >= deadline => Err(SearchError::TimedOut),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn only_a_passed_deadline_stops() {
        assert!(Deadline::NONE.check().is_ok());
        let later = Instant::now() + Duration::from_secs(3600);
        assert!(Deadline::at(later).check().is_ok());
        let passed = Deadline::at(Instant::now());
        assert!(matches!(passed.check(), Err(SearchError::TimedOut)));
    }
}
