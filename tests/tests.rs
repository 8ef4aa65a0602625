//! Alertweave's integration tests: one binary, one module per area.
//!
//! - `samples`: the real public Graph exports in `../shared/samples` (read there, never copied).
//! - `correlation`: properties of the grouping (partition, order independence, receipts, noise).
//! - `cross_format`: the demo alerts in formats 1, 3, 4, 5 and 6 read back as the same alerts.
//! - `edits`: the analyst's changes applied over correlation (merge, move, split, undo, annotations).
//! - `workspace`: the hand-over file (round trip, encryption, tampering, older formats).
//! - `query`: the queue's filters, counts, sorts and windows over the demo tenant.
//! - `iocs`: indicators as CSV and STIX 2.1; spreadsheet-safe CSV cells.
//! - `report`: the incident report (Markdown and self-contained HTML), escaping, pseudonymization.
//! - `cli`: `alertweave analyze` as CONTRACT.md specifies it (JSON shape, exit codes, config).
//! - `golden`: the CLI's JSON for the samples, compared to `tests/golden/` (refresh with
//!   `UPDATE_GOLDEN=1 cargo test --test tests golden`).

mod support;

mod cli;
mod correlation;
mod cross_format;
mod edits;
mod golden;
mod iocs;
mod query;
mod report;
mod samples;
mod workspace;
