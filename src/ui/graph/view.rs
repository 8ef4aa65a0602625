//! The Graph tab's component and its Canvas 2D drawing (wasm32 only).
//!
//! Yew renders the controls, the legend, the details panel and the accessible node list; the
//! canvas is drawn imperatively from a [`Canvas`] state shared with its event listeners, one
//! `requestAnimationFrame` per change (nothing is drawn while nothing changes). Pan, zoom and drag
//! never re-render Yew: only a selection, a hidden or grouped kind or a playback step does.

use super::scene::{self, Choices, Fill, Member, Prepared, Scene, View};
use crate::ui::app::time_text;
use alertweave_core::model::{Severity, Verdict};
use alertweave_core::query::GraphView;
use alertweave_text::format::TimeMode;
use alertweave_text::i18n::{self, t, Lang, Text};
use gloo::events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GraphProps {
    pub lang: Lang,
    #[prop_or_default]
    pub time_mode: TimeMode,
    pub graph: GraphView,
}

/// How many linked nodes the details panel lists.
const MAX_LINKED: usize = 40;
/// At most this many labels per frame (a zoomed-in view of a dense graph stays fast).
const MAX_LABELS: usize = 400;

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(max - 1).collect::<String>())
    }
}

/// The tab's choices, one reducer so the playback timer reads the current step.
#[derive(Debug, Clone, PartialEq, Default)]
struct Ui {
    selected: Option<String>,
    choices: Choices,
    playing: bool,
    n_alerts: usize,
}

enum Act {
    Select(Option<String>),
    ToggleHidden(String),
    ToggleGroup(String),
    Step(usize),
    Tick,
    Play,
    Pause,
    Reset(usize),
    /// A grouped entity picked in the list: its kind is expanded and it is selected.
    ExpandAndSelect(String, String),
}

impl Reducible for Ui {
    type Action = Act;

    fn reduce(self: Rc<Self>, action: Act) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Act::Select(id) => next.selected = id,
            Act::ToggleHidden(kind) => {
                if !next.choices.hidden.remove(&kind) {
                    next.choices.hidden.insert(kind);
                }
            }
            Act::ToggleGroup(kind) => {
                if !next.choices.expanded.remove(&kind) {
                    next.choices.expanded.insert(kind);
                }
            }
            Act::Step(step) => {
                next.playing = false;
                next.choices.step = (step < next.n_alerts).then_some(step);
            }
            Act::Tick => {
                let step = next.choices.step.unwrap_or(next.n_alerts);
                let step = (step + (next.n_alerts / 60).max(1)).min(next.n_alerts);
                next.choices.step = Some(step);
                if step >= next.n_alerts {
                    next.playing = false;
                    next.choices.step = None;
                }
            }
            Act::Play => {
                if next.choices.step.is_none_or(|s| s >= next.n_alerts) {
                    next.choices.step = Some(1.min(next.n_alerts));
                }
                next.playing = true;
            }
            Act::Pause => next.playing = false,
            Act::ExpandAndSelect(kind, id) => {
                next.choices.expanded.insert(kind);
                next.selected = Some(id);
            }
            // The same graph size: nothing to reset (and no re-render of a long list).
            Act::Reset(n_alerts) if n_alerts == self.n_alerts => return self,
            Act::Reset(n_alerts) => {
                next = Ui {
                    n_alerts,
                    ..Ui::default()
                };
            }
        }
        Rc::new(next)
    }
}

/// The colours of one frame, read from the page's CSS variables (so the dark theme applies).
struct Palette {
    edge: String,
    edge_link: String,
    edge_lit: String,
    node: String,
    ring: String,
    selected: String,
    text: String,
    halo: String,
    severity: [String; 6],
    verdict: [String; 4],
    kinds: HashMap<String, String>,
}

fn kind_var(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "device" => "--kind-device",
        "user" => "--kind-user",
        "mailbox" => "--kind-mailbox",
        "mail_message" => "--kind-mail-message",
        "ip" => "--kind-ip",
        "url" => "--kind-url",
        "file" => "--kind-file",
        "process" => "--kind-process",
        "cloud_app" => "--kind-cloud-app",
        _ => return None,
    })
}

fn severity_slot(s: Severity) -> usize {
    match s {
        Severity::Unknown => 0,
        Severity::Informational => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

fn verdict_slot(v: Verdict) -> usize {
    match v {
        Verdict::Unknown => 0,
        Verdict::NoThreatsFound => 1,
        Verdict::Suspicious => 2,
        Verdict::Malicious => 3,
    }
}

impl Palette {
    fn read(kinds: &[(String, usize)]) -> Option<Palette> {
        let window = web_sys::window()?;
        let root = window.document()?.document_element()?;
        let style = window.get_computed_style(&root).ok()??;
        let var = |name: &str| {
            style
                .get_property_value(name)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let node = var("--node");
        Some(Palette {
            edge: var("--edge"),
            edge_link: var("--edge-link"),
            edge_lit: var("--edge-lit"),
            ring: var("--node-ring"),
            selected: var("--node-selected"),
            text: var("--text"),
            halo: var("--panel"),
            severity: [
                var("--sev-info"),
                var("--sev-info"),
                var("--sev-low"),
                var("--sev-medium"),
                var("--sev-high"),
                var("--sev-critical"),
            ],
            verdict: [node.clone(), var("--clean"), var("--sus"), var("--mal")],
            kinds: kinds
                .iter()
                .map(|(k, _)| {
                    (
                        k.clone(),
                        kind_var(k).map(var).unwrap_or_else(|| node.clone()),
                    )
                })
                .collect(),
            node,
        })
    }

    fn fill(&self, fill: Fill) -> &str {
        match fill {
            Fill::Severity(s) => &self.severity[severity_slot(s)],
            Fill::Verdict(v) => &self.verdict[verdict_slot(v)],
            Fill::Group => &self.node,
        }
    }
}

/// The fill buckets a frame draws, one path each.
const FILLS: [Fill; 11] = [
    Fill::Group,
    Fill::Verdict(Verdict::Unknown),
    Fill::Verdict(Verdict::NoThreatsFound),
    Fill::Verdict(Verdict::Suspicious),
    Fill::Verdict(Verdict::Malicious),
    Fill::Severity(Severity::Unknown),
    Fill::Severity(Severity::Informational),
    Fill::Severity(Severity::Low),
    Fill::Severity(Severity::Medium),
    Fill::Severity(Severity::High),
    Fill::Severity(Severity::Critical),
];

enum Drag {
    Pan {
        start: (f32, f32),
        last: (f32, f32),
        moved: bool,
    },
    Node {
        i: u32,
        start: (f32, f32),
        offset: (f32, f32),
        moved: bool,
    },
}

/// What the canvas and its listeners share.
struct Canvas {
    el: Option<HtmlCanvasElement>,
    prepared: Rc<Prepared>,
    scene: Scene,
    /// Node indices by fill bucket (`FILLS` order) and by kind, for batched paths.
    by_fill: Vec<Vec<u32>>,
    by_kind: Vec<(String, Vec<u32>)>,
    view: View,
    fitted: bool,
    selected: Option<u32>,
    /// The selected node and its neighbours.
    lit: Vec<bool>,
    any_lit: bool,
    drag: Option<Drag>,
    /// Nodes the analyst dragged, by id, kept over hiding, grouping and playback.
    moved: HashMap<String, (f32, f32)>,
    on_select: Option<Callback<Option<String>>>,
    tick: Option<Closure<dyn FnMut(f64)>>,
    pending: Option<i32>,
    /// Milliseconds the last frame's drawing took (also on the canvas as `data-draw-ms`).
    draw_ms: f64,
    /// The interface language, for the group labels drawn on the canvas.
    lang: Lang,
}

impl Canvas {
    fn new(prepared: Rc<Prepared>) -> Canvas {
        Canvas {
            el: None,
            scene: Scene::build(&prepared, &Choices::default(), &HashMap::new()),
            prepared,
            by_fill: Vec::new(),
            by_kind: Vec::new(),
            view: View::default(),
            fitted: false,
            selected: None,
            lit: Vec::new(),
            any_lit: false,
            drag: None,
            moved: HashMap::new(),
            on_select: None,
            tick: None,
            pending: None,
            draw_ms: 0.0,
            lang: Lang::En,
        }
    }

    fn set_scene(&mut self, scene: Scene) {
        self.by_fill = FILLS
            .iter()
            .map(|&f| {
                (0..scene.nodes.len() as u32)
                    .filter(|&i| scene.nodes[i as usize].fill == f)
                    .collect()
            })
            .collect();
        let mut by_kind: Vec<(String, Vec<u32>)> = Vec::new();
        for (i, n) in scene.nodes.iter().enumerate() {
            match by_kind.iter_mut().find(|(k, _)| *k == n.kind) {
                Some((_, v)) => v.push(i as u32),
                None => by_kind.push((n.kind.clone(), vec![i as u32])),
            }
        }
        self.by_kind = by_kind;
        self.scene = scene;
    }

    fn select(&mut self, id: Option<&str>) {
        self.selected = id.and_then(|id| self.scene.index_of(id));
        self.lit = vec![false; self.scene.nodes.len()];
        self.any_lit = false;
        if let Some(i) = self.selected {
            self.lit[i as usize] = true;
            for &j in &self.scene.adjacency[i as usize] {
                self.lit[j as usize] = true;
            }
            self.any_lit = true;
        }
    }

    fn size(&self) -> (f32, f32) {
        self.el
            .as_ref()
            .map(|el| (el.client_width() as f32, el.client_height() as f32))
            .unwrap_or((0.0, 0.0))
    }

    fn fit(&mut self) {
        let (w, h) = self.size();
        if let Some(bounds) = self.scene.bounds() {
            if w > 0.0 && h > 0.0 {
                self.view = View::fit(bounds, w, h);
                self.fitted = true;
            }
        }
    }

    fn zoom_centre(&mut self, factor: f32) {
        let (w, h) = self.size();
        self.view.zoom_at(factor, w / 2.0, h / 2.0);
    }

    fn draw(&mut self) {
        let Some(el) = self.el.clone() else {
            return;
        };
        let window = match web_sys::window() {
            Some(w) => w,
            None => return,
        };
        let now = || window.performance().map(|p| p.now()).unwrap_or(0.0);
        let t0 = now();
        let (w, h) = self.size();
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        if !self.fitted {
            self.fit();
        }
        let dpr = window.device_pixel_ratio().max(1.0);
        let (pw, ph) = (
            (w as f64 * dpr).round() as u32,
            (h as f64 * dpr).round() as u32,
        );
        if el.width() != pw {
            el.set_width(pw);
        }
        if el.height() != ph {
            el.set_height(ph);
        }
        let Some(ctx) = el
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let Some(pal) = Palette::read(&self.prepared.kinds) else {
            return;
        };
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
        let v = self.view;
        let s = v.scale as f64;
        let _ = ctx.set_transform(
            dpr * s,
            0.0,
            0.0,
            dpr * s,
            dpr * v.tx as f64,
            dpr * v.ty as f64,
        );
        // The world rectangle in view, with room for the largest node.
        let (x0, y0) = v.to_world(-50.0, -50.0);
        let (x1, y1) = v.to_world(w + 50.0, h + 50.0);
        let nodes = &self.scene.nodes;
        let inside = |i: u32| {
            let n = &nodes[i as usize];
            n.x >= x0 && n.x <= x1 && n.y >= y0 && n.y <= y1
        };
        let lit = |i: u32| self.lit.get(i as usize).copied().unwrap_or(false);
        let dim = self.any_lit;
        let px = 1.0 / s;

        // Edges: plain, then linking, then (with a selection) the selected node's on top.
        for (linking, colour, width) in [(false, &pal.edge, 1.0), (true, &pal.edge_link, 1.6)] {
            ctx.begin_path();
            for &(a, b, l) in &self.scene.edges {
                if l != linking || (dim && self.selected.is_some_and(|sel| sel == a || sel == b)) {
                    continue;
                }
                let (na, nb) = (&nodes[a as usize], &nodes[b as usize]);
                if (na.x < x0 && nb.x < x0)
                    || (na.x > x1 && nb.x > x1)
                    || (na.y < y0 && nb.y < y0)
                    || (na.y > y1 && nb.y > y1)
                {
                    continue;
                }
                ctx.move_to(na.x as f64, na.y as f64);
                ctx.line_to(nb.x as f64, nb.y as f64);
            }
            ctx.set_global_alpha(if dim { 0.15 } else { 1.0 });
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(width * px);
            ctx.stroke();
        }
        if let Some(sel) = self.selected {
            ctx.begin_path();
            for &(a, b, _) in &self.scene.edges {
                if a == sel || b == sel {
                    let (na, nb) = (&nodes[a as usize], &nodes[b as usize]);
                    ctx.move_to(na.x as f64, na.y as f64);
                    ctx.line_to(nb.x as f64, nb.y as f64);
                }
            }
            ctx.set_global_alpha(1.0);
            ctx.set_stroke_style_str(&pal.edge_lit);
            ctx.set_line_width(2.0 * px);
            ctx.stroke();
        }

        // Nodes: the dimmed ones first, then the lit ones; one path per colour.
        // On screen a node is at least 1.5 px across its radius, a group node 9 px.
        let min_r = 1.5 * px as f32;
        let group_r = 9.0 * px as f32;
        let radius = |n: &scene::SceneNode| match n.member {
            Member::Group { .. } => n.r.max(group_r),
            Member::Node(_) => n.r.max(min_r),
        };
        let rings = s >= 0.35;
        let mut in_view = 0usize;
        let passes: &[bool] = if dim { &[false, true] } else { &[true] };
        for &pass_lit in passes {
            ctx.set_global_alpha(if dim && !pass_lit { 0.2 } else { 1.0 });
            let wanted = |i: u32| !dim || lit(i) == pass_lit;
            for (bucket, &fill) in self.by_fill.iter().zip(FILLS.iter()) {
                ctx.begin_path();
                let mut any = false;
                for &i in bucket {
                    if !wanted(i) || !inside(i) {
                        continue;
                    }
                    if pass_lit {
                        in_view += 1;
                    }
                    let n = &nodes[i as usize];
                    let r = radius(n) as f64;
                    ctx.move_to(n.x as f64 + r, n.y as f64);
                    let _ = ctx.arc(n.x as f64, n.y as f64, r, 0.0, std::f64::consts::TAU);
                    any = true;
                }
                if any {
                    ctx.set_fill_style_str(pal.fill(fill));
                    ctx.fill();
                }
            }
            // Entities and groups: a ring in their kind's colour; alerts: a light ring. Only
            // when nodes are big enough to show one; groups always.
            for (kind, members) in &self.by_kind {
                let group = members
                    .first()
                    .is_some_and(|&i| matches!(nodes[i as usize].member, Member::Group { .. }));
                if !rings && !group {
                    continue;
                }
                let colour = if kind == "alert" {
                    &pal.ring
                } else {
                    pal.kinds.get(kind).unwrap_or(&pal.node)
                };
                ctx.begin_path();
                let mut any = false;
                for &i in members {
                    if !wanted(i) || !inside(i) {
                        continue;
                    }
                    let n = &nodes[i as usize];
                    let r = radius(n) as f64;
                    ctx.move_to(n.x as f64 + r, n.y as f64);
                    let _ = ctx.arc(n.x as f64, n.y as f64, r, 0.0, std::f64::consts::TAU);
                    any = true;
                }
                if any {
                    ctx.set_stroke_style_str(colour);
                    ctx.set_line_width(match (group, kind.as_str()) {
                        (true, _) => 3.0 * px,
                        (false, "alert") => 2.0,
                        (false, _) => 3.0,
                    });
                    ctx.stroke();
                }
            }
        }
        if let Some(sel) = self.selected {
            let n = &nodes[sel as usize];
            ctx.begin_path();
            let _ = ctx.arc(
                n.x as f64,
                n.y as f64,
                radius(n) as f64 + 4.0 * px,
                0.0,
                std::f64::consts::TAU,
            );
            ctx.set_global_alpha(1.0);
            ctx.set_stroke_style_str(&pal.selected);
            ctx.set_line_width(3.0 * px);
            ctx.stroke();
        }

        // Labels in screen space: all of them when few nodes show or when zoomed in, else only
        // groups, the selected node and its neighbours.
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.set_global_alpha(1.0);
        ctx.set_font("12px system-ui, -apple-system, \"Segoe UI\", sans-serif");
        ctx.set_line_join("round");
        ctx.set_line_width(3.0);
        ctx.set_fill_style_str(&pal.text);
        ctx.set_stroke_style_str(&pal.halo);
        let all_labels = scene::labels_at(v.scale, in_view);
        // Candidates by priority: the selected node and its neighbours, groups, alerts, entities.
        let mut candidates: Vec<(u8, u32)> = nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let i = i as u32;
                let group = matches!(n.member, Member::Group { .. });
                let shown =
                    inside(i) && (all_labels || group || lit(i)) && !(dim && !lit(i) && !group);
                let rank = match (self.selected == Some(i), lit(i), group, n.kind == "alert") {
                    (true, ..) => 0,
                    (_, true, ..) => 1,
                    (_, _, true, _) => 2,
                    (_, _, _, true) => 3,
                    _ => 4,
                };
                shown.then_some((rank, i))
            })
            .collect();
        candidates.sort_unstable();
        let texts: Vec<(String, f64, f64)> = candidates
            .iter()
            .map(|&(_, i)| {
                let n = &nodes[i as usize];
                let text = match &n.member {
                    Member::Group { kind, members } => {
                        i18n::graph_group_label(self.lang, kind, members.len())
                    }
                    Member::Node(_) => short(&n.label, 28),
                };
                let (sx, sy) = v.to_screen(n.x, n.y);
                let lx = (sx + radius(n) * v.scale + 4.0) as f64;
                (text, lx, sy as f64 + 4.0)
            })
            .collect();
        let boxes: Vec<(f32, f32, f32, f32)> = texts
            .iter()
            .map(|(text, x, y)| {
                let width = ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
                (*x as f32, *y as f32 - 11.0, width as f32 + 2.0, 14.0)
            })
            .collect();
        let keep = scene::place_labels(&boxes, MAX_LABELS);
        for ((text, x, y), keep) in texts.iter().zip(keep) {
            if keep {
                let _ = ctx.stroke_text(text, *x, *y);
                let _ = ctx.fill_text(text, *x, *y);
            }
        }
        self.draw_ms = now() - t0;
        let attrs = [
            ("data-scale", format!("{:.3}", v.scale)),
            (
                "data-transform",
                format!("{:.3} {:.1} {:.1}", v.scale, v.tx, v.ty),
            ),
            ("data-nodes", nodes.len().to_string()),
            ("data-in-view", in_view.to_string()),
            ("data-draw-ms", format!("{:.2}", self.draw_ms)),
            // Where the selected node is on the canvas (CSS pixels), for tests and tools.
            (
                "data-selected-at",
                self.selected
                    .map(|i| {
                        let (x, y) = v.to_screen(nodes[i as usize].x, nodes[i as usize].y);
                        format!("{x:.1} {y:.1}")
                    })
                    .unwrap_or_default(),
            ),
        ];
        for (name, value) in attrs {
            let _ = el.set_attribute(name, &value);
        }
    }
}

/// Asks for one animation frame to draw in, unless one is already on its way.
fn request_frame(state: &Rc<RefCell<Canvas>>) {
    let mut c = state.borrow_mut();
    if c.pending.is_some() {
        return;
    }
    if c.tick.is_none() {
        let weak: Weak<RefCell<Canvas>> = Rc::downgrade(state);
        c.tick = Some(Closure::new(move |_: f64| {
            if let Some(state) = weak.upgrade() {
                let mut c = state.borrow_mut();
                c.pending = None;
                c.draw();
            }
        }));
    }
    let id = match (web_sys::window(), c.tick.as_ref()) {
        (Some(window), Some(tick)) => window
            .request_animation_frame(tick.as_ref().unchecked_ref())
            .ok(),
        _ => None,
    };
    c.pending = id;
}

fn pointer_xy(e: &web_sys::MouseEvent) -> (f32, f32) {
    (e.offset_x() as f32, e.offset_y() as f32)
}

/// The canvas's listeners: pointer (pan, drag, click), wheel (zoom at the pointer), keys,
/// window resize and theme changes. Dropping the returned guard removes them.
fn listen(el: &HtmlCanvasElement, state: &Rc<RefCell<Canvas>>) -> Vec<EventListener> {
    let mut listeners = Vec::new();
    let on = |name: &'static str, active: bool, f: Box<dyn Fn(&Event)>| {
        let options = if active {
            EventListenerOptions::enable_prevent_default()
        } else {
            EventListenerOptions::default()
        };
        EventListener::new_with_options(el, name, options, move |e| f(e))
    };
    {
        let st = state.clone();
        let el2 = el.clone();
        listeners.push(on(
            "pointerdown",
            false,
            Box::new(move |e| {
                let Some(e) = e.dyn_ref::<web_sys::PointerEvent>() else {
                    return;
                };
                if e.button() != 0 {
                    return;
                }
                let _ = el2.set_pointer_capture(e.pointer_id());
                let _ = el2.focus();
                let p = pointer_xy(e);
                let mut c = st.borrow_mut();
                let (wx, wy) = c.view.to_world(p.0, p.1);
                let slop = 4.0 / c.view.scale;
                c.drag = Some(match c.scene.hit(wx, wy, slop) {
                    Some(i) => {
                        let n = &c.scene.nodes[i as usize];
                        Drag::Node {
                            i,
                            start: p,
                            offset: (n.x - wx, n.y - wy),
                            moved: false,
                        }
                    }
                    None => Drag::Pan {
                        start: p,
                        last: p,
                        moved: false,
                    },
                });
            }),
        ));
    }
    {
        let st = state.clone();
        let el2 = el.clone();
        listeners.push(on(
            "pointermove",
            false,
            Box::new(move |e| {
                let Some(e) = e.dyn_ref::<web_sys::PointerEvent>() else {
                    return;
                };
                let p = pointer_xy(e);
                let mut redraw = false;
                {
                    let mut guard = st.borrow_mut();
                    let c = &mut *guard;
                    let far =
                        |start: (f32, f32)| (p.0 - start.0).abs() + (p.1 - start.1).abs() > 3.0;
                    match &mut c.drag {
                        Some(Drag::Pan { start, last, moved }) => {
                            *moved |= far(*start);
                            if *moved {
                                c.view.pan(p.0 - last.0, p.1 - last.1);
                                *last = p;
                                redraw = true;
                            }
                        }
                        Some(Drag::Node {
                            i,
                            start,
                            offset,
                            moved,
                        }) => {
                            *moved |= far(*start);
                            if *moved {
                                let (wx, wy) = c.view.to_world(p.0, p.1);
                                let (x, y) = (wx + offset.0, wy + offset.1);
                                let i = *i;
                                c.scene.move_node(i, x, y);
                                let id = c.scene.nodes[i as usize].id.clone();
                                c.moved.insert(id, (x, y));
                                redraw = true;
                            }
                        }
                        None => {
                            let (wx, wy) = c.view.to_world(p.0, p.1);
                            let over = c.scene.hit(wx, wy, 4.0 / c.view.scale).is_some();
                            let _ =
                                el2.set_attribute("data-cursor", if over { "node" } else { "" });
                        }
                    }
                }
                if redraw {
                    request_frame(&st);
                }
            }),
        ));
    }
    for name in ["pointerup", "pointercancel"] {
        let st = state.clone();
        listeners.push(on(
            name,
            false,
            Box::new(move |e| {
                let cancelled = e.type_() == "pointercancel";
                let (callback, pick) = {
                    let mut c = st.borrow_mut();
                    let pick = match c.drag.take() {
                        Some(Drag::Node {
                            i, moved: false, ..
                        }) => Some(Some(c.scene.nodes[i as usize].id.clone())),
                        Some(Drag::Pan { moved: false, .. }) => Some(None),
                        _ => None,
                    };
                    (c.on_select.clone(), pick)
                };
                if let (Some(callback), Some(pick), false) = (callback, pick, cancelled) {
                    callback.emit(pick);
                }
                request_frame(&st);
            }),
        ));
    }
    {
        let st = state.clone();
        listeners.push(on(
            "wheel",
            true,
            Box::new(move |e| {
                let Some(e) = e.dyn_ref::<web_sys::WheelEvent>() else {
                    return;
                };
                e.prevent_default();
                let unit = match e.delta_mode() {
                    1 => 40.0,
                    2 => 400.0,
                    _ => 1.0,
                };
                let factor = (-e.delta_y() * unit * 0.0015).exp() as f32;
                let p = pointer_xy(e);
                st.borrow_mut().view.zoom_at(factor, p.0, p.1);
                request_frame(&st);
            }),
        ));
    }
    {
        let st = state.clone();
        listeners.push(on(
            "keydown",
            true,
            Box::new(move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let mut deselect = false;
                {
                    let mut c = st.borrow_mut();
                    match e.key().as_str() {
                        "ArrowLeft" => c.view.pan(60.0, 0.0),
                        "ArrowRight" => c.view.pan(-60.0, 0.0),
                        "ArrowUp" => c.view.pan(0.0, 60.0),
                        "ArrowDown" => c.view.pan(0.0, -60.0),
                        "+" | "=" => c.zoom_centre(1.25),
                        "-" | "_" => c.zoom_centre(0.8),
                        "0" => c.fit(),
                        "Escape" => deselect = true,
                        _ => return,
                    }
                }
                e.prevent_default();
                if deselect {
                    let callback = st.borrow().on_select.clone();
                    if let Some(callback) = callback {
                        callback.emit(None);
                    }
                }
                request_frame(&st);
            }),
        ));
    }
    if let Some(window) = web_sys::window() {
        let st = state.clone();
        listeners.push(EventListener::new(&window, "resize", move |_| {
            request_frame(&st)
        }));
        // The system's colour scheme (when no theme is chosen) changes the palette.
        if let Ok(Some(query)) = window.match_media("(prefers-color-scheme: dark)") {
            let st = state.clone();
            listeners.push(EventListener::new(&query, "change", move |_| {
                request_frame(&st)
            }));
        }
    }
    listeners
}

/// Redraws when `<html data-theme>` changes (the theme switch). Disconnected on drop.
struct ThemeWatch {
    observer: Option<web_sys::MutationObserver>,
    _callback: Closure<dyn FnMut()>,
}

impl ThemeWatch {
    fn new(state: &Rc<RefCell<Canvas>>) -> ThemeWatch {
        let weak = Rc::downgrade(state);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(st) = weak.upgrade() {
                request_frame(&st);
            }
        });
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).ok();
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let (Some(observer), Some(root)) = (&observer, root) {
            let init = web_sys::MutationObserverInit::new();
            init.set_attributes(true);
            init.set_attribute_filter(&js_sys::Array::of1(&JsValue::from_str("data-theme")));
            let _ = observer.observe_with_options(&root, &init);
        }
        ThemeWatch {
            observer,
            _callback: callback,
        }
    }
}

impl Drop for ThemeWatch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

fn kind_label(lang: Lang, kind: &str) -> String {
    i18n::node_kind_label(lang, kind)
}

fn node_text(lang: Lang, n: &scene::SceneNode) -> String {
    match &n.member {
        Member::Group { kind, members } => i18n::graph_group_label(lang, kind, members.len()),
        Member::Node(_) => format!("{}: {}", kind_label(lang, &n.kind), n.label),
    }
}

#[function_component(GraphTab)]
pub fn graph_tab(props: &GraphProps) -> Html {
    let lang = props.lang;
    let prepared = use_memo(props.graph.clone(), |g| Prepared::new(g.clone()));
    let ui = use_reducer(|| Ui {
        n_alerts: prepared.n_alerts(),
        ..Ui::default()
    });
    {
        let ui = ui.dispatcher();
        use_effect_with(prepared.n_alerts(), move |&n| ui.dispatch(Act::Reset(n)));
    }
    let scene = use_memo((prepared.clone(), ui.choices.clone()), |(p, choices)| {
        Scene::build(p, choices, &HashMap::new())
    });
    let canvas_ref = use_node_ref();
    let state = use_mut_ref(|| Canvas::new(prepared.clone()));

    // Mount: the canvas element, its listeners, the theme watch; on unmount the pending frame
    // is cancelled before the closure it would call goes away.
    {
        let state = state.clone();
        let canvas_ref = canvas_ref.clone();
        let dispatch = ui.dispatcher();
        use_effect_with((), move |_| {
            let el = canvas_ref.cast::<HtmlCanvasElement>();
            let listeners = el.as_ref().map(|el| listen(el, &state));
            let theme = ThemeWatch::new(&state);
            {
                let mut c = state.borrow_mut();
                c.el = el;
                c.on_select = Some(Callback::from(move |id| dispatch.dispatch(Act::Select(id))));
            }
            request_frame(&state);
            move || {
                drop(listeners);
                drop(theme);
                let mut c = state.borrow_mut();
                if let (Some(id), Some(window)) = (c.pending.take(), web_sys::window()) {
                    let _ = window.cancel_animation_frame(id);
                }
                c.on_select = None;
                c.el = None;
            }
        });
    }
    // A new graph, other choices or another selection: a new scene for the canvas.
    {
        let state = state.clone();
        let selected = ui.selected.clone();
        use_effect_with(
            (prepared.clone(), ui.choices.clone(), selected),
            move |(prepared, choices, selected)| {
                {
                    let mut c = state.borrow_mut();
                    if !Rc::ptr_eq(&c.prepared, prepared) {
                        if c.prepared.graph.nodes.len() != prepared.graph.nodes.len() {
                            c.fitted = false;
                            c.moved.clear();
                        }
                        c.prepared = prepared.clone();
                    }
                    let scene = Scene::build(prepared, choices, &c.moved);
                    c.set_scene(scene);
                    c.select(selected.as_deref());
                }
                request_frame(&state);
            },
        );
    }
    // The language of the labels drawn on the canvas.
    {
        let state = state.clone();
        use_effect_with(lang, move |&lang| {
            state.borrow_mut().lang = lang;
            request_frame(&state);
        });
    }
    // Playback: a timer while playing.
    {
        let dispatch = ui.dispatcher();
        use_effect_with(ui.playing, move |&playing| {
            let timer = playing.then(|| {
                gloo::timers::callback::Interval::new(350, move || dispatch.dispatch(Act::Tick))
            });
            move || drop(timer)
        });
    }

    let view_action = |f: fn(&mut Canvas)| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            f(&mut state.borrow_mut());
            request_frame(&state);
        })
    };
    let select = |id: Option<String>| {
        let dispatch = ui.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Act::Select(id.clone())))
    };

    let n_alerts = prepared.n_alerts();
    let step = ui.choices.step.unwrap_or(n_alerts);
    let playback = {
        let dispatch = ui.dispatcher();
        let on_input = Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(v) = input.value().parse::<usize>() {
                    dispatch.dispatch(Act::Step(v));
                }
            }
        });
        let dispatch = ui.dispatcher();
        let playing = ui.playing;
        let toggle = Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(if playing { Act::Pause } else { Act::Play })
        });
        let when = prepared
            .step_time(step)
            .map(|ts| time_text(lang, ts, props.time_mode))
            .unwrap_or_default();
        html! {
            <div class="graph-playback">
                <button type="button" data-testid="graph-play" aria-pressed={ui.playing.to_string()} onclick={toggle} disabled={n_alerts == 0}>
                    { t(lang, if ui.playing { Text::GraphPause } else { Text::GraphPlay }) }
                </button>
                <label class="graph-slider">
                    <span class="visually-hidden">{ t(lang, Text::GraphPlayback) }</span>
                    <input type="range" data-testid="graph-playback" min="0" max={n_alerts.to_string()} step="1"
                        value={step.to_string()} oninput={on_input} />
                </label>
                <span data-testid="graph-playback-status" class="small">
                    { i18n::graph_playback_status(lang, step, n_alerts) }
                    if !when.is_empty() { <span class="muted">{ format!(" · {when}") }</span> }
                </span>
            </div>
        }
    };

    let kinds = prepared.kinds.iter().map(|(kind, count)| {
        let shown = !ui.choices.hidden.contains(kind);
        let toggle = {
            let dispatch = ui.dispatcher();
            let kind = kind.clone();
            Callback::from(move |_: Event| dispatch.dispatch(Act::ToggleHidden(kind.clone())))
        };
        let groupable = kind != "alert" && *count > scene::GROUP_THRESHOLD;
        let grouped = scene::is_grouped(&prepared, &ui.choices, kind);
        let group_toggle = {
            let dispatch = ui.dispatcher();
            let kind = kind.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Act::ToggleGroup(kind.clone())))
        };
        html! {
            <li class={classes!("legend-item", format!("kind-{kind}"))}>
                <label>
                    <input type="checkbox" data-testid="graph-kind" data-kind={kind.clone()} checked={shown} onchange={toggle} />
                    <span class="swatch ring"></span>
                    { kind_label(lang, kind) }
                    <span class="muted">{ format!(" ({})", i18n::number(lang, *count)) }</span>
                </label>
                if groupable {
                    <button type="button" class="link-button" data-testid="graph-group" data-kind={kind.clone()}
                        aria-pressed={grouped.to_string()} onclick={group_toggle}>
                        { t(lang, if grouped { Text::GraphExpand } else { Text::GraphGroup }) }
                    </button>
                }
            </li>
        }
    });
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ];
    let verdicts = [
        Verdict::Malicious,
        Verdict::Suspicious,
        Verdict::NoThreatsFound,
        Verdict::Unknown,
    ];
    let legend = html! {
        <section class="graph-legend" aria-label={t(lang, Text::GraphLegend)}>
            <h3>{ t(lang, Text::GraphLegend) }</h3>
            <p class="small">{ t(lang, Text::GraphAlertsBySeverity) }</p>
            <ul class="swatches">
                { for severities.iter().map(|&s| html! {
                    <li><span class={classes!("swatch", format!("swatch-sev-{}", s.as_str()))}></span>{ i18n::severity_label(lang, s) }</li>
                }) }
            </ul>
            <p class="small">{ t(lang, Text::GraphEntitiesByVerdict) }</p>
            <ul class="swatches">
                { for verdicts.iter().map(|&v| html! {
                    <li><span class={classes!("swatch", format!("swatch-verdict-{}", v.as_str()))}></span>{ i18n::verdict_label(lang, v) }</li>
                }) }
            </ul>
            <p class="small">{ t(lang, Text::GraphNodeTypes) }</p>
            <ul class="graph-kinds">{ for kinds }</ul>
        </section>
    };

    let selected = ui.selected.as_deref().and_then(|id| scene.index_of(id));
    let neighbours: Vec<u32> = selected
        .map(|i| scene.adjacency[i as usize].clone())
        .unwrap_or_default();
    let details = selected.map(|i| {
        let n = &scene.nodes[i as usize];
        let linked = neighbours.iter().take(MAX_LINKED).map(|&j| {
            let m = &scene.nodes[j as usize];
            html! {
                <li><button type="button" class="node-button" onclick={select(Some(m.id.clone()))}>{ short(&node_text(lang, m), 60) }</button></li>
            }
        });
        let more = neighbours.len().saturating_sub(MAX_LINKED);
        let body = match &n.member {
            Member::Node(g) => {
                let g = &prepared.graph.nodes[*g as usize];
                let facts = match (g.severity, g.verdict) {
                    (Some(sev), _) => format!("{} · {}", kind_label(lang, &g.kind), i18n::severity_label(lang, sev)),
                    (None, Some(v)) => format!("{} · {}", kind_label(lang, &g.kind), i18n::verdict_label(lang, v)),
                    (None, None) => kind_label(lang, &g.kind),
                };
                let time_label = t(lang, if g.kind == "alert" { Text::ColFirstActivity } else { Text::ColFirstSeen });
                html! {
                    <>
                        <h3>{ g.label.clone() }</h3>
                        <p>{ facts }</p>
                        if let Some(ts) = g.time {
                            <p class="small">{ format!("{time_label}: {}", time_text(lang, ts, props.time_mode)) }</p>
                        }
                        if !g.identifiers.is_empty() {
                            <p class="small muted">{ t(lang, Text::ColIdentifiers) }</p>
                            <ul class="ids mono small">{ for g.identifiers.iter().take(8).map(|id| html! { <li>{ id.clone() }</li> }) }</ul>
                        }
                    </>
                }
            }
            Member::Group { kind, members } => {
                let dispatch = ui.dispatcher();
                let kind_owned = kind.clone();
                let expand = Callback::from(move |_: MouseEvent| {
                    dispatch.dispatch(Act::ToggleGroup(kind_owned.clone()));
                    dispatch.dispatch(Act::Select(None));
                });
                html! {
                    <>
                        <h3>{ i18n::graph_group_label(lang, kind, members.len()) }</h3>
                        <button type="button" data-testid="graph-expand" onclick={expand}>{ t(lang, Text::GraphExpand) }</button>
                    </>
                }
            }
        };
        html! {
            <section class="node-detail" data-testid="graph-details" data-node-id={n.id.clone()}>
                { body }
                <p class="small muted">{ format!("{} ({})", t(lang, Text::GraphLinked), i18n::number(lang, neighbours.len())) }</p>
                <ul class="linked">{ for linked }</ul>
                if more > 0 { <p class="small muted">{ i18n::graph_more(lang, more) }</p> }
                <button type="button" class="link-button" data-testid="graph-clear" onclick={select(None)}>{ t(lang, Text::GraphClearSelection) }</button>
            </section>
        }
    });

    let is_neighbour = {
        let mut lit = vec![false; scene.nodes.len()];
        for &j in &neighbours {
            lit[j as usize] = true;
        }
        lit
    };
    // One listener for the whole list (a click on an entry, or Enter / Space on it) instead of
    // one per entry: at 5,000 nodes that keeps a re-render cheap.
    let on_list_click = {
        let dispatch = ui.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let entry = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("[data-node-id]").ok().flatten());
            if let Some(entry) = entry {
                let pressed = entry.get_attribute("aria-pressed").as_deref() == Some("true");
                let id = entry.get_attribute("data-node-id");
                match (entry.get_attribute("data-group"), id) {
                    (Some(kind), Some(id)) => dispatch.dispatch(Act::ExpandAndSelect(kind, id)),
                    (_, id) => dispatch.dispatch(Act::Select(if pressed { None } else { id })),
                }
            }
        })
    };
    // Every node of the drawing, and under a group node its entities (picking one expands the
    // group and selects it): every node of the incident is reachable from here.
    let mut list: Vec<Html> = Vec::with_capacity(prepared.graph.nodes.len());
    for (i, n) in scene.nodes.iter().enumerate() {
        let is_selected = selected == Some(i as u32);
        let highlighted = is_selected || is_neighbour[i];
        let dim = selected.is_some() && !highlighted;
        list.push(html! {
            <li>
                <button type="button" data-testid="graph-node" data-node-id={n.id.clone()} data-kind={n.kind.clone()}
                    aria-pressed={is_selected.to_string()}
                    data-highlighted={highlighted.then_some("true")}
                    class={classes!("node-button", is_selected.then_some("selected"), dim.then_some("dim"))}>
                    { node_text(lang, n) }
                </button>
            </li>
        });
        if let Member::Group { kind, members } = &n.member {
            for &m in members {
                let g = &prepared.graph.nodes[m as usize];
                list.push(html! {
                    <li class="grouped">
                        <button type="button" data-testid="graph-node" data-node-id={g.node_id.clone()} data-kind={kind.clone()}
                            data-group={kind.clone()} aria-pressed="false"
                            class={classes!("node-button", dim.then_some("dim"))}>
                            { format!("{}: {}", kind_label(lang, kind), g.label) }
                        </button>
                    </li>
                });
            }
        }
    }

    html! {
        <div class="graph-tab">
            <div class="graph-toolbar">
                <div class="graph-zoom" role="group">
                    <button type="button" data-testid="graph-zoom-out" aria-label={t(lang, Text::GraphZoomOut)} title={t(lang, Text::GraphZoomOut)}
                        onclick={view_action(|c| c.zoom_centre(0.8))}>{ "−" }</button>
                    <button type="button" data-testid="graph-zoom-in" aria-label={t(lang, Text::GraphZoomIn)} title={t(lang, Text::GraphZoomIn)}
                        onclick={view_action(|c| c.zoom_centre(1.25))}>{ "+" }</button>
                    <button type="button" data-testid="graph-fit" onclick={view_action(Canvas::fit)}>{ t(lang, Text::GraphFit) }</button>
                </div>
                { playback }
            </div>
            <div class="graph-body">
                <div class="graph-stage">
                    <canvas ref={canvas_ref} data-testid="graph" class="graph-canvas" tabindex="0" role="img"
                        aria-label={format!("{}: {}", t(lang, Text::GraphCanvasLabel), i18n::graph_summary(lang, scene.nodes.len(), scene.edges.len()))}
                        aria-describedby="graph-hint"
                        data-selected={ui.selected.clone().unwrap_or_default()}></canvas>
                    <p id="graph-hint" class="small muted">{ t(lang, Text::GraphHint) }</p>
                </div>
                <aside class="graph-side">
                    { for details }
                    { legend }
                </aside>
            </div>
            <details class="node-list" open=true>
                <summary>{ format!("{} ({})", t(lang, Text::GraphNodes), i18n::number(lang, scene.nodes.len())) }</summary>
                <ul onclick={on_list_click}>{ for list.into_iter() }</ul>
            </details>
        </div>
    }
}
