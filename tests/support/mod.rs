//! Helpers shared by the black-box tests.
pub mod daemon;
pub mod server;
pub mod telegram;
