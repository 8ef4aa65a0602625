//! Alertweave's core: export files in, incidents out, with no I/O of its own and no web code.
//!
//! Data flow: bytes → [`ingest`] (format detection, wire structs → raw alerts + problems) →
//! [`analysis::Dataset::build`] (duplicates merged, [`entities`] resolved, [`correlate`]d) →
//! [`query`] answers (a page of the queue, one incident's view) and [`export`] (CLI JSON).
//! Invariants, kept by this crate's manifest and `clippy.toml`: no web crate (yew, web-sys,
//! gloo, wasm-bindgen) and no other workspace crate is a dependency; nothing here reads a clock,
//! randomness or spawns a thread; nothing here writes a sentence for a person (reasons and
//! problems are data that `alertweave-text` puts in words); the same input in any order gives
//! the same output; user data never reaches a panic.

pub mod analysis;
pub mod correlate;
pub mod edits;
pub mod entities;
pub mod export;
pub mod ingest;
pub mod iocs;
pub mod layout;
pub mod model;
pub mod pseudonym;
pub mod quality;
pub mod query;
pub mod spread;
pub mod workspace;
