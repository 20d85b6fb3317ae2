//! Benchmark (not a test) of the relay's in-memory rate limiter: checks per second with 1 k
//! distinct client keys and with 1 M, and their ratio (the goal: 1 M within 10% of 1 k).
//!
//! ```sh
//! cargo run --release -p passwordless-relay --example limiter_bench [CHECKS] [THREADS]
//! ```
//!
//! Each case starts from a fresh limiter that already holds its keys (one hit each), then
//! times `CHECKS` hits spread over `THREADS` threads (default 2), three times, and reports
//! the best. The cases:
//! - `1k keys`: the calls cycle through 1 000 clients;
//! - `1M keys, hot 1k`: 1 000 000 clients are held, the calls go to 1 000 of them — whether
//!   the number of keys held slows a call (the fixed-window map rescanned them all);
//! - `1M keys, all`: every call is another of the 1 000 000 clients, in scrambled order —
//!   what a flood of new addresses costs, CPU cache misses included.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use passwordless_relay::limits::{Bucket, MemoryLimits, Rate, Rates, Subject};

const SMALL: u32 = 1_000;
const LARGE: u32 = 1_000_000;

/// The `n`th client: distinct IPv4 addresses in 10.0.0.0/8.
fn client(n: u32) -> Subject {
    Subject::client(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (n & 0x00ff_ffff))))
}

/// A limiter that never refuses, so that every call takes the same path.
fn limiter(keys: u32) -> MemoryLimits {
    let rate = Rate::per_hour(u32::MAX);
    let limits = MemoryLimits::new(Rates {
        start_per_ip: rate,
        start_per_identifier: rate,
        failed_token_per_ip: rate,
    });
    for n in 0..keys {
        limits.hit(Bucket::StartIp, &client(n));
    }
    limits
}

/// Checks per second: `checks` hits over `threads`, the `i`th hit on `key_of(i)`.
fn measure(limits: &MemoryLimits, checks: u32, threads: u32, key_of: fn(u32) -> u32) -> f64 {
    // Subjects are made before the clock starts: the limiter is measured, not the allocator.
    let per_thread: Vec<Vec<Subject>> = (0..threads)
        .map(|t| {
            (0..checks / threads)
                .map(|i| client(key_of(t * (checks / threads) + i)))
                .collect()
        })
        .collect();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for subjects in &per_thread {
            scope.spawn(move || {
                for subject in subjects {
                    assert!(limits.hit(Bucket::StartIp, subject).allowed);
                }
            });
        }
    });
    f64::from(checks / threads * threads) / started.elapsed().as_secs_f64()
}

fn best_of_three(keys: u32, checks: u32, threads: u32, key_of: fn(u32) -> u32) -> f64 {
    let limits = limiter(keys);
    (0..3)
        .map(|_| measure(&limits, checks, threads, key_of))
        .fold(0.0, f64::max)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let checks: u32 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let threads: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2).max(1);
    println!("limiter checks/s, {checks} checks on {threads} thread(s), best of 3");

    let small = best_of_three(SMALL, checks, threads, |i| i % SMALL);
    println!("1k keys:          {small:>12.0} checks/s");
    let hot = best_of_three(LARGE, checks, threads, |i| (i % SMALL) * (LARGE / SMALL));
    println!("1M keys, hot 1k:  {hot:>12.0} checks/s");
    // An odd multiplier permutes 0..2^20; indices past 1 M wrap onto held keys.
    let all = best_of_three(LARGE, checks, threads, |i| {
        (i.wrapping_mul(2_654_435_761) & 0x000f_ffff) % LARGE
    });
    println!("1M keys, all:     {all:>12.0} checks/s");

    let limits = limiter(LARGE);
    let started = Instant::now();
    limits.sweep();
    let sweep = started.elapsed();
    println!(
        "sweep of 1M held keys: {:.1} ms (every {:?}, off the request path)",
        sweep.as_secs_f64() * 1e3,
        Duration::from_secs(60)
    );
    println!();
    println!("ratio 1M (hot 1k) / 1k: {:.2}", hot / small);
    println!("ratio 1M (all) / 1k:    {:.2}", all / small);
}
