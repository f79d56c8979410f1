//! Helpers shared by the black-box tests.
pub mod daemon;
pub mod multipart;
pub mod server;
pub mod telegram;
