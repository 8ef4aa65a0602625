//! The page's side of the worker: posts files and JSON requests, turns answers into actions.

use super::state::Action;
use alertweave_engine::protocol::{Request, Response};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};
use yew::Callback;

/// Messages wait here until the worker's WebAssembly runs: a message that reached the worker
/// before its handler was installed would be dropped. `None` once the worker said it is ready.
type Outbox = Rc<RefCell<Option<Vec<JsValue>>>>;

pub struct Bridge {
    worker: Worker,
    outbox: Outbox,
    _hasher: Option<Hasher>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// What the worker says once it can take messages (see `src/bin/worker.rs`).
const READY: &str = r#"{"type":"ready"}"#;

/// Sees every answer before the page's state does, with the files that came with it (a written
/// workspace file; an opened workspace's inputs, named): the autosave and the download.
pub type Observer = Rc<dyn Fn(&Response, Vec<(String, Blob)>)>;

/// The worker's hasher: a second worker (the same script) that hashes the files of a load while
/// the worker parses them, the two joined by a channel. The page starts it, not the worker: a
/// worker started by a worker loads its script through that worker, which takes nothing while
/// it reads files. `None` where the browser cannot; the worker then hashes as it reads.
struct Hasher {
    _worker: Worker,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Hasher {
    fn start(worker: &Worker) -> Option<Hasher> {
        let options = web_sys::WorkerOptions::new();
        options.set_name("alertweave-hasher");
        let hasher = Worker::new_with_options("./worker-boot.js", &options).ok()?;
        let channel = web_sys::MessageChannel::new().ok()?;
        // Each end goes to its worker at once: the workers' boot script keeps what comes
        // before their WebAssembly runs.
        let hand = |to: &Worker, kind: &str, port: &web_sys::MessagePort| -> Option<()> {
            let message = js_sys::Object::new();
            js_sys::Reflect::set(&message, &"kind".into(), &kind.into()).ok()?;
            js_sys::Reflect::set(&message, &"port".into(), port).ok()?;
            to.post_message_with_transfer(&message, &js_sys::Array::of1(port))
                .ok()
        };
        hand(&hasher, "serve", &channel.port2())?;
        hand(worker, "hasher", &channel.port1())?;
        let told = worker.clone();
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"kind".into(), &"hasher-failed".into());
                let _ = js_sys::Reflect::set(&message, &"message".into(), &event.message().into());
                let _ = told.post_message(&message);
            });
        hasher.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Hasher {
            _worker: hasher,
            _on_error: on_error,
        })
    }
}

impl Bridge {
    /// Starts the worker next to the page (a relative URL: works from a sub-path).
    pub fn start(dispatch: Callback<Action>, observer: Observer) -> Result<Bridge, String> {
        let worker = Worker::new("./worker-boot.js")
            .map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let outbox: Outbox = Rc::new(RefCell::new(Some(Vec::new())));
        let (flush_outbox, flush_worker) = (outbox.clone(), worker.clone());
        let on_answer = dispatch.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let get = |key: &str| js_sys::Reflect::get(&data, &key.into()).ok();
            let (text, files) = match data.as_string() {
                Some(text) => (text, Vec::new()),
                // An answer with files: `{body, file}` or `{body, names, files}`.
                None => {
                    let Some(text) = get("body").and_then(|b| b.as_string()) else {
                        return;
                    };
                    let mut files: Vec<(String, Blob)> = Vec::new();
                    if let Some(file) = get("file").and_then(|f| f.dyn_into::<Blob>().ok()) {
                        files.push((String::new(), file));
                    }
                    if let (Some(names), Some(blobs)) = (
                        get("names").and_then(|n| n.dyn_into::<js_sys::Array>().ok()),
                        get("files").and_then(|f| f.dyn_into::<js_sys::Array>().ok()),
                    ) {
                        for (name, blob) in names.iter().zip(blobs.iter()) {
                            if let (Some(name), Ok(blob)) = (name.as_string(), blob.dyn_into()) {
                                files.push((name, blob));
                            }
                        }
                    }
                    (text, files)
                }
            };
            if text == READY {
                let waiting = flush_outbox.borrow_mut().take().unwrap_or_default();
                for message in waiting {
                    let _ = flush_worker.post_message(&message);
                }
                return;
            }
            match serde_json::from_str::<Response>(&text) {
                Ok(response) => {
                    observer(&response, files);
                    on_answer.emit(Action::Worker(response));
                }
                Err(e) => on_answer.emit(Action::WorkerFailed(format!(
                    "unreadable answer from the worker: {e}"
                ))),
            }
        });
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                dispatch.emit(Action::WorkerFailed(format!(
                    "the worker failed: {}",
                    event.message()
                )));
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let hasher = Hasher::start(&worker);
        Ok(Bridge {
            worker,
            outbox,
            _hasher: hasher,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Hands files to the worker as handles: their bytes are not copied here. `edits`, a saved
    /// change log as JSON, is applied once they are loaded (the autosave's restore).
    /// Hands files to the worker as handles: their bytes are not copied here. With `add`, they
    /// join the files already loaded, and the changes made so far stay in force.
    pub fn load(
        &self,
        files: Vec<(String, Blob)>,
        edits: Option<String>,
        add: bool,
    ) -> Result<(), String> {
        let message = js_sys::Object::new();
        let blobs = js_sys::Array::new();
        let names = js_sys::Array::new();
        for (name, blob) in files {
            names.push(&JsValue::from_str(&name));
            blobs.push(&blob);
        }
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &k.into(), v).map(|_| ());
        set("kind", &"load".into())
            .and_then(|()| set("add", &JsValue::from_bool(add)))
            .and_then(|()| set("files", &blobs))
            .and_then(|()| set("names", &names))
            .and_then(|()| match edits {
                Some(edits) => set("edits", &JsValue::from_str(&edits)),
                None => Ok(()),
            })
            .and_then(|()| self.post(message.into()))
            .map_err(|e| format!("cannot send the files to the worker: {e:?}"))
    }

    /// Asks for the workspace file of what is loaded (`passphrase` empty: not encrypted).
    pub fn export_workspace(&self, passphrase: &str, at_ms: f64) -> Result<(), String> {
        self.send(&[
            ("kind", "export".into()),
            ("passphrase", passphrase.into()),
            ("at_ms", at_ms.into()),
        ])
    }

    /// Hands the worker a workspace file to open in place of what is loaded.
    pub fn import_workspace(&self, file: &Blob, passphrase: &str) -> Result<(), String> {
        self.send(&[
            ("kind", "import".into()),
            ("file", file.into()),
            ("passphrase", passphrase.into()),
        ])
    }

    fn send(&self, fields: &[(&str, JsValue)]) -> Result<(), String> {
        let message = js_sys::Object::new();
        for (key, value) in fields {
            js_sys::Reflect::set(&message, &(*key).into(), value)
                .map_err(|e| format!("cannot write a message to the worker: {e:?}"))?;
        }
        self.post(message.into())
            .map_err(|e| format!("cannot send a message to the worker: {e:?}"))
    }

    pub fn request(&self, request: &Request) {
        let Ok(body) = serde_json::to_string(request) else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"kind".into(), &"request".into());
        let _ = js_sys::Reflect::set(&message, &"body".into(), &JsValue::from_str(&body));
        let _ = self.post(message.into());
    }

    fn post(&self, message: JsValue) -> Result<(), JsValue> {
        match self.outbox.borrow_mut().as_mut() {
            Some(waiting) => {
                waiting.push(message);
                Ok(())
            }
            None => self.worker.post_message(&message),
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
