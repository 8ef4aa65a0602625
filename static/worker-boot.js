// Starts the worker's WebAssembly (a classic worker script: wasm-bindgen's "no-modules" output
// defines `wasm_bindgen`). Paths are relative to this script, so sub-path hosting works.
// Messages that arrive before the WebAssembly runs wait here and then go to its handler (the
// worker's own hasher is sent its files at once, while the worker itself is busy loading them).
importScripts('./worker.js');
const early = [];
self.onmessage = (event) => early.push(event);
wasm_bindgen({ module_or_path: './worker_bg.wasm' }).then(() => {
  for (const event of early.splice(0)) self.onmessage(event);
});
