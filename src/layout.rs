//! A deterministic force-directed layout (Fruchterman–Reingold) for an incident's graph.
//!
//! Same nodes and edges → same positions: nodes start on a circle in their given order and no
//! randomness is involved. Positions are in a unit square [0, 1]², so the view scales them to its
//! drawing size. Cost is O(iterations × n²); the iteration count shrinks as graphs grow.

/// Above this many nodes the O(n²) force layout is too slow for an interactive answer; nodes go on
/// a spiral in their given order instead (alerts first, by time), until the graph view learns to
/// group nodes.
pub const FORCE_LAYOUT_MAX_NODES: usize = 600;

/// Positions for `n` nodes joined by `edges` (pairs of node indices).
pub fn force_layout(n: usize, edges: &[(usize, usize)]) -> Vec<(f32, f32)> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.5, 0.5)];
    }
    if n > FORCE_LAYOUT_MAX_NODES {
        return spiral(n);
    }
    let mut pos: Vec<(f32, f32)> = (0..n)
        .map(|i| {
            let angle = i as f32 / n as f32 * std::f32::consts::TAU;
            (0.5 + 0.4 * angle.cos(), 0.5 + 0.4 * angle.sin())
        })
        .collect();
    let k = (1.0 / n as f32).sqrt() * 0.8;
    let iterations = match n {
        0..=200 => 200,
        _ => 60,
    };
    let mut temperature = 0.1f32;
    let mut disp = vec![(0.0f32, 0.0f32); n];
    for _ in 0..iterations {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let dist = (dx * dx + dy * dy).sqrt().max(1e-4);
                let force = k * k / dist;
                let (fx, fy) = (dx / dist * force, dy / dist * force);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for &(a, b) in edges {
            if a == b || a >= n || b >= n {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(1e-4);
            let force = dist * dist / k;
            let (fx, fy) = (dx / dist * force, dy / dist * force);
            disp[a].0 -= fx;
            disp[a].1 -= fy;
            disp[b].0 += fx;
            disp[b].1 += fy;
        }
        for i in 0..n {
            let (dx, dy) = disp[i];
            let len = (dx * dx + dy * dy).sqrt().max(1e-6);
            let step = len.min(temperature);
            pos[i].0 += dx / len * step;
            pos[i].1 += dy / len * step;
            // Gentle pull to the centre keeps disconnected parts on screen.
            pos[i].0 += (0.5 - pos[i].0) * 0.01;
            pos[i].1 += (0.5 - pos[i].1) * 0.01;
        }
        temperature = (temperature * 0.97).max(0.002);
    }
    normalize(pos)
}

/// A Fermat spiral: even density, O(n).
fn spiral(n: usize) -> Vec<(f32, f32)> {
    let golden = std::f32::consts::PI * (3.0 - 5f32.sqrt());
    let pos = (0..n)
        .map(|i| {
            let r = (i as f32 + 0.5).sqrt();
            let a = i as f32 * golden;
            (r * a.cos(), r * a.sin())
        })
        .collect();
    normalize(pos)
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

    #[test]
    fn layout_is_deterministic_and_inside_the_unit_square() {
        let edges = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 4)];
        let a = force_layout(6, &edges);
        assert_eq!(a, force_layout(6, &edges));
        assert!(a
            .iter()
            .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
        // Connected nodes end closer than the isolated one is to the cluster's first node.
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 5) || d(0, 4) < d(0, 5));
    }

    #[test]
    fn large_graphs_get_a_linear_time_layout() {
        let n = FORCE_LAYOUT_MAX_NODES * 10;
        let a = force_layout(n, &[(0, 1)]);
        assert_eq!(a.len(), n);
        assert!(a
            .iter()
            .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
    }
}
