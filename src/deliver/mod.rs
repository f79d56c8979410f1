//! Delivery of alerts to subscribers; for now the rendering of incidents as text.

pub mod format;
