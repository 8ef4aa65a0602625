//! The page: renders the Yew app (`alertweave::ui`). Built for wasm32 by Trunk.

#[cfg(target_arch = "wasm32")]
fn main() {
    alertweave::ui::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app is built for wasm32 by Trunk: run scripts/run.sh");
}
