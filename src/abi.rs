//! The wasm's exports, for `src/js/passwordless.js`: `input(length)` resets the arena and
//! answers where to write the next operation's JSON argument; each operation then takes that
//! length and answers the length of its JSON answer, which `output()` locates.

use core::cell::Cell;

use crate::arena::Arena;
use crate::ops;

#[global_allocator]
static ARENA: Arena = Arena::new();

/// Where the current argument and answer are.
struct Exchange {
    input: Cell<*const u8>,
    output: Cell<*const u8>,
}

// SAFETY: wasm32-unknown-unknown without threads runs on one thread only.
unsafe impl Sync for Exchange {}

static EXCHANGE: Exchange = Exchange {
    input: Cell::new(core::ptr::null()),
    output: Cell::new(core::ptr::null()),
};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Starts an operation: room for its `length`-byte argument, which the shell writes there.
#[no_mangle]
pub extern "C" fn input(length: usize) -> *mut u8 {
    // SAFETY: the previous operation's answer has been read: the shell calls `input` only
    // to start the next one, and nothing outlives an operation.
    unsafe { ARENA.reset() };
    let buffer = alloc::vec![0u8; length].leak();
    EXCHANGE.input.set(buffer.as_ptr());
    buffer.as_mut_ptr()
}

/// Where the last answer is.
#[no_mangle]
pub extern "C" fn output() -> *const u8 {
    EXCHANGE.output.get()
}

fn run(length: usize, op: fn(&crate::json::Value<'_>) -> ops::Outcome) -> usize {
    // SAFETY: `input` allocated `length` bytes there, and the shell wrote its argument.
    let bytes = unsafe { core::slice::from_raw_parts(EXCHANGE.input.get(), length) };
    let answer = match core::str::from_utf8(bytes) {
        Ok(text) => ops::run(text, op),
        Err(_) => ops::run("", op),
    };
    let answer = answer.leak();
    EXCHANGE.output.set(answer.as_ptr());
    answer.len()
}

macro_rules! export {
    ($($name:ident),* $(,)?) => {$(
        #[no_mangle]
        pub extern "C" fn $name(length: usize) -> usize {
            run(length, ops::$name)
        }
    )*};
}

export!(
    options,
    start,
    verify,
    callback,
    exchange,
    reply,
    header,
    failure,
    session,
    mfa_authenticators,
    mfa_challenge,
    mfa_enroll,
    mfa_remove,
    mfa_verify,
    poll,
);
