//! The landing view: drop zone, file picker, demo button, and the problems of a load.

use super::app::time_text;
use super::app::{files_of, FilePicker};
use alertweave_core::model::{IncidentId, Problem};
use alertweave_core::query::LoadSummary;
use alertweave_text::format::TimeMode;
use alertweave_text::i18n::{self, t, Lang, Text};
use web_sys::Blob;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LandingProps {
    pub lang: Lang,
    /// The incident the address names, opened once data is in.
    pub pending_incident: Option<IncidentId>,
    pub on_files: Callback<Vec<(String, Blob)>>,
    pub on_demo: Callback<()>,
    pub busy: bool,
}

#[function_component(Landing)]
pub fn landing(props: &LandingProps) -> Html {
    let lang = props.lang;
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let files = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .map(|l| files_of(&l))
                .unwrap_or_default();
            on_files.emit(files);
        })
    };
    let on_demo = {
        let on_demo = props.on_demo.clone();
        Callback::from(move |_: MouseEvent| on_demo.emit(()))
    };
    html! {
        <section class="landing">
            <h1>{ t(lang, Text::OpenExports) }</h1>
            if let Some(id) = &props.pending_incident {
                <p class="notice">{ i18n::load_to_open(lang, id.as_str()) }</p>
            }
            <div class={classes!("dropzone", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <p>{ t(lang, Text::DropHere) }</p>
                <div class="actions">
                    <FilePicker {lang} on_files={props.on_files.clone()} label={t(lang, Text::ChooseFiles)} />
                    <button type="button" class="button primary" data-testid="demo-button" onclick={on_demo} disabled={props.busy}>
                        { t(lang, Text::LoadDemo) }
                    </button>
                </div>
                <p class="hint">{ t(lang, Text::SupportedFormats) }</p>
            </div>
            <p class="privacy">{ t(lang, Text::PrivacyNote) }</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProblemListProps {
    pub lang: Lang,
    pub problems: Vec<Problem>,
}

/// The problems of the last load (`load-problems`, one child per problem).
#[function_component(ProblemList)]
pub fn problem_list(props: &ProblemListProps) -> Html {
    if props.problems.is_empty() {
        return html! {};
    }
    html! {
        <section class="problems">
            <h2>{ t(props.lang, Text::ProblemsHeading) }</h2>
            <ul data-testid="load-problems">
                { for props.problems.iter().map(|p| html! {
                    <li>
                        <strong>{ p.file.clone() }</strong>
                        if !p.location.is_empty() { <span class="location">{ format!(" · {}", p.location) }</span> }
                        <span>{ format!(": {}", p.message) }</span>
                        if p.count > 1 { <span class="count">{ format!(" (×{})", p.count) }</span> }
                    </li>
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CompletenessProps {
    pub lang: Lang,
    pub time_mode: TimeMode,
    pub summary: LoadSummary,
}

/// What was loaded and what it lacks (`completeness-report`): per file its format, size,
/// SHA-256, records, alerts, problems and time range, then the signs of missing data.
#[function_component(CompletenessReport)]
pub fn completeness_report(props: &CompletenessProps) -> Html {
    let (lang, summary) = (props.lang, &props.summary);
    let range =
        |first: Option<alertweave_core::model::Timestamp>,
         last: Option<alertweave_core::model::Timestamp>| match (first, last) {
            (Some(a), Some(b)) => format!(
                "{} – {}",
                time_text(lang, a, props.time_mode),
                time_text(lang, b, props.time_mode)
            ),
            _ => String::new(),
        };
    let findings = i18n::completeness_findings(lang, &summary.completeness);
    html! {
        <details class="completeness" data-testid="completeness-report" open={!findings.is_empty()}>
            <summary>
                { i18n::load_summary_text(lang, summary.files.len(), summary.n_alerts, summary.n_incidents, summary.duplicate_records) }
                { format!(" · {}", range(summary.first_activity, summary.last_activity)) }
                if !findings.is_empty() { <span class="warn">{ format!(" · {}", i18n::findings_count(lang, findings.len())) }</span> }
            </summary>
            if !findings.is_empty() {
                <ul class="findings">{ for findings.iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ul>
            }
            if let Some(agreement) = &summary.source_agreement {
                <p class="agreement" data-testid="source-agreement">{ i18n::source_agreement_text(lang, agreement) }</p>
            }
            <div class="table-wrap" tabindex="0">
            <table class="data files">
                <thead><tr>
                    <th>{ t(lang, Text::ColFile) }</th><th>{ t(lang, Text::Format) }</th><th>{ t(lang, Text::ColSize) }</th>
                    <th>{ "SHA-256" }</th><th>{ t(lang, Text::ColRecords) }</th><th>{ t(lang, Text::ColAlerts) }</th>
                    <th>{ t(lang, Text::ColProblems) }</th><th>{ t(lang, Text::ColTimeRange) }</th>
                </tr></thead>
                <tbody>
                { for summary.files.iter().map(|f| html! {
                    <tr>
                        <td class="name">{ f.name.clone() }
                            if let Some(c) = &f.container { <div class="small muted mono">{ format!("{} · sha256 {}", c.name, c.sha256) }</div> }
                        </td>
                        <td>{ f.format.map_or(t(lang, Text::Unrecognized), |fmt| fmt.label()) }</td>
                        <td class="num">{ i18n::human_bytes(lang, f.bytes) }</td>
                        <td class="mono small">{ f.sha256.clone() }</td>
                        <td class="num">{ i18n::number(lang, f.records) }{ if f.skipped_records > 0 { format!(" ({} {})", i18n::number(lang, f.skipped_records), t(lang, Text::NotAlerts)) } else { String::new() } }</td>
                        <td class="num">{ i18n::number(lang, f.alerts) }</td>
                        <td class="num">{ i18n::number(lang, f.problems) }</td>
                        <td class="time">{ range(f.first_activity, f.last_activity) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        </details>
    }
}
