//! `alertweave`: the native command line on the same core as the app (CONTRACT.md §1).

/// mimalloc: a run is millions of small allocations (strings, maps, vectors of each record),
/// and glibc's allocator took a third of it (issue 13, docs/benchmarks.md).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use alertweave_core::analysis::Dataset;
    use alertweave_core::correlate::{Grouping, Settings};
    use alertweave_core::export;
    use alertweave_core::ingest::{ingest_seekable_hashing, sha256_hex, FileHash, FileIngest};
    use alertweave_core::spread::Spread;
    use alertweave_core::workspace;
    use clap::{Parser, Subcommand};
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::ExitCode;

    #[derive(Parser)]
    #[command(
        name = "alertweave",
        version,
        about = "Correlate Microsoft Defender / Sentinel alert exports into incidents, locally."
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Read export files, correlate their alerts into incidents, and print the result.
        Analyze {
            /// Correlation settings as JSON (schema: docs/settings.schema.json); `{}` means defaults.
            #[arg(long, value_name = "FILE")]
            config: Option<PathBuf>,
            /// Group alerts by the incident ids the export carries instead of correlating.
            #[arg(long)]
            source_incidents: bool,
            /// Print one JSON object (CONTRACT.md) instead of a summary.
            #[arg(long)]
            json: bool,
            /// Export files, any mix of supported formats, or an Alertweave workspace file (its
            /// inputs, settings and changes; the passphrase of an encrypted one comes from the
            /// ALERTWEAVE_PASSPHRASE environment variable or standard input, never the command line).
            #[arg(required = true, value_name = "FILE")]
            files: Vec<PathBuf>,
        },
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        match cli.command {
            Command::Analyze {
                config,
                source_incidents,
                json,
                files,
            } => on_two_cores(|| analyze(config, source_incidents, json, files)),
        }
    }

    /// Runs `work` on a thread of a pool of two (its stack as large as a main thread's), so that
    /// [`TwoCores`] splits work between it and the pool's other thread; with no pool, on this
    /// thread alone.
    fn on_two_cores(work: impl FnOnce() -> ExitCode + Send) -> ExitCode {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .stack_size(8 << 20)
            .build()
        {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        }
    }

    /// The passphrase of an encrypted workspace: `ALERTWEAVE_PASSPHRASE`, else a line of stdin.
    fn passphrase(name: &str) -> Option<String> {
        if let Ok(p) = std::env::var("ALERTWEAVE_PASSPHRASE") {
            return Some(p);
        }
        eprint!("alertweave: passphrase for {name}: ");
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(n) if n > 0 => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
            _ => None,
        }
    }

    /// Opens a workspace file: its inputs as ingests, and its manifest.
    fn open_workspace(
        name: &str,
        file: &mut std::fs::File,
    ) -> Result<(Vec<FileIngest>, workspace::Manifest), String> {
        use std::io::{Seek, SeekFrom};
        let mut attempt =
            |pass: Option<&str>| -> Result<workspace::Workspace, workspace::WorkspaceError> {
                file.seek(SeekFrom::Start(0))
                    .map_err(|e| workspace::WorkspaceError::Io(e.to_string()))?;
                workspace::read(&mut std::io::BufReader::new(&mut *file), pass)
            };
        let opened = match attempt(None) {
            Err(workspace::WorkspaceError::NeedsPassphrase) => match passphrase(name) {
                Some(p) => attempt(Some(&p)),
                None => Err(workspace::WorkspaceError::NeedsPassphrase),
            },
            other => other,
        }
        .map_err(|e| e.to_string())?;
        let mut ingests = Vec::new();
        for (member, bytes) in &opened.files {
            ingests.extend(ingest_seekable_hashing(
                member,
                std::io::Cursor::new(bytes.as_slice()),
                &mut |_| {},
                FileHash::AsRead,
                &TwoCores,
            ));
        }
        Ok((ingests, opened.manifest))
    }

    /// Reads an input file while another thread computes its SHA-256 (one pass over the bytes
    /// each, on two cores): hashing as it parsed was a twentieth of a run. The thread reads the
    /// file again from the start; when it cannot, the file is hashed here afterwards. Only a
    /// regular file is read twice: a pipe or a device is hashed as it is read.
    fn ingest_hashing_beside(
        name: &str,
        path: &std::path::Path,
        file: std::fs::File,
    ) -> Vec<FileIngest> {
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return ingest_seekable_hashing(name, file, &mut |_| {}, FileHash::AsRead, &TwoCores);
        }
        let hash = || std::fs::File::open(path).and_then(sha256_hex);
        std::thread::scope(|scope| {
            let mut beside = Some(scope.spawn(hash));
            let mut digest = || {
                let joined = beside.take().map(|thread| thread.join());
                match joined {
                    Some(Ok(Ok(hex))) => hex,
                    _ => hash().unwrap_or_default(),
                }
            };
            ingest_seekable_hashing(
                name,
                file,
                &mut |_| {},
                FileHash::Given(&mut digest),
                &TwoCores,
            )
        })
    }

    /// The CLI's second core for the work the core batches (records converted in halves, a
    /// CSV's rows beside its reading, the correlation's entities and incidents): rayon's pool,
    /// whose threads live for the whole run. Used whatever the file's size: before the CSV
    /// pipeline (`read_rows_beside`) and the spread correlation, files under 128 MB were a
    /// tenth slower on two cores (the hashing thread took a core from a batch's halves); now
    /// the 10k-alert files (22-41 MB) are 13-17 % faster (docs/benchmarks.md). Called from the
    /// pool's thread ([`on_two_cores`]), `join` runs `a` there while the other thread takes `b`.
    struct TwoCores;

    impl Spread for TwoCores {
        fn join(&self, a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
            rayon::join(a, b);
        }

        /// `there` is queued for the pool's other thread, which takes it at once (it is idle
        /// between batches); `here` needs not move between threads.
        fn beside(&self, here: &mut dyn FnMut(), there: &mut (dyn FnMut() + Send)) {
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| there());
                here();
            });
        }

        fn at_once(&self) -> bool {
            true
        }
    }

    fn is_workspace(mut file: &std::fs::File) -> bool {
        use std::io::{Read, Seek, SeekFrom};
        let mut head = [0u8; 8];
        let n = file.read(&mut head).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(0));
        workspace::is_workspace(&head[..n])
    }

    fn analyze(
        config: Option<PathBuf>,
        source_incidents: bool,
        json: bool,
        files: Vec<PathBuf>,
    ) -> ExitCode {
        let explicit = config.is_some();
        let settings = match config {
            None => Settings::default(),
            Some(path) => match std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| Settings::from_json(&t))
            {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("alertweave: bad --config {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            },
        };
        let mut ingests: Vec<FileIngest> = Vec::new();
        let mut workspace_manifest: Option<workspace::Manifest> = None;
        let mut notes: Vec<(String, String)> = Vec::new();
        let mut n_readable = 0usize;
        let mut unreadable = Vec::new();
        for path in &files {
            let name = path.display().to_string();
            match std::fs::File::open(path).and_then(|file| {
                if file.metadata()?.is_dir() {
                    Err(std::io::Error::other(
                        "it is a directory: name the files inside it",
                    ))
                } else {
                    Ok(file)
                }
            }) {
                Ok(file) if is_workspace(&file) => {
                    let mut file = file;
                    match open_workspace(&name, &mut file) {
                        Ok((read, manifest)) => {
                            n_readable += 1;
                            ingests.extend(read);
                            if workspace_manifest.is_none() {
                                workspace_manifest = Some(manifest);
                            } else {
                                notes.push((name, "a second workspace: its inputs were read, but only the first one's settings and changes are used".to_owned()));
                            }
                        }
                        Err(e) => unreadable.push((name, e)),
                    }
                }
                Ok(file) => {
                    n_readable += 1;
                    ingests.extend(ingest_hashing_beside(&name, path, file));
                }
                Err(e) => unreadable.push((name, e.to_string())),
            }
        }
        // A workspace brings its settings and grouping, unless the command line says otherwise.
        let (settings, workspace_grouping, edits) = match workspace_manifest {
            Some(m) => (
                if explicit { settings } else { m.settings },
                Some(m.grouping),
                Some(m.edits),
            ),
            None => (settings, None, None),
        };
        let grouping = if source_incidents {
            Grouping::SourceIncidents
        } else {
            workspace_grouping.unwrap_or(Grouping::Correlate)
        };
        // Hashing is over by now: the dataset is built on both cores whatever the size.
        let mut dataset = Dataset::build_on(ingests, settings, grouping, &TwoCores);
        if let Some(edits) = edits {
            dataset.set_edits(edits);
        }
        for (name, message) in notes {
            dataset.problems.push(alertweave_core::model::Problem {
                file: name,
                location: String::new(),
                message,
                count: 1,
            });
        }
        for (name, error) in unreadable {
            eprintln!("alertweave: cannot read {name}: {error}");
            dataset.problems.push(alertweave_core::model::Problem {
                file: name,
                location: String::new(),
                message: format!("cannot open the file: {error}"),
                count: 1,
            });
        }
        // Buffered: stdout alone flushes at every newline, a system call per line of the report.
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written = if json {
            serde_json::to_writer_pretty(&mut stdout, &export::analyze_report(&dataset))
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(stdout))
        } else {
            write!(
                stdout,
                "{}",
                alertweave_text::summary::summary_text(&dataset)
            )
        }
        .and_then(|()| stdout.flush());
        // The process ends here: the operating system takes the memory back at once, where
        // dropping millions of alerts, entities and strings one by one would take seconds.
        std::mem::forget(dataset);
        if let Err(e) = written {
            eprintln!("alertweave: cannot write the output: {e}");
            return ExitCode::from(1);
        }
        if n_readable == 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}
