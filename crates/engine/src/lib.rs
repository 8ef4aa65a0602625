//! The engine that lives in the Web Worker (and in native tests): it holds the dataset, answers
//! [`protocol::Request`]s with [`protocol::Response`]s, and knows nothing of the browser. The
//! worker bin and the page's bridge are plumbing over these types.

pub mod protocol;
