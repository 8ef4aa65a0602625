//! Every sentence of Alertweave that a person reads, per language, and the documents made of
//! them: [`i18n`] (the catalogue, English and Dutch), [`format`] (the one date and number
//! formatter, shared by the page and the reports) and [`report`] (an incident as Markdown or
//! self-contained HTML), [`summary`] (the CLI's summary). Depends on the core only; knows nothing of the browser.

pub mod format;
pub mod i18n;
pub mod report;
pub mod summary;
