// Starts the worker's WebAssembly (a classic worker script: wasm-bindgen's "no-modules" output
// defines `wasm_bindgen`). Paths are relative to this script, so sub-path hosting works.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' });
