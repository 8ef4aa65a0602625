//! `alertweave analyze` as CONTRACT.md §1 specifies it.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alertweave"))
        .args(args)
        .output()
        .expect("the CLI runs")
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn json_output_has_the_contract_shape_and_every_alert_once() {
    let a = sample("msgraph-alerts-v2/alert-sample.log");
    let b = sample("msgraph-alerts-v2/test-alert.log");
    let output = run(&[
        "analyze",
        "--json",
        a.to_str().expect("utf-8 path"),
        b.to_str().expect("utf-8 path"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json_of(&output);
    assert_eq!(report["alerts"], 3);
    assert_eq!(report["files"].as_array().map(Vec::len), Some(2));
    let file = &report["files"][0];
    for key in ["name", "format", "sha256", "bytes", "alerts", "problems"] {
        assert!(!file[key].is_null(), "files[].{key}");
    }
    assert_eq!(file["format"], "graph-alerts-v2");
    assert_eq!(file["sha256"].as_str().map(str::len), Some(64));
    let mut seen = BTreeSet::new();
    for incident in report["incidents"].as_array().expect("incidents") {
        for key in [
            "incident_id",
            "title",
            "severity",
            "status",
            "first_activity",
            "last_activity",
            "alert_ids",
            "entities",
            "receipts",
        ] {
            assert!(!incident[key].is_null(), "incidents[].{key}");
        }
        let id = incident["incident_id"].as_str().expect("id");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "URL-safe id {id}"
        );
        for alert in incident["alert_ids"].as_array().expect("alert_ids") {
            assert!(
                seen.insert(alert.as_str().expect("string").to_owned()),
                "alert twice"
            );
        }
        for entity in incident["entities"].as_array().expect("entities") {
            let kind = entity["kind"].as_str().expect("kind");
            assert!([
                "device",
                "user",
                "mailbox",
                "mail_message",
                "ip",
                "url",
                "domain",
                "file",
                "process",
                "cloud_app",
                "registry_key",
                "registry_value",
                "other"
            ]
            .contains(&kind));
        }
    }
    assert_eq!(seen.len(), 3);
    assert!(report["problems"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn any_input_order_gives_the_same_partition() {
    let a = sample("msgraph-alerts-v2/alert-sample.log");
    let b = sample("msgraph-alerts-v2/test-alert.log");
    let (a, b) = (a.to_str().expect("path"), b.to_str().expect("path"));
    let partition = |args: &[&str]| {
        let report = json_of(&run(args));
        let mut groups: Vec<(String, Vec<String>)> = report["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .map(|i| {
                (
                    i["incident_id"].as_str().unwrap_or("").to_owned(),
                    serde_json::from_value(i["alert_ids"].clone()).unwrap_or_default(),
                )
            })
            .collect();
        groups.sort();
        groups
    };
    assert_eq!(
        partition(&["analyze", "--json", a, b]),
        partition(&["analyze", "--json", b, a])
    );
    assert_eq!(
        partition(&["analyze", "--json", "--source-incidents", a, b]),
        partition(&["analyze", "--json", "--source-incidents", b, a])
    );
}

#[test]
fn exit_codes_and_config_errors() {
    let a = sample("msgraph-alerts-v2/test-alert.log");
    let a = a.to_str().expect("path");
    let dir = std::env::temp_dir().join(format!("alertweave-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "{}").expect("write");
    let unknown = dir.join("unknown.json");
    std::fs::write(&unknown, r#"{"noisy_min_alerts": 3, "bogus_key": 1}"#).expect("write");

    assert_eq!(
        run(&["analyze", "--config", empty.to_str().expect("p"), a])
            .status
            .code(),
        Some(0)
    );
    let bad = run(&["analyze", "--config", unknown.to_str().expect("p"), a]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("bogus_key"),
        "the error names the key"
    );
    assert_eq!(
        run(&["analyze", "--no-such-flag", a]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["analyze"]).status.code(), Some(2));
    let missing = run(&["analyze", "--json", "/nonexistent/alerts.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(json_of(&missing)["problems"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));
    // A file that is read but holds problems is still a success.
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "not json at all").expect("write");
    assert_eq!(
        run(&["analyze", "--json", junk.to_str().expect("p"), a])
            .status
            .code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_human_summary_names_files_alerts_incidents_and_problems() {
    let a = sample("msgraph-alerts-v2/alert-sample.log");
    let output = run(&["analyze", a.to_str().expect("path")]);
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "Files read: 1",
        "Alerts: 2 distinct (2 duplicate records merged)",
        "Incidents: 2",
        "Problems: 0",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}

#[test]
fn zipped_and_gzipped_exports_give_the_same_incidents_as_the_plain_files() {
    use std::io::Write;
    let relatives = [
        "msgraph-alerts-v2/alert-sample.log",
        "m365-defender-incidents-api/test-m365-defender-ndjson.log",
        "defender-endpoint-alerts/test-defenderatp.log",
    ];
    let dir = std::env::temp_dir().join(format!("alertweave-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let zip_path = dir.join("exports.zip");
    {
        let file = std::fs::File::create(&zip_path).expect("zip file");
        let mut writer = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for relative in &relatives[..2] {
            writer
                .start_file(format!("customer/{relative}"), options)
                .expect("entry");
            writer
                .write_all(&std::fs::read(sample(relative)).expect("sample"))
                .expect("write");
        }
        writer.finish().expect("finish");
    }
    let gz_path = dir.join("mde.json.gz");
    {
        let mut encoder = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz_path).expect("gz file"),
            flate2::Compression::default(),
        );
        encoder
            .write_all(&std::fs::read(sample(relatives[2])).expect("sample"))
            .expect("write");
        encoder.finish().expect("finish");
    }
    let ids = |report: &Value| {
        let mut groups: Vec<Vec<String>> = report["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .map(|i| serde_json::from_value(i["alert_ids"].clone()).unwrap_or_default())
            .collect();
        groups.sort();
        groups
    };
    let plain: Vec<String> = relatives
        .iter()
        .map(|r| sample(r).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["analyze", "--json"];
    args.extend(plain.iter().map(String::as_str));
    let plain_report = json_of(&run(&args));
    let packed_report = json_of(&run(&[
        "analyze",
        "--json",
        zip_path.to_str().expect("p"),
        gz_path.to_str().expect("p"),
    ]));
    assert_eq!(ids(&plain_report), ids(&packed_report));
    assert_eq!(plain_report["alerts"], packed_report["alerts"]);
    let files = packed_report["files"].as_array().expect("files");
    assert_eq!(files.len(), 3);
    assert!(files[0]["name"].as_str().is_some_and(|n| n.ends_with("exports.zip/customer/msgraph-alerts-v2/alert-sample.log")), "{}", files[0]["name"]);
    assert_eq!(
        files[0]["container"]["sha256"].as_str().map(str::len),
        Some(64)
    );
    assert!(
        packed_report["problems"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "{}",
        packed_report["problems"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Review finding: the names files were given (and their order) changed titles.
#[test]
fn file_names_and_order_do_not_change_the_incidents() {
    let dir = std::env::temp_dir().join(format!("alertweave-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (x, y) = (
        "m365-defender-incidents-api/test-m365-defender-ndjson.log",
        "defender-endpoint-alerts/test-defenderatp.log",
    );
    let write = |name: &str, relative: &str| {
        let path = dir.join(name);
        std::fs::copy(sample(relative), &path).expect("copy");
        path.to_string_lossy().into_owned()
    };
    let (a, b) = (write("a.json", x), write("b.json", y));
    let first = json_of(&run(&["analyze", "--json", &a, &b]));
    let (a2, b2) = (write("b.json", x), write("a.json", y));
    let second = json_of(&run(&["analyze", "--json", &b2, &a2]));
    let strip = |report: &Value| {
        let mut incidents: Vec<(String, String, Value)> = report["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .map(|i| {
                (
                    i["incident_id"].to_string(),
                    i["title"].to_string(),
                    i["entities"].clone(),
                )
            })
            .collect();
        incidents.sort_by(|p, q| p.0.cmp(&q.0));
        incidents
    };
    assert_eq!(strip(&first), strip(&second));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_is_not_a_readable_input() {
    let dir = std::env::temp_dir();
    let output = run(&["analyze", "--json", dir.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_encrypted_workspace_opens_with_the_passphrase_from_the_environment_or_stdin() {
    use alertweave_core::correlate::{Grouping, Settings};
    use alertweave_core::edits::{EditLog, Op};
    use alertweave_core::model::AlertId;
    use alertweave_core::workspace::{file_entry, write, KdfParams, Manifest, Protection, VERSION};
    use std::io::Write as _;

    let text = page(&[
        alert("w1", "2026-09-01T10:00:00Z", 5, vec![device("ws-1")]),
        alert("w2", "2026-09-01T11:00:00Z", 5, vec![device("ws-1")]),
    ]);
    let mut edits = EditLog::default();
    let at = chrono::DateTime::parse_from_rfc3339("2026-10-01T09:00:00Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    edits.push(
        at,
        "ana",
        Op::Rename {
            incident: AlertId::new("w1"),
            title: "Renamed by hand".into(),
        },
    );
    let manifest = Manifest {
        version: VERSION,
        created: Some(at),
        app_version: "test".into(),
        settings: Settings::default(),
        grouping: Grouping::Correlate,
        edits,
        files: vec![file_entry("alerts.json", text.as_bytes())],
    };
    let mut bytes = Vec::new();
    let mut reader = std::io::Cursor::new(text.as_bytes());
    write(
        &mut bytes,
        &manifest,
        &mut [("alerts.json", &mut reader as &mut dyn std::io::Read)],
        Protection::Passphrase {
            passphrase: "s3cret",
            salt: [1; 16],
            nonce_prefix: [2; 7],
            params: KdfParams {
                m_kib: 256,
                t: 1,
                p: 1,
            },
        },
    )
    .expect("written");
    let dir = std::env::temp_dir().join(format!("aw-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("case.awspace");
    std::fs::write(&path, &bytes).expect("written");
    let path = path.to_str().expect("utf-8 path").to_owned();

    let with_env = Command::new(env!("CARGO_BIN_EXE_alertweave"))
        .args(["analyze", "--json", &path])
        .env("ALERTWEAVE_PASSPHRASE", "s3cret")
        .output()
        .expect("runs");
    assert!(
        with_env.status.success(),
        "{}",
        String::from_utf8_lossy(&with_env.stderr)
    );
    let report = json_of(&with_env);
    assert_eq!(report["alerts"], 2);
    assert_eq!(report["incidents"][0]["title"], "Renamed by hand");
    assert_eq!(report["files"][0]["name"], "alerts.json");

    // From standard input; a wrong one is a clear error and nothing is read.
    for (given, ok) in [("s3cret\n", true), ("nope\n", false)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_alertweave"))
            .args(["analyze", "--json", &path])
            .env_remove("ALERTWEAVE_PASSPHRASE")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(given.as_bytes())
            .expect("passphrase written");
        let out = child.wait_with_output().expect("finishes");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.success(), ok, "{stderr}");
        if !ok {
            assert!(stderr.contains("wrong passphrase"), "{stderr}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
