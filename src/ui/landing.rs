//! The landing view: drop zone, file picker, demo button, and the problems of a load.

use super::app::{files_of, FilePicker};
use super::i18n::{self, t, Lang, Text};
use crate::model::{IncidentId, Problem};
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
