//! Matching and merging tests.
