//! A deterministic force-directed layout (Fruchterman–Reingold forces, Barnes–Hut repulsion) for
//! an incident's graph, fast enough for 5,000 nodes in the worker.
//!
//! Same nodes and edges → same positions: no randomness and no clock. Nodes start on a Fermat
//! spiral in breadth-first order (so neighbours start near each other and the forces have little
//! to undo), then a bounded number of iterations moves them: every pair repels (k²/d, the far
//! ones summarised by a quadtree, Barnes–Hut with θ = 1.2), edges attract (d²/k), a weak gravity
//! keeps disconnected parts together, and the step size cools geometrically. Cost is
//! O(iterations × n log n). Positions are in the unit square [0, 1]², so the view scales them to
//! its drawing size.

/// Barnes–Hut opening angle: a cell whose width is below θ × its distance acts as one body
/// (1.2, as ForceAtlas2 uses: a layout needs no more accuracy than that).
const THETA: f32 = 1.2;
/// Cells narrower than this stop splitting (bodies on one spot share a leaf).
const MIN_HALF: f32 = 1e-3;

/// How many iterations a graph of `n` nodes gets: more for small graphs (cheap, and their look
/// matters most), fewer for large ones (the spiral start is already close).
pub fn iterations(n: usize) -> usize {
    match n {
        0..=300 => 300,
        301..=2_000 => 150,
        _ => 80,
    }
}

/// Positions for `n` nodes joined by `edges` (pairs of node indices; out-of-range pairs and
/// loops are ignored).
pub fn force_layout(n: usize, edges: &[(usize, usize)]) -> Vec<(f32, f32)> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.5, 0.5)];
    }
    let mut pairs: Vec<(u32, u32)> = edges
        .iter()
        .filter(|&&(a, b)| a != b && a < n && b < n)
        .map(|&(a, b)| (a.min(b) as u32, a.max(b) as u32))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(a, b) in &pairs {
        adjacency[a as usize].push(b);
        adjacency[b as usize].push(a);
    }
    let mut pos = initial_positions(n, &adjacency);
    // Ideal edge length 1; the spiral puts one node per unit of area.
    let k = 1.0f32;
    let iters = iterations(n);
    let start_temperature = (n as f32).sqrt() * 0.1 + 0.5;
    let end_temperature = 0.01f32;
    let cooling = (end_temperature / start_temperature).powf(1.0 / iters as f32);
    let gravity = 0.02f32;
    let mut temperature = start_temperature;
    let mut disp = vec![(0.0f32, 0.0f32); n];
    let mut tree = QuadTree::default();
    for _ in 0..iters {
        tree.build(&pos);
        for (i, d) in disp.iter_mut().enumerate() {
            *d = tree.repulsion(i, pos[i], k * k);
        }
        for &(a, b) in &pairs {
            let (a, b) = (a as usize, b as usize);
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let dist = (dx * dx + dy * dy).sqrt();
            if dist < 1e-6 {
                continue;
            }
            // d²/k along the unit vector: (dx, dy) × d / k.
            let f = dist / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let (mut dx, mut dy) = *d;
            dx -= gravity * p.0 * k;
            dy -= gravity * p.1 * k;
            let len = (dx * dx + dy * dy).sqrt();
            if len > 1e-9 && len.is_finite() {
                let step = len.min(temperature);
                p.0 += dx / len * step;
                p.1 += dy / len * step;
            }
        }
        temperature *= cooling;
    }
    normalize(pos)
}

/// Breadth-first order from each component's first node (components in node order), laid on a
/// Fermat spiral centred on the origin: neighbours start close, big components in the middle.
fn initial_positions(n: usize, adjacency: &[Vec<u32>]) -> Vec<(f32, f32)> {
    let mut seen = vec![false; n];
    let mut components: Vec<Vec<u32>> = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut order = vec![start as u32];
        let mut head = 0;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            for &w in &adjacency[v] {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    order.push(w);
                }
            }
        }
        components.push(order);
    }
    // Largest first; ties keep node order (a stable sort).
    components.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let golden = std::f32::consts::PI * (3.0 - 5f32.sqrt());
    let mut pos = vec![(0.0f32, 0.0f32); n];
    for (slot, &v) in components.iter().flatten().enumerate() {
        let r = (slot as f32 + 0.5).sqrt() * 0.6;
        let a = slot as f32 * golden;
        pos[v as usize] = (r * a.cos(), r * a.sin());
    }
    pos
}

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Cell {
    cx: f32,
    cy: f32,
    half: f32,
    mass: f32,
    sum_x: f32,
    sum_y: f32,
    /// Children by quadrant (0 = none: the root is never a child).
    child: [u32; 4],
    /// The body of a leaf, `NONE` for an inner cell or an empty one.
    body: u32,
}

impl Cell {
    fn new(cx: f32, cy: f32, half: f32) -> Cell {
        Cell {
            cx,
            cy,
            half,
            mass: 0.0,
            sum_x: 0.0,
            sum_y: 0.0,
            child: [0; 4],
            body: NONE,
        }
    }

    fn is_leaf(&self) -> bool {
        self.child == [0; 4]
    }
}

/// A Barnes–Hut quadtree in one arena, rebuilt every iteration (the arena's memory is kept).
#[derive(Default)]
struct QuadTree {
    cells: Vec<Cell>,
    stack: Vec<u32>,
}

impl QuadTree {
    fn build(&mut self, pos: &[(f32, f32)]) {
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in pos {
            min_x = min_x.min(x);
            min_y = min_y.min(y);
            max_x = max_x.max(x);
            max_y = max_y.max(y);
        }
        let half = ((max_x - min_x).max(max_y - min_y) / 2.0).max(1.0) * 1.001;
        self.cells.clear();
        self.cells.push(Cell::new(
            (min_x + max_x) / 2.0,
            (min_y + max_y) / 2.0,
            half,
        ));
        for (i, &p) in pos.iter().enumerate() {
            self.insert(i as u32, p, pos);
        }
    }

    fn quadrant(cell: &Cell, (x, y): (f32, f32)) -> usize {
        usize::from(x >= cell.cx) | (usize::from(y >= cell.cy) << 1)
    }

    /// The child of `at` in quadrant `q`, made when missing.
    fn child(&mut self, at: usize, q: usize) -> usize {
        let existing = self.cells[at].child[q];
        if existing != 0 {
            return existing as usize;
        }
        let c = self.cells[at];
        let h = c.half / 2.0;
        let cx = if q & 1 == 1 { c.cx + h } else { c.cx - h };
        let cy = if q & 2 == 2 { c.cy + h } else { c.cy - h };
        let index = self.cells.len();
        self.cells.push(Cell::new(cx, cy, h));
        self.cells[at].child[q] = index as u32;
        index
    }

    fn insert(&mut self, body: u32, p: (f32, f32), pos: &[(f32, f32)]) {
        let mut at = 0usize;
        loop {
            let cell = &mut self.cells[at];
            let was_empty = cell.mass == 0.0;
            cell.mass += 1.0;
            cell.sum_x += p.0;
            cell.sum_y += p.1;
            if was_empty && cell.is_leaf() {
                cell.body = body;
                return;
            }
            if cell.is_leaf() {
                if cell.half < MIN_HALF {
                    // Bodies on (nearly) one spot share this leaf.
                    return;
                }
                // Push the leaf's body down one level, then go on with the new one.
                let other = cell.body;
                cell.body = NONE;
                if other != NONE {
                    let op = pos[other as usize];
                    let q = Self::quadrant(&self.cells[at], op);
                    let c = self.child(at, q);
                    let child = &mut self.cells[c];
                    child.mass = 1.0;
                    child.sum_x = op.0;
                    child.sum_y = op.1;
                    child.body = other;
                }
            }
            let q = Self::quadrant(&self.cells[at], p);
            at = self.child(at, q);
        }
    }

    /// The repulsion every other body exerts on `body` at `p` (k²/d each, far cells at once).
    fn repulsion(&mut self, body: usize, p: (f32, f32), k2: f32) -> (f32, f32) {
        let (mut fx, mut fy) = (0.0f32, 0.0f32);
        self.stack.clear();
        self.stack.push(0);
        while let Some(at) = self.stack.pop() {
            let cell = &self.cells[at as usize];
            if cell.mass == 0.0 {
                continue;
            }
            let leaf = cell.is_leaf();
            let mut mass = cell.mass;
            if leaf && cell.body as usize == body {
                // Itself (and any body on the same spot, pushed apart below).
                mass -= 1.0;
                if mass <= 0.0 {
                    continue;
                }
            }
            let (mx, my) = (cell.sum_x / cell.mass, cell.sum_y / cell.mass);
            let (mut dx, mut dy) = (p.0 - mx, p.1 - my);
            let mut d2 = dx * dx + dy * dy;
            let width = cell.half * 2.0;
            if leaf || width * width < THETA * THETA * d2 {
                if d2 < 1e-8 {
                    // One spot: a fixed direction per body, so the pair separates.
                    let angle = body as f32 * 2.399_963;
                    dx = angle.cos() * 1e-2;
                    dy = angle.sin() * 1e-2;
                    d2 = 1e-4;
                }
                // k²/d along the unit vector: (dx, dy) × k² / d².
                let f = mass * k2 / d2;
                fx += dx * f;
                fy += dy * f;
            } else {
                for &c in &cell.child {
                    if c != 0 {
                        self.stack.push(c);
                    }
                }
            }
        }
        (fx, fy)
    }
}

/// Scales positions into the middle of [0.05, 0.95]², keeping the aspect ratio.
fn normalize(pos: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    let (min_x, max_x) = pos.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (min_y, max_y) = pos.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let span = (max_x - min_x).max(max_y - min_y).max(1e-6);
    let (off_x, off_y) = (
        (span - (max_x - min_x)) / 2.0,
        (span - (max_y - min_y)) / 2.0,
    );
    // Small graphs stay compact in the middle instead of stretching over the whole view.
    let extent = (0.16 * (pos.len() as f32).sqrt()).min(0.9);
    let margin = (1.0 - extent) / 2.0;
    pos.into_iter()
        .map(|(x, y)| {
            (
                margin + extent * (x - min_x + off_x) / span,
                margin + extent * (y - min_y + off_y) / span,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    /// An incident-like graph: `alerts` alert nodes, then `entities` entity nodes; alert `i`
    /// names entity `i % entities` and, every third alert, a second shared one.
    fn incident_graph(alerts: usize, entities: usize) -> (usize, Vec<(usize, usize)>) {
        let mut edges = Vec::new();
        for i in 0..alerts {
            edges.push((i, alerts + i % entities));
            if i % 3 == 0 {
                edges.push((i, alerts + (i / 3) % entities));
            }
        }
        (alerts + entities, edges)
    }

    fn check_sane(pos: &[(f32, f32)]) {
        assert!(pos.iter().all(|&(x, y)| x.is_finite()
            && y.is_finite()
            && (0.0..=1.0).contains(&x)
            && (0.0..=1.0).contains(&y)));
    }

    /// Mean length of the edges against the mean distance of the pairs that are not edges
    /// (sampled deterministically).
    fn edge_vs_pair(pos: &[(f32, f32)], edges: &[(usize, usize)]) -> (f32, f32) {
        let joined: std::collections::BTreeSet<(usize, usize)> =
            edges.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
        let edge_mean = edges
            .iter()
            .map(|&(a, b)| dist(pos[a], pos[b]))
            .sum::<f32>()
            / edges.len() as f32;
        let n = pos.len();
        let (mut sum, mut count) = (0.0f32, 0usize);
        for i in (0..n).step_by(1 + n / 200) {
            for j in ((i + 1)..n).step_by(1 + n / 200) {
                if !joined.contains(&(i, j)) {
                    sum += dist(pos[i], pos[j]);
                    count += 1;
                }
            }
        }
        (edge_mean, sum / count.max(1) as f32)
    }

    #[test]
    fn layout_is_deterministic_and_inside_the_unit_square() {
        let edges = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 4)];
        let a = force_layout(6, &edges);
        assert_eq!(a, force_layout(6, &edges));
        check_sane(&a);
        // Connected nodes end closer than the isolated one is to the cluster's first node.
        assert!(dist(a[0], a[1]) < dist(a[0], a[5]) || dist(a[0], a[4]) < dist(a[0], a[5]));
    }

    #[test]
    fn tiny_and_degenerate_inputs() {
        assert!(force_layout(0, &[]).is_empty());
        assert_eq!(force_layout(1, &[(0, 0)]), vec![(0.5, 0.5)]);
        // Loops, duplicates and out-of-range pairs are ignored.
        let a = force_layout(3, &[(0, 0), (0, 1), (1, 0), (0, 1), (2, 9)]);
        check_sane(&a);
        assert!(dist(a[0], a[1]) > 1e-3 && dist(a[1], a[2]) > 1e-3);
        // No edges at all: spread out, no NaN.
        let b = force_layout(50, &[]);
        check_sane(&b);
    }

    #[test]
    fn connected_nodes_end_closer_than_unconnected_ones() {
        let (n, edges) = incident_graph(120, 40);
        let pos = force_layout(n, &edges);
        check_sane(&pos);
        let (edge_mean, pair_mean) = edge_vs_pair(&pos, &edges);
        assert!(
            edge_mean * 2.0 < pair_mean,
            "edges {edge_mean}, other pairs {pair_mean}"
        );
    }

    #[test]
    fn five_thousand_nodes_spread_out_and_stay_deterministic() {
        let (n, edges) = incident_graph(3_000, 2_000);
        let a = force_layout(n, &edges);
        assert_eq!(a.len(), n);
        check_sane(&a);
        assert_eq!(a, force_layout(n, &edges));
        let (edge_mean, pair_mean) = edge_vs_pair(&a, &edges);
        assert!(
            edge_mean * 2.0 < pair_mean,
            "edges {edge_mean}, other pairs {pair_mean}"
        );
        // Spread out: in a grid of 50 × 50 cells no cell holds 2% of the nodes.
        let mut grid = vec![0usize; 2_500];
        for &(x, y) in &a {
            let (cx, cy) = (((x * 50.0) as usize).min(49), ((y * 50.0) as usize).min(49));
            grid[cy * 50 + cx] += 1;
        }
        let fullest = grid.iter().copied().max().unwrap_or(0);
        assert!(fullest * 50 < n, "{fullest} nodes in one cell");
    }
}
