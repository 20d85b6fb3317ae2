//! JSON in and out of the wasm: a reader for what the page and the server send, a writer for
//! what goes back, and the request bodies the flows build.

pub mod read;
pub mod write;

pub use read::{parse, Value};
