//! The page's side of the worker: posts files and JSON requests, turns answers into actions.

use super::state::Action;
use crate::protocol::{Request, Response};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};
use yew::Callback;

pub struct Bridge {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Bridge {
    /// Starts the worker next to the page (a relative URL: works from a sub-path).
    pub fn start(dispatch: Callback<Action>) -> Result<Bridge, String> {
        let worker = Worker::new("./worker_loader.js")
            .map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let on_answer = dispatch.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            if text.contains(r#""type":"ready""#) {
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
            .and_then(|()| self.worker.post_message(&message))
            .map_err(|e| format!("cannot send the files to the worker: {e:?}"))
    }

    pub fn request(&self, request: &Request) {
        let Ok(body) = serde_json::to_string(request) else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"kind".into(), &"request".into());
        let _ = js_sys::Reflect::set(&message, &"body".into(), &JsValue::from_str(&body));
        let _ = self.worker.post_message(&message);
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
