//! The page's side of the worker: posts files and JSON requests, turns answers into actions.

use super::state::Action;
use crate::protocol::{Request, Response};
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
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// What the worker says once it can take messages (see `src/bin/worker.rs`).
const READY: &str = r#"{"type":"ready"}"#;

impl Bridge {
    /// Starts the worker next to the page (a relative URL: works from a sub-path).
    pub fn start(dispatch: Callback<Action>) -> Result<Bridge, String> {
        let worker = Worker::new("./worker-boot.js")
            .map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let outbox: Outbox = Rc::new(RefCell::new(Some(Vec::new())));
        let (flush_outbox, flush_worker) = (outbox.clone(), worker.clone());
        let on_answer = dispatch.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            if text == READY {
                let waiting = flush_outbox.borrow_mut().take().unwrap_or_default();
                for message in waiting {
                    let _ = flush_worker.post_message(&message);
                }
                return;
            }
            match serde_json::from_str::<Response>(&text) {
                Ok(response) => on_answer.emit(Action::Worker(response)),
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
        Ok(Bridge {
            worker,
            outbox,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Hands files to the worker as handles: their bytes are not copied here.
    pub fn load(&self, files: Vec<(String, Blob)>) -> Result<(), String> {
        let message = js_sys::Object::new();
        let blobs = js_sys::Array::new();
        let names = js_sys::Array::new();
        for (name, blob) in files {
            names.push(&JsValue::from_str(&name));
            blobs.push(&blob);
        }
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &k.into(), v).map(|_| ());
        set("kind", &"load".into())
            .and_then(|()| set("files", &blobs))
            .and_then(|()| set("names", &names))
            .and_then(|()| self.post(message.into()))
            .map_err(|e| format!("cannot send the files to the worker: {e:?}"))
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
