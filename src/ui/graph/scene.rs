//! What the Graph tab draws, as plain Rust: the worker's [`GraphView`] prepared once (world
//! coordinates, edges by index, playback order), then a [`Scene`] for the current choices
//! (hidden kinds, grouped kinds, playback step, dragged nodes) with neighbours and a spatial grid
//! for hit-testing, and the [`View`] transform that pans and zooms it. Tested natively.

use alertweave_core::model::{Severity, Timestamp, Verdict};
use alertweave_core::query::GraphView;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Above this many entities of one kind, they are drawn as one group node until expanded.
pub const GROUP_THRESHOLD: usize = 40;
/// Radius of an alert node, of an entity node, in world units.
pub const ALERT_RADIUS: f32 = 12.0;
pub const ENTITY_RADIUS: f32 = 8.0;
/// Zoom limits.
pub const MIN_SCALE: f32 = 0.02;
pub const MAX_SCALE: f32 = 8.0;

/// The side of the world square the layout's unit square maps to: nodes keep roughly the same
/// spacing in world units whatever their number, so node sizes and label rules hold at 5 and at
/// 5,000 nodes.
pub fn world_size(n: usize) -> f32 {
    1000.0 * (n as f32 / 400.0).sqrt().max(1.0)
}

/// The worker's graph, indexed once per incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub graph: GraphView,
    /// World positions, by node index.
    pub pos: Vec<(f32, f32)>,
    /// Edges as node indices (both ends known), with their `linking` flag.
    pub edges: Vec<(u32, u32, bool)>,
    /// Node kinds with their counts: `alert` first, then entity kinds, most frequent first.
    pub kinds: Vec<(String, usize)>,
    /// The playback step at which each node appears: alert number `i` (1-based, in order of
    /// first activity) at step `i`; an entity with its first alert; an entity without alerts at
    /// the end.
    pub reveal: Vec<u32>,
    /// Alerts in playback order (node indices).
    pub alert_order: Vec<u32>,
}

impl Prepared {
    pub fn new(graph: GraphView) -> Prepared {
        let n = graph.nodes.len();
        let size = world_size(n);
        // Screens are wider than tall: a layout that came out tall is turned on its side.
        let b = graph
            .nodes
            .iter()
            .fold((f32::MAX, f32::MIN, f32::MAX, f32::MIN), |b, g| {
                (b.0.min(g.x), b.1.max(g.x), b.2.min(g.y), b.3.max(g.y))
            });
        let tall = n > 1 && (b.3 - b.2) > (b.1 - b.0) * 1.1;
        let pos = graph
            .nodes
            .iter()
            .map(|g| {
                if tall {
                    (g.y * size, g.x * size)
                } else {
                    (g.x * size, g.y * size)
                }
            })
            .collect();
        let index: HashMap<&str, u32> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(i, g)| (g.node_id.as_str(), i as u32))
            .collect();
        let edges: Vec<(u32, u32, bool)> = graph
            .edges
            .iter()
            .filter_map(|e| {
                Some((
                    *index.get(e.from.as_str())?,
                    *index.get(e.to.as_str())?,
                    e.linking,
                ))
            })
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for g in &graph.nodes {
            *counts.entry(g.kind.as_str()).or_default() += 1;
        }
        let mut kinds: Vec<(String, usize)> =
            counts.into_iter().map(|(k, c)| (k.to_owned(), c)).collect();
        kinds.sort_by(|a, b| {
            (b.0 == "alert")
                .cmp(&(a.0 == "alert"))
                .then(b.1.cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        let mut alert_order: Vec<u32> = (0..n as u32)
            .filter(|&i| graph.nodes[i as usize].kind == "alert")
            .collect();
        let time = |i: u32| -> Option<Timestamp> { graph.nodes[i as usize].time };
        alert_order.sort_by(|&a, &b| {
            time(a).cmp(&time(b)).then_with(|| {
                graph.nodes[a as usize]
                    .node_id
                    .cmp(&graph.nodes[b as usize].node_id)
            })
        });
        let n_alerts = alert_order.len() as u32;
        let mut reveal = vec![n_alerts; n];
        for (rank, &i) in alert_order.iter().enumerate() {
            reveal[i as usize] = rank as u32 + 1;
        }
        for &(a, b, _) in &edges {
            for (alert, entity) in [(a, b), (b, a)] {
                if graph.nodes[alert as usize].kind == "alert"
                    && graph.nodes[entity as usize].kind != "alert"
                {
                    reveal[entity as usize] = reveal[entity as usize].min(reveal[alert as usize]);
                }
            }
        }
        Prepared {
            graph,
            pos,
            edges,
            kinds,
            reveal,
            alert_order,
        }
    }

    pub fn n_alerts(&self) -> usize {
        self.alert_order.len()
    }

    /// When the alert revealed at `step` (1-based) was first active.
    pub fn step_time(&self, step: usize) -> Option<Timestamp> {
        let i = *self.alert_order.get(step.checked_sub(1)?)?;
        self.graph.nodes[i as usize].time
    }
}

/// What a scene node stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// One node of the worker's graph (its index).
    Node(u32),
    /// The shown entities of one kind, as one node until expanded.
    Group { kind: String, members: Vec<u32> },
}

/// How a node is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fill {
    Severity(Severity),
    Verdict(Verdict),
    Group,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SceneNode {
    /// The worker's `node_id`, or `group:<kind>`.
    pub id: String,
    pub kind: String,
    pub label: String,
    pub fill: Fill,
    pub member: Member,
    pub x: f32,
    pub y: f32,
    pub r: f32,
}

/// The choices that make a scene out of a prepared graph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choices {
    /// Kinds not drawn at all.
    pub hidden: BTreeSet<String>,
    /// Kinds above [`GROUP_THRESHOLD`] drawn one node per entity anyway.
    pub expanded: BTreeSet<String>,
    /// Playback: how many alerts (in order of first activity) are revealed; `None` for all.
    pub step: Option<usize>,
}

/// The group node's id for `kind`.
pub fn group_id(kind: &str) -> String {
    format!("group:{kind}")
}

/// Whether `kind` is grouped under `choices` (entity kinds above the threshold, not expanded).
pub fn is_grouped(prepared: &Prepared, choices: &Choices, kind: &str) -> bool {
    kind != "alert"
        && !choices.expanded.contains(kind)
        && prepared
            .kinds
            .iter()
            .any(|(k, c)| k == kind && *c > GROUP_THRESHOLD)
}

/// The nodes and edges drawn for one set of choices.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub nodes: Vec<SceneNode>,
    /// Edges between scene nodes (deduplicated; `true` when any underlying edge links alerts).
    pub edges: Vec<(u32, u32, bool)>,
    pub adjacency: Vec<Vec<u32>>,
    index: HashMap<String, u32>,
    pub grid: Grid,
}

impl Scene {
    pub fn build(
        prepared: &Prepared,
        choices: &Choices,
        moved: &HashMap<String, (f32, f32)>,
    ) -> Scene {
        let step = choices.step.unwrap_or(usize::MAX);
        let graph = &prepared.graph;
        let mut nodes: Vec<SceneNode> = Vec::new();
        // Node index → scene index.
        let mut at: Vec<u32> = vec![u32::MAX; graph.nodes.len()];
        let mut groups: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (i, g) in graph.nodes.iter().enumerate() {
            if choices.hidden.contains(&g.kind) || prepared.reveal[i] as usize > step {
                continue;
            }
            if is_grouped(prepared, choices, &g.kind) {
                groups.entry(g.kind.as_str()).or_default().push(i as u32);
                continue;
            }
            let (x, y) = moved.get(&g.node_id).copied().unwrap_or(prepared.pos[i]);
            at[i] = nodes.len() as u32;
            nodes.push(SceneNode {
                id: g.node_id.clone(),
                kind: g.kind.clone(),
                label: g.label.clone(),
                fill: match (g.severity, g.verdict) {
                    (Some(s), _) => Fill::Severity(s),
                    (None, Some(v)) => Fill::Verdict(v),
                    (None, None) => Fill::Verdict(Verdict::Unknown),
                },
                member: Member::Node(i as u32),
                x,
                y,
                r: if g.kind == "alert" {
                    ALERT_RADIUS
                } else {
                    ENTITY_RADIUS
                },
            });
        }
        // One group sits at its members' centroid; several go on a ring around the drawing
        // (their centroids tend to coincide in the middle).
        let ring = (groups.len() > 1).then(|| {
            let b = bounds_of(prepared.pos.iter().copied());
            let centre = ((b.0 + b.2) / 2.0, (b.1 + b.3) / 2.0);
            let radius = ((b.2 - b.0).max(b.3 - b.1) / 2.0) * 1.1 + 60.0;
            (centre, radius)
        });
        let n_groups = groups.len();
        for (g, (kind, members)) in groups.into_iter().enumerate() {
            let id = group_id(kind);
            let n = members.len() as f32;
            let place = match ring {
                Some((centre, radius)) => {
                    let angle = g as f32 / n_groups as f32 * std::f32::consts::TAU
                        - std::f32::consts::FRAC_PI_2;
                    (
                        centre.0 + radius * angle.cos(),
                        centre.1 + radius * angle.sin(),
                    )
                }
                None => members.iter().fold((0.0, 0.0), |acc, &i| {
                    let p = prepared.pos[i as usize];
                    (acc.0 + p.0 / n, acc.1 + p.1 / n)
                }),
            };
            let (x, y) = moved.get(&id).copied().unwrap_or(place);
            let scene_index = nodes.len() as u32;
            for &i in &members {
                at[i as usize] = scene_index;
            }
            nodes.push(SceneNode {
                id,
                kind: kind.to_owned(),
                label: String::new(),
                fill: Fill::Group,
                x,
                y,
                r: (ENTITY_RADIUS + 2.0 * n.sqrt()).min(48.0),
                member: Member::Group {
                    kind: kind.to_owned(),
                    members,
                },
            });
        }
        let mut edge_set: BTreeMap<(u32, u32), bool> = BTreeMap::new();
        for &(a, b, linking) in &prepared.edges {
            let (sa, sb) = (at[a as usize], at[b as usize]);
            if sa == u32::MAX || sb == u32::MAX || sa == sb {
                continue;
            }
            *edge_set.entry((sa.min(sb), sa.max(sb))).or_default() |= linking;
        }
        let edges: Vec<(u32, u32, bool)> =
            edge_set.into_iter().map(|((a, b), l)| (a, b, l)).collect();
        let mut adjacency = vec![Vec::new(); nodes.len()];
        for &(a, b, _) in &edges {
            adjacency[a as usize].push(b);
            adjacency[b as usize].push(a);
        }
        let index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i as u32))
            .collect();
        let grid = Grid::build(&nodes);
        Scene {
            nodes,
            edges,
            adjacency,
            index,
            grid,
        }
    }

    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// The node under world point (`x`, `y`), with `slop` world units of tolerance.
    pub fn hit(&self, x: f32, y: f32, slop: f32) -> Option<u32> {
        self.grid.hit(&self.nodes, x, y, slop)
    }

    /// Moves node `i` (a drag), keeping the grid right.
    pub fn move_node(&mut self, i: u32, x: f32, y: f32) {
        let Some(node) = self.nodes.get_mut(i as usize) else {
            return;
        };
        let old = (node.x, node.y);
        node.x = x;
        node.y = y;
        self.grid.relocate(i, old, (x, y));
    }

    /// The world rectangle holding every node (with its radius): min x, min y, max x, max y.
    pub fn bounds(&self) -> Option<(f32, f32, f32, f32)> {
        self.nodes.iter().fold(None, |acc, n| {
            let b = (n.x - n.r, n.y - n.r, n.x + n.r, n.y + n.r);
            Some(match acc {
                None => b,
                Some(a) => (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)),
            })
        })
    }
}

/// The rectangle around `points`: min x, min y, max x, max y (zeros when there are none).
fn bounds_of(points: impl Iterator<Item = (f32, f32)>) -> (f32, f32, f32, f32) {
    let b = points.fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |b, p| {
        (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
    });
    if b.0 > b.2 {
        (0.0, 0.0, 0.0, 0.0)
    } else {
        b
    }
}

/// A uniform grid over the nodes' bounding box: a hit test looks at the few cells around the
/// pointer, not at every node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    cell: f32,
    min_x: f32,
    min_y: f32,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
    max_r: f32,
}

impl Grid {
    fn build(nodes: &[SceneNode]) -> Grid {
        if nodes.is_empty() {
            return Grid::default();
        }
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        let mut max_r = 0.0f32;
        for n in nodes {
            min_x = min_x.min(n.x);
            min_y = min_y.min(n.y);
            max_x = max_x.max(n.x);
            max_y = max_y.max(n.y);
            max_r = max_r.max(n.r);
        }
        let cell = (4.0 * ENTITY_RADIUS)
            .max((max_x - min_x).max(max_y - min_y) / 256.0)
            .max(1.0);
        let cols = ((max_x - min_x) / cell) as usize + 1;
        let rows = ((max_y - min_y) / cell) as usize + 1;
        let mut grid = Grid {
            cell,
            min_x,
            min_y,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
            max_r,
        };
        for (i, n) in nodes.iter().enumerate() {
            let c = grid.cell_of(n.x, n.y);
            grid.cells[c].push(i as u32);
        }
        grid
    }

    fn col_row(&self, x: f32, y: f32) -> (usize, usize) {
        let col = ((x - self.min_x) / self.cell).floor().max(0.0) as usize;
        let row = ((y - self.min_y) / self.cell).floor().max(0.0) as usize;
        (
            col.min(self.cols.saturating_sub(1)),
            row.min(self.rows.saturating_sub(1)),
        )
    }

    fn cell_of(&self, x: f32, y: f32) -> usize {
        let (c, r) = self.col_row(x, y);
        r * self.cols + c
    }

    fn relocate(&mut self, i: u32, old: (f32, f32), new: (f32, f32)) {
        if self.cells.is_empty() {
            return;
        }
        let (from, to) = (self.cell_of(old.0, old.1), self.cell_of(new.0, new.1));
        if from != to {
            self.cells[from].retain(|&j| j != i);
            self.cells[to].push(i);
        }
    }

    fn hit(&self, nodes: &[SceneNode], x: f32, y: f32, slop: f32) -> Option<u32> {
        if self.cells.is_empty() || !x.is_finite() || !y.is_finite() {
            return None;
        }
        let reach = self.max_r + slop;
        let (c0, r0) = self.col_row(x - reach, y - reach);
        let (c1, r1) = self.col_row(x + reach, y + reach);
        let mut best: Option<(f32, u32)> = None;
        for row in r0..=r1 {
            for col in c0..=c1 {
                for &i in &self.cells[row * self.cols + col] {
                    let n = &nodes[i as usize];
                    let d = ((n.x - x).powi(2) + (n.y - y).powi(2)).sqrt();
                    // Topmost (drawn last) wins ties.
                    if d <= n.r + slop && best.is_none_or(|(bd, bi)| d < bd || (d == bd && i > bi))
                    {
                        best = Some((d, i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }
}

/// The pan and zoom: a screen point is `world × scale + (tx, ty)` (CSS pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub scale: f32,
    pub tx: f32,
    pub ty: f32,
}

impl Default for View {
    fn default() -> View {
        View {
            scale: 1.0,
            tx: 0.0,
            ty: 0.0,
        }
    }
}

impl View {
    pub fn to_screen(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.scale + self.tx, y * self.scale + self.ty)
    }

    pub fn to_world(&self, sx: f32, sy: f32) -> (f32, f32) {
        ((sx - self.tx) / self.scale, (sy - self.ty) / self.scale)
    }

    /// Zooms by `factor` keeping the world point under screen point (`sx`, `sy`) in place.
    pub fn zoom_at(&mut self, factor: f32, sx: f32, sy: f32) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let (wx, wy) = self.to_world(sx, sy);
        self.scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        self.tx = sx - wx * self.scale;
        self.ty = sy - wy * self.scale;
    }

    pub fn pan(&mut self, dx: f32, dy: f32) {
        self.tx += dx;
        self.ty += dy;
    }

    /// The view that shows `bounds` whole and centred in a `width` × `height` surface, no
    /// closer than 1.5× (a graph of five nodes is not blown up to fill the screen).
    pub fn fit(bounds: (f32, f32, f32, f32), width: f32, height: f32) -> View {
        let margin = 24.0;
        let (w, h) = (
            (bounds.2 - bounds.0).max(1.0),
            (bounds.3 - bounds.1).max(1.0),
        );
        let scale = ((width - 2.0 * margin).max(10.0) / w)
            .min((height - 2.0 * margin).max(10.0) / h)
            .clamp(MIN_SCALE, 1.5);
        let (cx, cy) = ((bounds.0 + bounds.2) / 2.0, (bounds.1 + bounds.3) / 2.0);
        View {
            scale,
            tx: width / 2.0 - cx * scale,
            ty: height / 2.0 - cy * scale,
        }
    }
}

/// Whether to write node labels at `scale` when `visible` nodes are in view (the selected node
/// and its neighbours are always labelled): every label while few nodes show, else only when
/// zoomed in far enough that labels no longer overlap much.
pub fn labels_at(scale: f32, visible: usize) -> bool {
    visible <= 80 || scale >= 1.2
}

/// Greedy label placement: keeps each box (left, top, width, height, in screen pixels) that
/// overlaps no box kept before it, at most `max` of them; callers list boxes by priority
/// (selected and neighbours, groups, alerts, then entities). A coarse grid keeps it linear.
pub fn place_labels(boxes: &[(f32, f32, f32, f32)], max: usize) -> Vec<bool> {
    const CELL_W: f32 = 96.0;
    const CELL_H: f32 = 16.0;
    let mut kept = vec![false; boxes.len()];
    let mut grid: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    let cells = |b: &(f32, f32, f32, f32)| {
        let (c0, c1) = (
            (b.0 / CELL_W).floor() as i32,
            ((b.0 + b.2) / CELL_W).floor() as i32,
        );
        let (r0, r1) = (
            (b.1 / CELL_H).floor() as i32,
            ((b.1 + b.3) / CELL_H).floor() as i32,
        );
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| (c, r)))
    };
    let overlap = |a: &(f32, f32, f32, f32), b: &(f32, f32, f32, f32)| {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    };
    let mut count = 0;
    for (i, b) in boxes.iter().enumerate() {
        if count >= max {
            break;
        }
        if !b.0.is_finite() || !b.1.is_finite() {
            continue;
        }
        let clash = cells(b).any(|cell| {
            grid.get(&cell)
                .is_some_and(|others| others.iter().any(|&j| overlap(b, &boxes[j])))
        });
        if !clash {
            kept[i] = true;
            count += 1;
            for cell in cells(b) {
                grid.entry(cell).or_default().push(i);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use alertweave_core::query::{GraphEdge, GraphNode};

    fn node(id: &str, kind: &str, x: f32, y: f32, minute: u32) -> GraphNode {
        GraphNode {
            node_id: id.to_owned(),
            kind: kind.to_owned(),
            label: id.to_owned(),
            severity: (kind == "alert").then_some(Severity::High),
            verdict: (kind != "alert").then_some(Verdict::Malicious),
            x,
            y,
            time: chrono::DateTime::from_timestamp(i64::from(minute) * 60, 0),
            identifiers: vec![],
        }
    }

    fn edge(from: &str, to: &str) -> GraphEdge {
        GraphEdge {
            from: from.to_owned(),
            to: to.to_owned(),
            linking: false,
        }
    }

    /// Three alerts (a2 first in time) sharing a device, a user on a1, and `ips` IP addresses
    /// on a3.
    fn sample(ips: usize) -> Prepared {
        let mut nodes = vec![
            node("alert:a1", "alert", 0.1, 0.1, 5),
            node("alert:a2", "alert", 0.2, 0.1, 1),
            node("alert:a3", "alert", 0.3, 0.1, 9),
            node("entity:d", "device", 0.2, 0.3, 1),
            node("entity:u", "user", 0.1, 0.3, 5),
        ];
        let mut edges = vec![
            edge("alert:a1", "entity:d"),
            edge("alert:a2", "entity:d"),
            edge("alert:a3", "entity:d"),
            edge("alert:a1", "entity:u"),
            edge("alert:a1", "entity:missing"),
        ];
        for i in 0..ips {
            let id = format!("entity:ip{i}");
            nodes.push(node(&id, "ip", 0.5 + i as f32 * 0.001, 0.5, 9));
            edges.push(edge("alert:a3", &id));
        }
        Prepared::new(GraphView { nodes, edges })
    }

    fn ids(scene: &Scene) -> Vec<&str> {
        scene.nodes.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn prepared_orders_alerts_by_time_and_counts_kinds() {
        let p = sample(2);
        assert_eq!(p.edges.len(), 6, "the edge to a missing node is dropped");
        assert_eq!(p.kinds[0], ("alert".to_owned(), 3));
        assert_eq!(p.kinds[1], ("ip".to_owned(), 2));
        assert_eq!(p.alert_order, vec![1, 0, 2]);
        // a2 at step 1, a1 at 2, a3 at 3; the device with a2, the user with a1, IPs with a3.
        assert_eq!(&p.reveal[..5], &[2, 1, 3, 1, 2]);
        assert_eq!(p.step_time(1), chrono::DateTime::from_timestamp(60, 0));
        assert_eq!(p.step_time(0), None);
        assert_eq!(p.step_time(4), None);
    }

    #[test]
    fn hiding_a_kind_drops_its_nodes_and_edges() {
        let p = sample(0);
        let all = Scene::build(&p, &Choices::default(), &HashMap::new());
        assert_eq!(all.nodes.len(), 5);
        assert_eq!(all.edges.len(), 4);
        let choices = Choices {
            hidden: ["device".to_owned()].into(),
            ..Choices::default()
        };
        let s = Scene::build(&p, &choices, &HashMap::new());
        assert!(!ids(&s).contains(&"entity:d"));
        assert_eq!(s.edges.len(), 1);
        let a1 = s.index_of("alert:a1").unwrap_or(u32::MAX);
        let u = s.index_of("entity:u").unwrap_or(u32::MAX);
        assert_eq!(s.adjacency[a1 as usize], vec![u]);
    }

    #[test]
    fn many_entities_of_one_kind_become_one_group_until_expanded() {
        let p = sample(GROUP_THRESHOLD + 1);
        let s = Scene::build(&p, &Choices::default(), &HashMap::new());
        assert_eq!(s.nodes.len(), 6);
        let g = s.index_of("group:ip").unwrap_or(u32::MAX);
        let group = &s.nodes[g as usize];
        assert!(
            matches!(&group.member, Member::Group { members, .. } if members.len() == GROUP_THRESHOLD + 1)
        );
        assert_eq!(group.fill, Fill::Group);
        // One edge from a3 to the group, not one per member.
        let a3 = s.index_of("alert:a3").unwrap_or(u32::MAX);
        assert_eq!(s.adjacency[g as usize], vec![a3]);
        assert!(is_grouped(&p, &Choices::default(), "ip"));
        assert!(!is_grouped(&p, &Choices::default(), "device"));
        // Two grouped kinds: apart from each other, outside the drawing.
        let mut two = sample(0);
        for i in 0..2 * (GROUP_THRESHOLD + 1) {
            let kind = if i % 2 == 0 { "file" } else { "url" };
            two.graph
                .nodes
                .push(node(&format!("entity:{kind}{i}"), kind, 0.5, 0.5, 9));
        }
        let two = Prepared::new(two.graph);
        let s2 = Scene::build(&two, &Choices::default(), &HashMap::new());
        let (f, u) = (s2.index_of("group:file"), s2.index_of("group:url"));
        let (f, u) = (
            &s2.nodes[f.unwrap_or(0) as usize],
            &s2.nodes[u.unwrap_or(0) as usize],
        );
        assert!(((f.x - u.x).powi(2) + (f.y - u.y).powi(2)).sqrt() > f.r + u.r);
        let expanded = Choices {
            expanded: ["ip".to_owned()].into(),
            ..Choices::default()
        };
        let s = Scene::build(&p, &expanded, &HashMap::new());
        assert_eq!(s.nodes.len(), 5 + GROUP_THRESHOLD + 1);
        assert_eq!(s.index_of("group:ip"), None);
    }

    #[test]
    fn playback_reveals_alerts_and_their_entities_in_order() {
        let p = sample(3);
        let counts: Vec<usize> = (0..=3)
            .map(|step| {
                let c = Choices {
                    step: Some(step),
                    ..Choices::default()
                };
                Scene::build(&p, &c, &HashMap::new()).nodes.len()
            })
            .collect();
        // Nothing, a2 + device, + a1 + user, + a3 + 3 IPs.
        assert_eq!(counts, vec![0, 2, 4, 8]);
        let c = Choices {
            step: Some(1),
            ..Choices::default()
        };
        assert_eq!(
            ids(&Scene::build(&p, &c, &HashMap::new())),
            vec!["alert:a2", "entity:d"]
        );
    }

    #[test]
    fn hit_testing_finds_the_nearest_node_and_follows_drags() {
        let p = sample(0);
        let mut s = Scene::build(&p, &Choices::default(), &HashMap::new());
        let size = world_size(5);
        let a1 = s.index_of("alert:a1");
        assert_eq!(s.hit(0.1 * size + 3.0, 0.1 * size, 0.0), a1);
        assert_eq!(s.hit(0.15 * size, 0.2 * size, 0.0), None);
        // Dragged far outside the grid's original box: still found there, not at the old spot.
        let i = a1.unwrap_or(u32::MAX);
        s.move_node(i, 5_000.0, -300.0);
        assert_eq!(s.hit(5_001.0, -300.0, 0.0), a1);
        assert_eq!(s.hit(0.1 * size, 0.1 * size, 0.0), None);
        // A drag is kept over a rebuild through `moved`.
        let moved = [("alert:a1".to_owned(), (7.0, 7.0))].into_iter().collect();
        let s = Scene::build(&p, &Choices::default(), &moved);
        assert_eq!(s.hit(7.0, 7.0, 0.0), a1);
        assert!(s.bounds().is_some_and(|b| b.0 <= 7.0 - ALERT_RADIUS));
    }

    #[test]
    fn hit_testing_a_large_scene() {
        let n = 5_000;
        let nodes: Vec<GraphNode> = (0..n)
            .map(|i| {
                let (x, y) = ((i % 70) as f32 / 70.0, (i / 70) as f32 / 72.0);
                node(
                    &format!("entity:{i}"),
                    if i % 2 == 0 { "alert" } else { "file" },
                    x,
                    y,
                    0,
                )
            })
            .collect();
        let p = Prepared::new(GraphView {
            nodes,
            edges: vec![],
        });
        let s = Scene::build(
            &p,
            &Choices {
                expanded: ["file".to_owned()].into(),
                ..Choices::default()
            },
            &HashMap::new(),
        );
        assert_eq!(s.nodes.len(), n);
        for i in [0usize, 1, 777, 4_999] {
            let (x, y) = p.pos[i];
            assert_eq!(
                s.hit(x + 1.0, y - 1.0, 2.0),
                s.index_of(&format!("entity:{i}"))
            );
        }
    }

    #[test]
    fn labels_do_not_overlap_and_the_first_listed_win() {
        let boxes = [
            (0.0, 0.0, 100.0, 14.0),
            (50.0, 5.0, 100.0, 14.0), // overlaps the first
            (0.0, 20.0, 100.0, 14.0), // below it: fine
            (300.0, 0.0, 40.0, 14.0), // far right: fine
            (99.0, 13.0, 10.0, 10.0), // touches the first's corner: overlaps
            (f32::NAN, 0.0, 10.0, 10.0),
        ];
        assert_eq!(
            place_labels(&boxes, 10),
            vec![true, false, true, true, false, false]
        );
        assert_eq!(
            place_labels(&boxes, 2),
            vec![true, false, true, false, false, false]
        );
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer_and_fit_shows_everything() {
        let mut v = View {
            scale: 1.0,
            tx: 10.0,
            ty: 20.0,
        };
        let before = v.to_world(300.0, 200.0);
        v.zoom_at(2.0, 300.0, 200.0);
        assert_eq!(v.scale, 2.0);
        let after = v.to_world(300.0, 200.0);
        assert!((before.0 - after.0).abs() < 1e-3 && (before.1 - after.1).abs() < 1e-3);
        v.zoom_at(1e9, 0.0, 0.0);
        assert_eq!(v.scale, MAX_SCALE);
        v.zoom_at(f32::NAN, 0.0, 0.0);
        assert_eq!(v.scale, MAX_SCALE);
        v.pan(5.0, -5.0);
        let f = View::fit((0.0, 0.0, 4_000.0, 2_000.0), 1_000.0, 600.0);
        let (l, t) = f.to_screen(0.0, 0.0);
        let (r, b) = f.to_screen(4_000.0, 2_000.0);
        assert!(l >= 0.0 && t >= 0.0 && r <= 1_000.0 && b <= 600.0);
        assert!((l + r - 1_000.0).abs() < 1e-2, "centred");
        // A tiny graph is not blown up.
        assert_eq!(View::fit((0.0, 0.0, 10.0, 10.0), 1_000.0, 600.0).scale, 1.5);
        assert!(labels_at(0.1, 10) && !labels_at(0.3, 5_000) && labels_at(2.0, 5_000));
    }
}
