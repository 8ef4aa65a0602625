//! The interface. `route`, `state`, `i18n`, `prefs`, `format`, `graph::scene` and the form logic of `settings` are plain
//! Rust, tested natively; the Yew components (`app`, the views and the settings panel) exist on
//! wasm32 only, so the core never links a web crate.

pub mod graph;
pub mod prefs;
pub mod route;
pub mod settings;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
mod incident;
#[cfg(target_arch = "wasm32")]
mod landing;
#[cfg(target_arch = "wasm32")]
mod manage;
#[cfg(target_arch = "wasm32")]
mod persist;
#[cfg(target_arch = "wasm32")]
mod queue;
#[cfg(target_arch = "wasm32")]
mod store;
#[cfg(target_arch = "wasm32")]
mod tabs;

#[cfg(target_arch = "wasm32")]
pub use app::run;
