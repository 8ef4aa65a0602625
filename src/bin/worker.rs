//! The Web Worker: plumbing only. Files arrive as `Blob`/`File` handles and are read here in
//! chunks with `FileReaderSync`; every other message is a JSON request for the core's
//! [`Engine`](alertweave_engine::protocol::Engine), answered as JSON. No analysis logic lives here.
//!
//! Messages (objects with a `kind`): `load` (`files`, `names`, and `edits`, a saved change log
//! as JSON, when the page restores its autosave), `request` (`body`: a JSON request; after an
//! edit the change comes first as `logged`), `export` (`passphrase`, empty for none; `at_ms`:
//! answered with `{body, file}`, the workspace file as a `Blob`) and `import` (`file`,
//! `passphrase`: answered with `{body, names, files}`, the inputs as `Blob`s for the page to
//! keep). The loaded inputs' handles stay here, so an export reads them again. `hasher` hands
//! over a channel to the hasher, a second instance of this worker that the page starts with
//! `serve` (its end of the channel) and that hashes each load's files beside it; `hasher-failed`
//! says the page saw it fail.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker is built for wasm32 by Trunk; see README.md");
}

#[cfg(target_arch = "wasm32")]
fn main() {
    web::start();
}

/// Counts the worker's heap: what the dataset holds after a load is reported beside the linear
/// memory (which never shrinks, so it only tells the peak).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

#[cfg(target_arch = "wasm32")]
mod web {
    use alertweave_core::workspace::{KdfParams, Protection, WorkspaceError};
    use alertweave_engine::protocol::{encode, Engine, Response, Source};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let engine = Rc::new(RefCell::new(Engine::new()));
        // The inputs of what is loaded, for a workspace export.
        let inputs: Rc<RefCell<Vec<(String, Blob)>>> = Rc::default();
        // The load whose `Loaded` waits for its digests.
        let owed: Owed = Rc::default();
        // The page's second worker, which hashes a load's files beside it (see `Hasher`).
        let hasher: Rc<RefCell<Option<Hasher>>> = Rc::default();
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
                    let mut sources = match sources_of(&data) {
                        Ok(s) => s,
                        Err(message) => return reply(&Response::Failed { message }),
                    };
                    // Added files join those loaded: all are read again (the dataset is built
                    // from every file at once), and the changes made so far stay in force.
                    let add = js_sys::Reflect::get(&data, &"add".into())
                        .ok()
                        .and_then(|a| a.as_bool())
                        .unwrap_or(false);
                    let mut edits_so_far = None;
                    if add {
                        let earlier = match sources_of_blobs(&inputs.borrow()) {
                            Ok(s) => s,
                            Err(message) => return reply(&Response::Failed { message }),
                        };
                        sources.splice(0..0, earlier);
                        edits_so_far = Some(engine.borrow().edits());
                    }
                    let kept: Vec<(String, Blob)> = sources
                        .iter()
                        .map(|s| (s.name.clone(), s.reader.blob.clone()))
                        .collect();
                    let edits = js_sys::Reflect::get(&data, &"edits".into())
                        .ok()
                        .and_then(|e| e.as_string());
                    // The files are hashed beside the load, by the hasher when there is one.
                    // A new load: an earlier one's digests no longer count.
                    let load = {
                        let mut owed = owed.borrow_mut();
                        owed.load += 1;
                        owed.waiting = false;
                        owed.load
                    };
                    let beside = hasher
                        .borrow()
                        .as_ref()
                        .is_some_and(|h| h.hash(load, &kept));
                    let mut engine = engine.borrow_mut();
                    // When the load began and when reading last reported progress (every
                    // megabyte, so within one of the end): the benchmark's split of a load into
                    // reading and building (scripts/bench-web.mjs).
                    let started = now();
                    let mut read_at = started;
                    let mut progress = |p| {
                        read_at = now();
                        reply(&Response::Progress(p))
                    };
                    let mut summary = if beside {
                        engine.load_hashing_beside(sources, &mut progress)
                    } else {
                        engine.load(sources, &mut progress)
                    };
                    web_sys::console::debug_1(&JsValue::from_str(&format!(
                        "alertweave worker: load read in {:.0} ms, built in {:.0} ms",
                        read_at - started,
                        now() - read_at
                    )));
                    *inputs.borrow_mut() = kept;
                    if let Some(log) = edits_so_far.filter(|log| !log.entries.is_empty()) {
                        summary = engine.set_edits(log).unwrap_or(summary);
                    }
                    if let Some(text) = edits {
                        match serde_json::from_str(&text) {
                            Ok(log) => summary = engine.set_edits(log).unwrap_or(summary),
                            Err(e) => reply(&Response::Failed {
                                message: format!("the saved changes could not be read: {e}"),
                            }),
                        }
                    }
                    if engine.owed_digests().is_empty() {
                        reply(&Response::Loaded { summary });
                        report_memory("load");
                    } else {
                        // `Loaded` goes once the digests are in (see `hasher_answer`).
                        let mut owed = owed.borrow_mut();
                        owed.waiting = true;
                        owed.built_at = now();
                    }
                }
                Some("hasher") => {
                    // The channel to the page's hasher.
                    let answer = hasher_answer(&engine, &inputs, &owed, &reply_scope);
                    *hasher.borrow_mut() = port_of(&data).map(|port| Hasher::over(port, answer));
                }
                Some("hasher-failed") => {
                    if let Some(hasher) = hasher.borrow().as_ref() {
                        hasher.fail(string_of(&data, "message"));
                    }
                }
                Some("serve") => {
                    // This worker is the hasher: loads come over the port.
                    if let Some(port) = port_of(&data) {
                        serve_hashes(port);
                    }
                }
                Some("request") => {
                    let body = js_sys::Reflect::get(&data, &"body".into())
                        .ok()
                        .and_then(|b| b.as_string())
                        .unwrap_or_default();
                    let started = js_sys::Date::now();
                    let mut engine = engine.borrow_mut();
                    let answer = engine.handle_json(&body);
                    // An incident's answer includes its graph layout; scripts/bench-graph.mjs
                    // reads this line.
                    if body.starts_with(r#"{"type":"incident""#) {
                        web_sys::console::debug_1(&JsValue::from_str(&format!(
                            "alertweave worker: incident answered in {} ms ({} bytes)",
                            js_sys::Date::now() - started,
                            answer.len()
                        )));
                    }
                    // A change goes to the autosave before its answer reaches the view: once the
                    // page shows it, it is already being written.
                    for entry in engine.take_logged() {
                        reply(&Response::Logged { entry });
                    }
                    let _ = reply_scope.post_message(&JsValue::from_str(&answer));
                }
                Some("export") => {
                    let started = now();
                    let passphrase = string_of(&data, "passphrase");
                    let at_ms = js_sys::Reflect::get(&data, &"at_ms".into())
                        .ok()
                        .and_then(|v| v.as_f64())
                        .unwrap_or_default() as i64;
                    let written = export(&engine.borrow(), &inputs.borrow(), &passphrase, at_ms);
                    match written {
                        Ok(file) => {
                            let body = Response::WorkspaceWritten {
                                bytes: file.size() as u64,
                                encrypted: !passphrase.is_empty(),
                                millis: now() - started,
                            };
                            post_with(&reply_scope, &body, &[("file", &file)]);
                        }
                        Err(error) => reply(&Response::WorkspaceFailed { error }),
                    }
                }
                Some("import") => {
                    let started = now();
                    let passphrase = string_of(&data, "passphrase");
                    let file = js_sys::Reflect::get(&data, &"file".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<Blob>().ok());
                    let Some(file) = file else {
                        return reply(&Response::Failed {
                            message: "import message without a file".to_owned(),
                        });
                    };
                    let Ok(reader) = FileReaderSync::new() else {
                        return reply(&Response::Failed {
                            message: "FileReaderSync is not available".to_owned(),
                        });
                    };
                    let mut input =
                        std::io::BufReader::with_capacity(1 << 20, BlobReader::new(file, reader));
                    let pass = (!passphrase.is_empty()).then_some(passphrase.as_str());
                    // The inputs go piece by piece into browser Blobs (outside this worker's
                    // memory) and are loaded from there once the whole file checked out.
                    let mut sink = BlobSink::default();
                    let opened = alertweave_core::workspace::read_into(&mut input, pass, &mut sink)
                        .and_then(|(manifest, encrypted)| {
                            let sources =
                                sources_of_blobs(&sink.files).map_err(WorkspaceError::Io)?;
                            engine.borrow_mut().open_read(manifest, encrypted, sources)
                        });
                    match opened {
                        Ok(mut body) => {
                            let (names, blobs) = (js_sys::Array::new(), js_sys::Array::new());
                            for (name, blob) in &sink.files {
                                names.push(&JsValue::from_str(name));
                                blobs.push(blob);
                            }
                            *inputs.borrow_mut() = sink.files;
                            report_memory("workspace");
                            if let Response::WorkspaceOpened { millis, .. } = &mut body {
                                *millis = now() - started;
                            }
                            post_with(&reply_scope, &body, &[("names", &names), ("files", &blobs)]);
                        }
                        Err(error) => reply(&Response::WorkspaceFailed { error }),
                    }
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

    /// The load whose digests the hasher owes this worker: the count of loads (an answer for
    /// an earlier one is stale) and whether its `Loaded` waits for them.
    #[derive(Default)]
    struct OwedDigests {
        load: u32,
        waiting: bool,
        /// When the load that waits was built (this worker's clock).
        built_at: f64,
    }

    type Owed = Rc<RefCell<OwedDigests>>;

    /// A second worker (this same script), which the page starts beside this one, that hashes
    /// the files of a load while this one parses them: SHA-256 is a tenth of a load here
    /// (WebAssembly has no SHA instructions), and another core does it for free. The two talk
    /// over a channel. Without one (a browser that cannot, or a hasher that failed), this
    /// worker hashes as it reads.
    struct Hasher {
        port: web_sys::MessagePort,
        answer: Rc<dyn Fn(HashAnswer)>,
        /// Set when it failed: later loads hash as they read.
        failed: std::cell::Cell<bool>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
    }

    /// What the hasher said about a load: its digests, or why there are none.
    type HashAnswer = (u32, Result<Vec<String>, String>);

    /// [`HashAnswer`] as it comes over the channel.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Hashed {
        load: u32,
        digests: Result<Vec<String>, String>,
    }

    impl Hasher {
        fn over(port: web_sys::MessagePort, on_answer: impl Fn(HashAnswer) + 'static) -> Hasher {
            let answer: Rc<dyn Fn(HashAnswer)> = Rc::new(on_answer);
            let answer_to = answer.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                if let Ok(hashed) = serde_json::from_str::<Hashed>(&text) {
                    answer_to((hashed.load, hashed.digests));
                }
            });
            port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            Hasher {
                port,
                answer,
                failed: std::cell::Cell::new(false),
                _on_message: on_message,
            }
        }

        /// Asks for the digests of `files` (the sources of load `load`, in order); false when
        /// this hasher cannot.
        fn hash(&self, load: u32, files: &[(String, Blob)]) -> bool {
            if self.failed.get() {
                return false;
            }
            let blobs = js_sys::Array::new();
            for (_, blob) in files {
                blobs.push(blob);
            }
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"load".into(), &f64::from(load).into());
            let _ = js_sys::Reflect::set(&message, &"files".into(), &blobs);
            self.port.post_message(&message).is_ok()
        }

        /// The page saw the hasher fail: the load waiting for it is hashed here, and so are
        /// the loads after it.
        fn fail(&self, message: String) {
            self.failed.set(true);
            (self.answer)((0, Err(message)));
        }
    }

    /// The port a message hands over (`port`).
    fn port_of(data: &JsValue) -> Option<web_sys::MessagePort> {
        js_sys::Reflect::get(data, &"port".into())
            .ok()
            .and_then(|p| p.dyn_into().ok())
    }

    /// As the hasher: answers each load that comes over `port` with its files' digests.
    fn serve_hashes(port: web_sys::MessagePort) {
        let reply_port = port.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let load = js_sys::Reflect::get(&data, &"load".into())
                .ok()
                .and_then(|l| l.as_f64())
                .unwrap_or_default() as u32;
            let answer = Hashed {
                load,
                digests: hash_files(&data),
            };
            if let Ok(text) = serde_json::to_string(&answer) {
                let _ = reply_port.post_message(&JsValue::from_str(&text));
            }
        });
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The hasher serves as long as the page lives.
        on_message.forget();
    }

    /// What this worker does with the hasher's answer: the digests into what is loaded and
    /// `Loaded` sent, when that load is the one waiting. Without digests (the hasher failed),
    /// the files are hashed here, read again.
    fn hasher_answer(
        engine: &Rc<RefCell<Engine>>,
        inputs: &Rc<RefCell<Vec<(String, Blob)>>>,
        owed: &Owed,
        scope: &DedicatedWorkerGlobalScope,
    ) -> impl Fn(HashAnswer) + 'static {
        let (engine, inputs, owed, scope) =
            (engine.clone(), inputs.clone(), owed.clone(), scope.clone());
        move |(load, digests)| {
            let built_at = {
                let mut owed = owed.borrow_mut();
                // A failure names no load: it is the waiting one's, if any.
                let this_load = load == owed.load || digests.is_err();
                if !(owed.waiting && this_load) {
                    return;
                }
                owed.waiting = false;
                owed.built_at
            };
            // The browser benchmark reads how the digests came, and how long the load waited
            // for them (scripts/bench-web.mjs).
            let how = match &digests {
                Ok(_) => "from the hasher".to_owned(),
                Err(e) => format!("hashed here (the hasher failed: {e})"),
            };
            web_sys::console::debug_1(&JsValue::from_str(&format!(
                "alertweave worker: digests {how}, {:.0} ms after the build",
                now() - built_at
            )));
            let digests = digests
                .or_else(|_| digests_of(inputs.borrow().iter().map(|(_, blob)| Ok(blob.clone()))));
            let mut engine = engine.borrow_mut();
            let summary = engine.set_digests(&digests.unwrap_or_default());
            if let Some(summary) = summary {
                let _ =
                    scope.post_message(&JsValue::from_str(&encode(&Response::Loaded { summary })));
                report_memory("load");
            }
        }
    }

    /// The SHA-256 of each file of a `hash` message, in order.
    fn hash_files(data: &JsValue) -> Result<Vec<String>, String> {
        let files: js_sys::Array = js_sys::Reflect::get(data, &"files".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or("hash message without files")?;
        digests_of(
            files
                .iter()
                .map(|file| file.dyn_into().map_err(|_| "not a file".to_owned())),
        )
    }

    /// The SHA-256 of each file, in order (the hasher's work, and this worker's when the
    /// hasher failed).
    fn digests_of(
        files: impl Iterator<Item = Result<Blob, String>>,
    ) -> Result<Vec<String>, String> {
        let reader =
            FileReaderSync::new().map_err(|_| "FileReaderSync is not available".to_owned())?;
        files
            .map(|blob| {
                alertweave_core::ingest::sha256_hex(BlobReader::new(blob?, reader.clone()))
                    .map_err(|e| e.to_string())
            })
            .collect()
    }

    /// Milliseconds on the worker's clock.
    fn now() -> f64 {
        js_sys::global()
            .unchecked_into::<web_sys::WorkerGlobalScope>()
            .performance()
            .map_or(0.0, |p| p.now())
    }

    fn string_of(data: &JsValue, key: &str) -> String {
        js_sys::Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// Bytes as a `Blob` (copied out of the WebAssembly memory).
    /// Answers with browser objects beside the JSON (files travel as handles, not as text).
    fn post_with(scope: &DedicatedWorkerGlobalScope, body: &Response, beside: &[(&str, &JsValue)]) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"body".into(), &encode(body).into());
        for (key, value) in beside {
            let _ = js_sys::Reflect::set(&message, &(*key).into(), value);
        }
        let _ = scope.post_message(&message);
    }

    /// Says how much memory the worker uses after a load or an opened workspace. Linear memory
    /// never shrinks, so its size is the peak so far; the heap in use is what the dataset
    /// holds. The browser benchmark reads this line (scripts/bench-web.mjs).
    fn report_memory(after: &str) {
        let bytes = js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
            .and_then(|buffer| js_sys::Reflect::get(&buffer, &"byteLength".into()))
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0);
        web_sys::console::debug_1(&JsValue::from_str(&format!(
            "alertweave worker: wasm memory {bytes} bytes after {after}, heap in use {} bytes, heap peak {} bytes",
            super::HEAP.current_usage(),
            super::HEAP.peak_usage()
        )));
    }

    fn blob_of(bytes: &[u8]) -> std::io::Result<Blob> {
        Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)))
            .map_err(|_| std::io::Error::other("the browser refused to make a file"))
    }

    /// A workspace's inputs as they are read: each piece copied out to a JavaScript array,
    /// each file made one `Blob` of its pieces (the browser keeps them, not this heap).
    #[derive(Default)]
    struct BlobSink {
        files: Vec<(String, Blob)>,
        name: String,
        pieces: Option<js_sys::Array>,
    }

    impl alertweave_core::workspace::FileSink for BlobSink {
        fn begin(
            &mut self,
            entry: &alertweave_core::workspace::FileEntry,
        ) -> Result<(), WorkspaceError> {
            self.name.clone_from(&entry.name);
            self.pieces = Some(js_sys::Array::new());
            Ok(())
        }

        fn write(&mut self, piece: &[u8]) -> Result<(), WorkspaceError> {
            match &self.pieces {
                Some(pieces) => {
                    pieces.push(&js_sys::Uint8Array::from(piece));
                    Ok(())
                }
                None => Err(WorkspaceError::Io("bytes before a file".to_owned())),
            }
        }

        fn end(&mut self) -> Result<(), WorkspaceError> {
            let pieces = self.pieces.take().unwrap_or_default();
            let blob = Blob::new_with_u8_array_sequence(&pieces).map_err(|_| {
                WorkspaceError::Io("the browser refused to keep the workspace's files".to_owned())
            })?;
            self.files.push((std::mem::take(&mut self.name), blob));
            Ok(())
        }
    }

    /// Writes the workspace file of what is loaded, from the loaded inputs read again; with a
    /// passphrase, a fresh salt and nonce from the browser's `crypto.getRandomValues`.
    fn export(
        engine: &Engine,
        inputs: &[(String, Blob)],
        passphrase: &str,
        at_ms: i64,
    ) -> Result<Blob, WorkspaceError> {
        let mut sources = sources_of_blobs(inputs).map_err(WorkspaceError::Io)?;
        let (mut salt, mut nonce_prefix) = ([0u8; 16], [0u8; 7]);
        let protection = if passphrase.is_empty() {
            Protection::None
        } else {
            let crypto = js_sys::global()
                .unchecked_into::<web_sys::WorkerGlobalScope>()
                .crypto()
                .map_err(|_| WorkspaceError::Io("no crypto.getRandomValues".to_owned()))?;
            crypto
                .get_random_values_with_u8_array(&mut salt)
                .and_then(|_| crypto.get_random_values_with_u8_array(&mut nonce_prefix))
                .map_err(|_| WorkspaceError::Io("no crypto.getRandomValues".to_owned()))?;
            Protection::Passphrase {
                passphrase,
                salt,
                nonce_prefix,
                params: KdfParams::default(),
            }
        };
        let created = chrono::DateTime::from_timestamp_millis(at_ms).unwrap_or_default();
        let mut out = BlobWriter::default();
        engine.write_workspace(&mut sources, &mut out, protection, created)?;
        out.finish()
    }

    /// Collects written bytes as `Blob` parts a megabyte at a time, so the file is never held
    /// whole in the WebAssembly memory.
    #[derive(Default)]
    struct BlobWriter {
        parts: Vec<Blob>,
        buffer: Vec<u8>,
    }

    impl BlobWriter {
        const PART: usize = 1 << 20;

        fn flush_part(&mut self) -> std::io::Result<()> {
            if !self.buffer.is_empty() {
                self.parts.push(blob_of(&self.buffer)?);
                self.buffer.clear();
            }
            Ok(())
        }

        fn finish(mut self) -> Result<Blob, WorkspaceError> {
            let failed = |_| WorkspaceError::Io("the browser refused to make a file".to_owned());
            self.flush_part()
                .map_err(|e| WorkspaceError::Io(e.to_string()))?;
            let array = js_sys::Array::new();
            for part in &self.parts {
                array.push(part);
            }
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("application/octet-stream");
            Blob::new_with_blob_sequence_and_options(&array, &options).map_err(failed)
        }
    }

    impl std::io::Write for BlobWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.buffer.extend_from_slice(bytes);
            if self.buffer.len() >= Self::PART {
                self.flush_part()?;
            }
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The blobs and names of a `load` message.
    /// Sources that read files the worker already holds.
    fn sources_of_blobs(files: &[(String, Blob)]) -> Result<Vec<Source<BlobReader>>, String> {
        let reader =
            FileReaderSync::new().map_err(|_| "FileReaderSync is not available".to_owned())?;
        Ok(files
            .iter()
            .map(|(name, blob)| Source {
                name: name.clone(),
                size: blob.size() as u64,
                reader: BlobReader::new(blob.clone(), reader.clone()),
            })
            .collect())
    }

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
                reader: BlobReader::new(blob, reader.clone()),
            });
        }
        Ok(sources)
    }

    /// `std::io::Read` over a `Blob`, one slice at a time: the file is never held whole.
    pub struct BlobReader {
        blob: Blob,
        reader: FileReaderSync,
        position: f64,
        /// The last slice read from the file (a JavaScript array), and the offset of its first
        /// byte: reads are served from it while they fall inside it.
        ahead: Option<js_sys::Uint8Array>,
        ahead_from: f64,
        /// How much the next slice reads: each `readAsArrayBuffer` costs ~2.5 ms beside its
        /// bytes (an 81 MB file read in 1 MB slices took 310 ms, in 8 MB ones ~170 ms; a 406 MB
        /// one in 8 MB slices 0.95-1.36 s, in 32 MB ones 0.80-1.20 s), so it doubles while
        /// reading goes on in order, up to `MAX_SPAN`, and is back to the size asked for after
        /// a jump (a zip's directory, then its members).
        span: f64,
    }

    const MAX_SPAN: f64 = (32 << 20) as f64;

    impl BlobReader {
        pub fn new(blob: Blob, reader: FileReaderSync) -> BlobReader {
            BlobReader {
                blob,
                reader,
                position: 0.0,
                ahead: None,
                ahead_from: 0.0,
                span: 0.0,
            }
        }

        /// Copies what the slice read ahead holds at `position` into `buf`; 0 when it holds
        /// nothing there.
        fn serve_ahead(&mut self, buf: &mut [u8]) -> usize {
            let Some(ahead) = &self.ahead else {
                return 0;
            };
            let len = f64::from(ahead.length());
            if self.position < self.ahead_from || self.position >= self.ahead_from + len {
                return 0;
            }
            let start = (self.position - self.ahead_from) as u32;
            let n = (ahead.length() - start).min(u32::try_from(buf.len()).unwrap_or(u32::MAX));
            ahead
                .subarray(start, start + n)
                .copy_to(&mut buf[..n as usize]);
            self.position += f64::from(n);
            n as usize
        }
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
            let n = self.serve_ahead(buf);
            if n > 0 {
                return Ok(n);
            }
            let in_order = self
                .ahead
                .as_ref()
                .is_some_and(|a| self.position == self.ahead_from + f64::from(a.length()));
            let asked = buf.len() as f64;
            self.span = if in_order {
                (self.span * 2.0).clamp(asked, MAX_SPAN.max(asked))
            } else {
                asked
            };
            let end = (self.position + self.span).min(size);
            let slice = self
                .blob
                .slice_with_f64_and_f64(self.position, end)
                .map_err(|_| std::io::Error::other("cannot slice the file"))?;
            let bytes = self.reader.read_as_array_buffer(&slice).map_err(|_| {
                std::io::Error::other("cannot read the file (was it moved or deleted?)")
            })?;
            self.ahead = Some(js_sys::Uint8Array::new(&bytes));
            self.ahead_from = self.position;
            Ok(self.serve_ahead(buf))
        }
    }
}
