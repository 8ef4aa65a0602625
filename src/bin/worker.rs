//! The Web Worker: plumbing only. Files arrive as `Blob`/`File` handles and are read here in
//! chunks with `FileReaderSync`; every other message is a JSON request for the core's
//! [`Engine`](alertweave::protocol::Engine), answered as JSON. No analysis logic lives here.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker is built for wasm32 by Trunk; see README.md");
}

#[cfg(target_arch = "wasm32")]
fn main() {
    web::start();
}

#[cfg(target_arch = "wasm32")]
mod web {
    use alertweave::protocol::{encode, Engine, Response, Source};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let engine = Rc::new(RefCell::new(Engine::new()));
        let reply_scope = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let reply = |response: &Response| {
                let _ = reply_scope.post_message(&JsValue::from_str(&encode(response)));
            };
            let data = event.data();
            let kind = js_sys::Reflect::get(&data, &"kind".into())
                .ok()
                .and_then(|k| k.as_string());
            match kind.as_deref() {
                Some("load") => {
                    let sources = match sources_of(&data) {
                        Ok(s) => s,
                        Err(message) => return reply(&Response::Failed { message }),
                    };
                    let summary = engine
                        .borrow_mut()
                        .load(sources, &mut |p| reply(&Response::Progress(p)));
                    reply(&Response::Loaded { summary });
                    // Linear memory never shrinks, so its size is the load's peak; the browser
                    // benchmark reads this line (scripts/bench-web.mjs).
                    let bytes = js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
                        .and_then(|buffer| js_sys::Reflect::get(&buffer, &"byteLength".into()))
                        .ok()
                        .and_then(|n| n.as_f64())
                        .unwrap_or(0.0);
                    web_sys::console::debug_1(&JsValue::from_str(&format!(
                        "alertweave worker: wasm memory {bytes} bytes after load"
                    )));
                }
                Some("request") => {
                    let body = js_sys::Reflect::get(&data, &"body".into())
                        .ok()
                        .and_then(|b| b.as_string())
                        .unwrap_or_default();
                    let started = js_sys::Date::now();
                    let answer = engine.borrow_mut().handle_json(&body);
                    // An incident's answer includes its graph layout; scripts/bench-graph.mjs
                    // reads this line.
                    if body.starts_with(r#"{"type":"incident""#) {
                        web_sys::console::debug_1(&JsValue::from_str(&format!(
                            "alertweave worker: incident answered in {} ms ({} bytes)",
                            js_sys::Date::now() - started,
                            answer.len()
                        )));
                    }
                    let _ = reply_scope.post_message(&JsValue::from_str(&answer));
                }
                _ => reply(&Response::Failed {
                    message: "unknown message kind".to_owned(),
                }),
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page: its handler must too.
        on_message.forget();
        let _ = scope.post_message(&JsValue::from_str(r#"{"type":"ready"}"#));
    }

    /// The blobs and names of a `load` message.
    fn sources_of(data: &JsValue) -> Result<Vec<Source<BlobReader>>, String> {
        let files: js_sys::Array = js_sys::Reflect::get(data, &"files".into())
            .map_err(|_| "load message without files".to_owned())?
            .dyn_into()
            .map_err(|_| "load message files is not an array".to_owned())?;
        let names: js_sys::Array = js_sys::Reflect::get(data, &"names".into())
            .ok()
            .and_then(|n| n.dyn_into().ok())
            .unwrap_or_default();
        let reader =
            FileReaderSync::new().map_err(|_| "FileReaderSync is not available".to_owned())?;
        let mut sources = Vec::new();
        for (index, item) in files.iter().enumerate() {
            let blob: Blob = item
                .dyn_into()
                .map_err(|_| format!("item {index} is not a file"))?;
            let name = names
                .get(index as u32)
                .as_string()
                .unwrap_or_else(|| format!("file {}", index + 1));
            sources.push(Source {
                name,
                size: blob.size() as u64,
                reader: BlobReader {
                    blob,
                    reader: reader.clone(),
                    position: 0.0,
                },
            });
        }
        Ok(sources)
    }

    /// `std::io::Read` over a `Blob`, one slice at a time: the file is never held whole.
    pub struct BlobReader {
        blob: Blob,
        reader: FileReaderSync,
        position: f64,
    }

    /// `Blob.slice` reads any range: a zip is opened through its central directory.
    impl std::io::Seek for BlobReader {
        fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
            let size = self.blob.size();
            let target = match to {
                std::io::SeekFrom::Start(n) => n as f64,
                std::io::SeekFrom::End(n) => size + n as f64,
                std::io::SeekFrom::Current(n) => self.position + n as f64,
            };
            if target < 0.0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "seek before the start of the file",
                ));
            }
            self.position = target;
            Ok(target as u64)
        }
    }

    impl std::io::Read for BlobReader {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let size = self.blob.size();
            if self.position >= size || buf.is_empty() {
                return Ok(0);
            }
            let end = (self.position + buf.len() as f64).min(size);
            let slice = self
                .blob
                .slice_with_f64_and_f64(self.position, end)
                .map_err(|_| std::io::Error::other("cannot slice the file"))?;
            let bytes = self.reader.read_as_array_buffer(&slice).map_err(|_| {
                std::io::Error::other("cannot read the file (was it moved or deleted?)")
            })?;
            let array = js_sys::Uint8Array::new(&bytes);
            let n = array.length() as usize;
            array.copy_to(&mut buf[..n]);
            self.position += n as f64;
            Ok(n)
        }
    }
}
