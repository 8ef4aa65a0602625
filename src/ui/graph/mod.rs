//! The Graph tab: alerts and entities as nodes, evidence as edges, drawn on a Canvas 2D from the
//! layout the worker computed (`alertweave_core::layout`). `scene` is the plain-Rust model (which nodes
//! show after hiding, grouping and playback; neighbours; hit-testing; the pan/zoom transform),
//! tested natively; `view` (wasm32 only) is the Yew component and the canvas drawing.

pub mod scene;

#[cfg(target_arch = "wasm32")]
mod view;
#[cfg(target_arch = "wasm32")]
pub use view::GraphTab;
