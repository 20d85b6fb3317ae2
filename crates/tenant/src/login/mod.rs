//! The first factor, without HTTP: start a login (a code or a magic link in the dev inbox),
//! check a one-time code, complete a magic link, and exchange the link's authorization code.
//! Each answers an outcome enum that the routes turn into wire answers.

pub mod authorization_code;
pub mod code;
pub mod link;
pub mod message;
pub mod request;
pub mod start;
