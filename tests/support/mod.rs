//! Helpers shared by the black-box tests.
pub mod server;
pub mod telegram;
