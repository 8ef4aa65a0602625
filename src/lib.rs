//! Alertweave's edges: the interface ([`ui`]) for the page, beside the CLI and worker bins in
//! `src/bin/`. The plain-Rust parts of the interface (route, state, prefs, the settings form,
//! the graph scene) are tested natively; the Yew components exist on wasm32 only.

pub mod ui;
