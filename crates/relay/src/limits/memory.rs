//! Limits counted in this process: one governor keyed GCRA per bucket, its state in a
//! `DashMap` (sharded locks, so concurrent requests rarely wait on each other and a call's
//! cost does not grow with the number of subjects).
//!
//! Memory stays bounded: [`MemoryLimits::sweep`] forgets every subject whose bucket has
//! refilled (governor's `retain_recent`, then `shrink_to_fit`), so a subject is held at most
//! one period (plus one cell) after its last request. A background task sweeps every
//! [`SWEEP_EVERY`], off the request path; that is O(subjects) per minute, each subject visited
//! at most `period / SWEEP_EVERY` (60) times in its life: O(1) amortised per request.

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use governor::clock::{Clock, DefaultClock, Reference};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

use super::{Bucket, Rate, Rates, Subject, Verdict};

/// How often idle subjects are forgotten.
pub(super) const SWEEP_EVERY: Duration = Duration::from_secs(60);

type Gcra<C> = RateLimiter<Subject, DashMapStateStore<Subject>, C, StateInformationMiddleware>;

/// The in-memory limits, with an injectable clock (governor's `FakeRelativeClock` in tests).
pub struct MemoryLimits<C: Clock = DefaultClock> {
    buckets: [Counted<C>; 3],
}

/// One bucket's limiter.
struct Counted<C: Clock> {
    rate: Rate,
    /// `None` for a limit of 0, which refuses everything.
    gcra: Option<Gcra<C>>,
    /// Subjects whose bucket is empty, and when its next cell comes: what [`MemoryLimits::peek`]
    /// reads, because governor cannot look at a bucket without taking a cell from it.
    empty_until: DashMap<Subject, C::Instant>,
}

impl MemoryLimits {
    pub fn new(rates: Rates) -> Self {
        Self::with_clock(rates, DefaultClock::default())
    }
}

impl<C: Clock + Clone> MemoryLimits<C> {
    pub fn with_clock(rates: Rates, clock: C) -> Self {
        Self {
            buckets: Bucket::ALL.map(|bucket| Counted::new(rates.of(bucket), clock.clone())),
        }
    }

    /// Takes one cell of `subject`'s `bucket`, when it has one.
    pub fn hit(&self, bucket: Bucket, subject: &Subject) -> Verdict {
        let counted = &self.buckets[bucket.index()];
        let Some(gcra) = &counted.gcra else {
            return Verdict::refused(counted.rate.period);
        };
        match gcra.check_key(subject) {
            Ok(state) => {
                if state.remaining_burst_capacity() == 0 {
                    counted.note_empty(gcra, subject);
                }
                Verdict::ALLOWED
            }
            Err(not_until) => {
                let until = not_until.earliest_possible();
                counted.empty_until.insert(subject.clone(), until);
                Verdict::refused(not_until.wait_time_from(gcra.clock().now()))
            }
        }
    }

    /// Whether `subject`'s `bucket` has a cell now, taking nothing.
    pub fn peek(&self, bucket: Bucket, subject: &Subject) -> Verdict {
        let counted = &self.buckets[bucket.index()];
        let Some(gcra) = &counted.gcra else {
            return Verdict::refused(counted.rate.period);
        };
        let now = gcra.clock().now();
        // Copied out, so that no shard lock is held while removing.
        let until = counted.empty_until.get(subject).map(|until| *until);
        match until {
            Some(until) if until > now => Verdict::refused(until.duration_since(now).into()),
            Some(_) => {
                counted
                    .empty_until
                    .remove_if(subject, |_, until| *until <= now);
                Verdict::ALLOWED
            }
            None => Verdict::ALLOWED,
        }
    }

    /// Forgets the subjects whose buckets are full again (indistinguishable from new ones).
    pub fn sweep(&self) {
        for counted in &self.buckets {
            let Some(gcra) = &counted.gcra else { continue };
            gcra.retain_recent();
            gcra.shrink_to_fit();
            let now = gcra.clock().now();
            counted.empty_until.retain(|_, until| *until > now);
            counted.empty_until.shrink_to_fit();
        }
    }

    /// How many subjects `bucket` remembers.
    pub fn subjects(&self, bucket: Bucket) -> usize {
        self.buckets[bucket.index()]
            .gcra
            .as_ref()
            .map_or(0, Gcra::len)
    }
}

impl<C: Clock> Counted<C> {
    fn new(rate: Rate, clock: C) -> Self {
        let quota = rate.emission_interval().and_then(|t| {
            let burst = std::num::NonZeroU32::new(rate.limit)?;
            Some(Quota::with_period(t)?.allow_burst(burst))
        });
        Self {
            rate,
            gcra: quota.map(|quota| {
                RateLimiter::dashmap_with_clock(quota, clock)
                    .with_middleware::<StateInformationMiddleware>()
            }),
            empty_until: DashMap::new(),
        }
    }

    /// Records when an emptied bucket refills. A check right after the one that emptied it is
    /// refused, which takes nothing and says exactly when the next cell comes. Should the
    /// clock pass that moment in the nanoseconds between the two checks, the second one takes
    /// the new cell: the subject is then charged one request more, never one less.
    fn note_empty(&self, gcra: &Gcra<C>, subject: &Subject) {
        for _ in 0..3 {
            match gcra.check_key(subject) {
                Err(not_until) => {
                    self.empty_until
                        .insert(subject.clone(), not_until.earliest_possible());
                    return;
                }
                Ok(state) if state.remaining_burst_capacity() > 0 => return,
                Ok(_) => {}
            }
        }
    }
}

/// Sweeps `limits` every `every` on Tokio's blocking threads, until the limits are dropped.
pub(super) fn spawn_sweeper(limits: &Arc<MemoryLimits>, every: Duration) {
    let limits = Arc::downgrade(limits);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let Some(limits) = limits.upgrade() else {
                return;
            };
            if tokio::task::spawn_blocking(move || limits.sweep())
                .await
                .is_err()
            {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn limits(limit: u32) -> (MemoryLimits<FakeRelativeClock>, FakeRelativeClock) {
        let rate = Rate::per_hour(limit);
        let rates = Rates {
            start_per_ip: rate,
            start_per_identifier: rate,
            failed_token_per_ip: rate,
        };
        let clock = FakeRelativeClock::default();
        (MemoryLimits::with_clock(rates, clock.clone()), clock)
    }

    fn ada() -> Subject {
        Subject::identifier("ada@example.com")
    }

    #[test]
    fn a_burst_of_the_limit_passes_then_one_cell_per_period_over_limit() {
        let (limits, clock) = limits(3);
        for _ in 0..3 {
            assert!(limits.hit(Bucket::StartIp, &ada()).allowed);
        }
        assert_eq!(
            limits.hit(Bucket::StartIp, &ada()),
            Verdict::refused(Duration::from_secs(1200)),
            "one cell comes back every 3600 / 3 seconds"
        );
        assert!(
            limits
                .hit(Bucket::StartIp, &Subject::identifier("bob@example.com"))
                .allowed,
            "another subject"
        );
        assert!(
            limits.hit(Bucket::StartIdentifier, &ada()).allowed,
            "another bucket"
        );
        clock.advance(Duration::from_secs(1199));
        assert_eq!(limits.hit(Bucket::StartIp, &ada()).retry_after, 1);
        clock.advance(Duration::from_secs(1));
        assert!(limits.hit(Bucket::StartIp, &ada()).allowed);
        assert!(!limits.hit(Bucket::StartIp, &ada()).allowed);
    }

    #[test]
    fn no_double_burst_at_a_window_edge() {
        // A fixed hourly window let 3 through at 59:59 and 3 more at 60:00.
        let (limits, clock) = limits(3);
        clock.advance(HOUR - Duration::from_secs(1));
        for _ in 0..3 {
            assert!(limits.hit(Bucket::StartIp, &ada()).allowed);
        }
        clock.advance(Duration::from_secs(2));
        let passed = (0..3)
            .filter(|_| limits.hit(Bucket::StartIp, &ada()).allowed)
            .count();
        assert_eq!(passed, 0);
        clock.advance(HOUR);
        let passed = (0..6)
            .filter(|_| limits.hit(Bucket::StartIp, &ada()).allowed)
            .count();
        assert_eq!(passed, 3, "a full bucket again after an idle hour, no more");
    }

    #[test]
    fn peeking_takes_nothing_and_sees_exactly_when_a_cell_comes_back() {
        let (limits, clock) = limits(2);
        let failed = Bucket::FailedToken;
        for _ in 0..10 {
            assert!(limits.peek(failed, &ada()).allowed, "peeks count nothing");
        }
        assert!(limits.hit(failed, &ada()).allowed);
        assert!(limits.peek(failed, &ada()).allowed);
        assert!(limits.hit(failed, &ada()).allowed);
        assert_eq!(
            limits.peek(failed, &ada()),
            Verdict::refused(Duration::from_secs(1800))
        );
        assert_eq!(limits.subjects(failed), 1);
        clock.advance(Duration::from_secs(1799));
        assert!(!limits.peek(failed, &ada()).allowed);
        clock.advance(Duration::from_secs(1));
        assert!(limits.peek(failed, &ada()).allowed);
        assert!(limits.peek(failed, &ada()).allowed, "still, nothing taken");
        assert!(limits.hit(failed, &ada()).allowed);
        assert_eq!(limits.peek(failed, &ada()).retry_after, 1800);
    }

    #[test]
    fn a_limit_of_zero_refuses_everything() {
        let (limits, _) = limits(0);
        assert_eq!(limits.hit(Bucket::StartIp, &ada()).retry_after, 3600);
        assert!(!limits.peek(Bucket::FailedToken, &ada()).allowed);
    }

    #[test]
    fn sweeping_forgets_only_subjects_whose_bucket_has_refilled() {
        let (limits, clock) = limits(2);
        for n in 0..1000 {
            limits.hit(
                Bucket::StartIp,
                &Subject::identifier(&format!("{n}@example.com")),
            );
        }
        limits.hit(Bucket::FailedToken, &ada());
        limits.hit(Bucket::FailedToken, &ada());
        assert_eq!(limits.subjects(Bucket::StartIp), 1000);
        limits.sweep();
        assert_eq!(limits.subjects(Bucket::StartIp), 1000, "all still counting");

        // governor keeps a subject one cell (here 30 minutes) past the moment its bucket is full.
        clock.advance(HOUR + Duration::from_secs(1800));
        limits.hit(Bucket::StartIp, &ada());
        limits.sweep();
        assert_eq!(limits.subjects(Bucket::StartIp), 1, "only the recent one");
        assert_eq!(limits.subjects(Bucket::FailedToken), 0);
        assert!(limits.buckets[Bucket::FailedToken.index()]
            .empty_until
            .is_empty());
        assert!(limits.peek(Bucket::FailedToken, &ada()).allowed);
    }
}
