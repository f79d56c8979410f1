//! Helpers shared by the black-box tests.
pub mod daemon;
pub mod discord;
pub mod multipart;
pub mod preview;
pub mod reports;
pub mod server;
pub mod telegram;
