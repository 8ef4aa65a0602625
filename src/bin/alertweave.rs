//! `alertweave`: the native command line on the same core as the app (CONTRACT.md §1).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use alertweave::analysis::Dataset;
    use alertweave::correlate::{Grouping, Settings};
    use alertweave::export;
    use alertweave::ingest::{ingest_seekable, FileIngest};
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
            /// Export files, any mix of supported formats.
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
            } => analyze(config, source_incidents, json, files),
        }
    }

    fn analyze(
        config: Option<PathBuf>,
        source_incidents: bool,
        json: bool,
        files: Vec<PathBuf>,
    ) -> ExitCode {
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
                Ok(file) => {
                    n_readable += 1;
                    ingests.extend(ingest_seekable(&name, file, &mut |_| {}));
                }
                Err(e) => unreadable.push((name, e.to_string())),
            }
        }
        let grouping = if source_incidents {
            Grouping::SourceIncidents
        } else {
            Grouping::Correlate
        };
        let mut dataset = Dataset::build(ingests, settings, grouping);
        for (name, error) in unreadable {
            eprintln!("alertweave: cannot read {name}: {error}");
            dataset.problems.push(alertweave::model::Problem {
                file: name,
                location: String::new(),
                message: format!("cannot open the file: {error}"),
                count: 1,
            });
        }
        let mut stdout = std::io::stdout().lock();
        let written = if json {
            serde_json::to_writer_pretty(&mut stdout, &export::analyze_report(&dataset))
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(stdout))
        } else {
            write!(stdout, "{}", export::summary_text(&dataset))
        };
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
