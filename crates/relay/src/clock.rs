//! Wall-clock time is a parameter of the relay, so tests can fix the moment an upstream's
//! `Retry-After` date is counted from. (The in-memory limits keep governor's own monotonic
//! clock, which their tests replace with governor's fake one.)

use std::time::SystemTime;

/// What time it is, as the relay sees it.
pub trait WallClock: Send + Sync {
    fn now(&self) -> SystemTime;
}

/// The system's wall clock.
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one moment (tests).
pub struct FixedClock(pub SystemTime);

impl WallClock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}
