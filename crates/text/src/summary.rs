//! The summary `alertweave analyze` prints without `--json`: files, alerts, incidents, the
//! entities kept from linking, completeness and problems, in English (the CLI's language).

use crate::i18n::{reason_text, Lang};
use alertweave_core::analysis::Dataset;
use std::fmt::Write;

/// The human summary printed without `--json`.
pub fn summary_text(dataset: &Dataset) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Files read: {}", dataset.files.len());
    for f in &dataset.files {
        let _ = writeln!(
            out,
            "  {}  {}  {} bytes  {} alerts  {} problems  sha256 {}",
            f.name,
            f.format.map_or("unrecognized", |fmt| fmt.id()),
            f.bytes,
            f.alerts,
            f.problems,
            f.sha256
        );
    }
    let _ = writeln!(
        out,
        "Alerts: {} distinct ({} duplicate records merged)",
        dataset.alerts.len(),
        dataset.duplicate_records
    );
    let _ = writeln!(out, "Incidents: {}", dataset.incidents().len());
    if let Some(a) = dataset.source_agreement() {
        let _ = writeln!(
            out,
            "  Beside the exports' own incidents ({} alerts): {} of {} the same, {} merging several, {} of {} source incidents split; pairwise F1 {:.3}, B-cubed F1 {:.3}",
            a.alerts_compared, a.same, a.incidents_compared, a.merged, a.sources_split, a.sources_compared, a.pairwise_f1, a.bcubed_f1
        );
    }
    for inc in dataset.incidents() {
        let _ = writeln!(
            out,
            "  {}  {:<13}  {:>3} alerts  {}",
            inc.incident_id,
            inc.severity.as_str(),
            inc.alert_ids.len(),
            inc.title
        );
    }
    let campaigns = alertweave_core::query::all_campaigns(dataset);
    if !campaigns.is_empty() {
        let _ = writeln!(out, "Campaigns: {}", campaigns.len());
        for (incident_id, c) in &campaigns {
            let _ = writeln!(
                out,
                "  {incident_id}  {}",
                crate::i18n::campaign_sentence(Lang::En, c)
            );
        }
    }
    if !dataset.correlation.unlinked.is_empty() {
        let _ = writeln!(
            out,
            "Entities kept from linking: {}",
            dataset.correlation.unlinked.len()
        );
        for u in dataset.correlation.unlinked.iter().take(10) {
            let name = dataset
                .entities
                .get(&u.entity_id)
                .map_or("", |e| e.name.as_str());
            let _ = writeln!(out, "  {name}  ({})", reason_text(Lang::En, &u.reason));
        }
    }
    let c = &dataset.completeness;
    for (count, what) in [
        (
            c.evidence_without_info.count,
            "alerts have AlertEvidence rows but no AlertInfo row",
        ),
        (
            c.info_without_evidence.count,
            "alerts have an AlertInfo row but no AlertEvidence rows",
        ),
    ] {
        if count > 0 {
            let _ = writeln!(out, "Completeness: {count} {what}");
        }
    }
    for file in &c.capped_files {
        let _ = writeln!(out, "Completeness: {file} has exactly 30,000 records, the advanced-hunting cap: probably cut off");
    }
    for (incident, missing, listed) in &c.incidents_missing_alerts {
        let _ = writeln!(out, "Completeness: incident {incident} lists {listed} alerts, {missing} of them not in the data");
    }
    for (from, to) in &c.redirected {
        let _ = writeln!(out, "Completeness: incident {from} was merged into {to}");
    }
    let _ = writeln!(out, "Problems: {}", dataset.problems.len());
    for p in &dataset.problems {
        let count = if p.count > 1 {
            format!(" (×{})", p.count)
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {}: {}: {}{}", p.file, p.location, p.message, count);
    }
    out
}
