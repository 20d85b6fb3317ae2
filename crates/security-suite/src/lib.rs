//! Issue 13's security and reliability suite. The library holds what the tests share: the
//! real `passwordless-tenant` and `passwordless-relay serve` binaries started on loopback
//! ports ([`servers`]), one complete sign-in flow as a browser and a mail reader would do it
//! ([`flow`]), and order statistics for the figures the suite prints ([`figures`]).
//!
//! The tests are in `tests/`: `load.rs`, `faults.rs`, `bad_input.rs`, `attacks.rs`.
//! `npm run test:security` (scripts/test-security.sh) builds the binaries and runs them with
//! the other crates' cases that the suite reuses; SECURITY.md lists every case.

pub mod figures;
pub mod flow;
pub mod servers;
