//! Alertweave's core: export files in, incidents out, with no I/O of its own and no web code.
//!
//! Data flow: bytes → [`ingest`] (format detection, wire structs → raw alerts + problems) →
//! [`analysis::Dataset::build`] (duplicates merged, [`entities`] resolved, [`correlate`]d) →
//! [`query`] answers (a page of the queue, one incident's view) and [`export`] (CLI JSON).
//! Invariants: nothing here imports yew, web-sys or gloo (the `ui` module and the `app`/`worker`
//! bins do, on wasm32 only); nothing here reads a clock or randomness; the same input in any
//! order gives the same output; user data never reaches a panic.

pub mod analysis;
pub mod correlate;
pub mod demo;
pub mod demo_formats;
pub mod edits;
pub mod entities;
pub mod export;
pub mod ingest;
pub mod iocs;
pub mod layout;
pub mod model;
pub mod protocol;
pub mod pseudonym;
pub mod quality;
pub mod query;
pub mod report;
pub mod ui;
pub mod workspace;
