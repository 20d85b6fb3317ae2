//! Order statistics of measured durations, for the figures the suite prints. No timing is
//! asserted, not even as a ratio of two samples (known against unknown addresses): the machine
//! is shared, so timings, like memory, are reported.

use std::time::Duration;

/// Sorted durations.
pub struct Sample(Vec<Duration>);

impl Sample {
    pub fn new(mut values: Vec<Duration>) -> Self {
        values.sort_unstable();
        Self(values)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `q` quantile (0.0..=1.0), nearest rank; zero for an empty sample.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = (q * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn median(&self) -> Duration {
        self.quantile(0.5)
    }

    /// "p50 X ms, p99 Y ms" for the reports.
    pub fn summary(&self) -> String {
        format!(
            "p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms (n = {})",
            ms(self.quantile(0.5)),
            ms(self.quantile(0.9)),
            ms(self.quantile(0.99)),
            self.len()
        )
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The larger of two durations over the smaller (1.0 when equal or both zero).
pub fn ratio(a: Duration, b: Duration) -> f64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if lo.is_zero() {
        return if hi.is_zero() { 1.0 } else { f64::INFINITY };
    }
    hi.as_secs_f64() / lo.as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let sample = Sample::new((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(sample.median(), Duration::from_millis(50));
        assert_eq!(sample.quantile(0.99), Duration::from_millis(99));
        assert_eq!(sample.quantile(1.0), Duration::from_millis(100));
        assert_eq!(sample.quantile(0.0), Duration::from_millis(1));
        assert_eq!(Sample::new(vec![]).median(), Duration::ZERO);
    }

    #[test]
    fn ratios_are_symmetric() {
        let (a, b) = (Duration::from_millis(10), Duration::from_millis(25));
        assert_eq!(ratio(a, b), ratio(b, a));
        assert!((ratio(a, b) - 2.5).abs() < 1e-9);
        assert!(ratio(Duration::ZERO, a).is_infinite());
    }
}
