//! Process trees per device, rebuilt from the process evidence of an incident.

use super::incident::EntityView;
use crate::model::HashMap;
use crate::model::{Entity, EntityId, EntityKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One process in a device's process tree: an entity of the incident, or (`entity_id` `None`)
/// a parent the evidence names but does not include (its image and process id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessNode {
    pub entity_id: Option<EntityId>,
    pub name: String,
    pub command_line: String,
    pub children: Vec<ProcessNode>,
}

/// The processes of one device, parent → child, as far as the process evidence tells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceProcesses {
    /// The device entity of the incident the processes ran on, when it is one.
    pub device_entity_id: Option<EntityId>,
    pub device_name: String,
    pub roots: Vec<ProcessNode>,
}

/// The incident's process evidence as trees, one per device: a process is the child of the
/// process on the same device whose id is its parent process id and which started before it
/// (the latest such, as ids are reused); a process whose parent is not in the evidence hangs
/// under that parent as named (image and id), siblings sharing it together.
pub fn process_trees(entities: &[EntityView]) -> Vec<DeviceProcesses> {
    struct Proc<'a> {
        entity: &'a Entity,
        device: String,
        pid: Option<&'a str>,
        parent_pid: Option<&'a str>,
        parent_image: Option<&'a str>,
        command_line: Option<&'a str>,
        created: Option<crate::model::Timestamp>,
    }
    /// Siblings in the order they started (then by id).
    fn order(p: &Proc) -> (Option<crate::model::Timestamp>, String) {
        (p.created, p.entity.entity_id.to_string())
    }
    fn build(
        at: usize,
        procs: &[Proc],
        children: &BTreeMap<usize, Vec<usize>>,
        seen: &mut BTreeSet<usize>,
    ) -> ProcessNode {
        seen.insert(at);
        let mut kids: Vec<usize> = children
            .get(&at)
            .map(|k| k.iter().copied().filter(|k| !seen.contains(k)).collect())
            .unwrap_or_default();
        kids.sort_by_key(|&k| order(&procs[k]));
        let p = &procs[at];
        ProcessNode {
            entity_id: Some(p.entity.entity_id.clone()),
            name: p.entity.name.clone(),
            command_line: p.command_line.unwrap_or_default().to_owned(),
            children: kids
                .into_iter()
                .map(|k| build(k, procs, children, seen))
                .collect(),
        }
    }
    let procs: Vec<Proc> = entities
        .iter()
        .map(|v| &v.entity)
        .filter(|e| e.kind == EntityKind::Process)
        .filter_map(|e| {
            let attr = |label: &str| {
                e.attributes
                    .iter()
                    .find(|(k, _)| k.as_str() == label)
                    .map(|(_, v)| v.as_str())
            };
            // `process/pid:<device>:<pid>:<created>` or `process/pid-reusable:<device>:<pid>`.
            let device = e.identifiers.iter().find_map(|i| {
                let rest = i
                    .key
                    .strip_prefix("process/pid:")
                    .or_else(|| i.key.strip_prefix("process/pid-reusable:"))?;
                rest.split(':').next().map(str::to_owned)
            })?;
            Some(Proc {
                entity: e,
                device,
                pid: attr("Process id"),
                parent_pid: attr("Parent process id"),
                parent_image: attr("Parent image"),
                command_line: attr("Command line"),
                created: crate::ingest::parse_time(attr("Created")),
            })
        })
        .collect();
    let mut devices: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in procs.iter().enumerate() {
        devices.entry(p.device.as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    for (device, members) in devices {
        // Each member's parent among the members, if any.
        let parent_of: HashMap<usize, usize> = members
            .iter()
            .filter_map(|&c| {
                let child = &procs[c];
                let parent_pid = child.parent_pid?;
                members
                    .iter()
                    .copied()
                    .filter(|&p| p != c && procs[p].pid == Some(parent_pid))
                    .filter(|&p| match (procs[p].created, child.created) {
                        (Some(pc), Some(cc)) => pc <= cc,
                        _ => true,
                    })
                    .max_by_key(|&p| (procs[p].created, procs[p].entity.entity_id.clone()))
                    .map(|p| (c, p))
            })
            .collect();
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (&c, &p) in &parent_of {
            children.entry(p).or_default().push(c);
        }
        let mut seen = BTreeSet::new();
        let mut roots: Vec<usize> = members
            .iter()
            .copied()
            .filter(|c| !parent_of.contains_key(c))
            .collect();
        roots.sort_by_key(|&r| order(&procs[r]));
        // Roots whose parent the evidence names but does not hold: under that parent, as named.
        let mut named_parents: BTreeMap<(String, String), Vec<ProcessNode>> = BTreeMap::new();
        let mut top = Vec::new();
        for r in roots {
            let tree = build(r, &procs, &children, &mut seen);
            let p = &procs[r];
            match (p.parent_image, p.parent_pid) {
                (None, None) => top.push(tree),
                (image, pid) => named_parents
                    .entry((image.unwrap_or("").to_owned(), pid.unwrap_or("").to_owned()))
                    .or_default()
                    .push(tree),
            }
        }
        // A cycle (ids reused without times) leaves members unseen: they start trees too.
        for &m in &members {
            if !seen.contains(&m) {
                top.push(build(m, &procs, &children, &mut seen));
            }
        }
        for ((image, pid), kids) in named_parents {
            let name = match (image.is_empty(), pid.is_empty()) {
                (false, false) => format!("{image} ({pid})"),
                (false, true) => image,
                _ => format!("({pid})"),
            };
            top.push(ProcessNode {
                entity_id: None,
                name,
                command_line: String::new(),
                children: kids,
            });
        }
        let device_view = entities.iter().find(|v| {
            v.entity.kind == EntityKind::Device
                && v.entity.identifiers.iter().any(|i| {
                    i.key
                        .rsplit_once(':')
                        .is_some_and(|(_, id)| id.eq_ignore_ascii_case(device))
                })
        });
        out.push(DeviceProcesses {
            device_entity_id: device_view.map(|v| v.entity.entity_id.clone()),
            device_name: device_view.map_or_else(|| device.to_owned(), |v| v.entity.name.clone()),
            roots: top,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process_view(
        id: &str,
        device: &str,
        pid: &str,
        parent: Option<(&str, &str)>,
        created: &str,
    ) -> EntityView {
        use crate::model::{Identifier, Sym};
        let mut attributes = vec![
            (Sym::new("Process id"), Sym::new(pid)),
            (Sym::new("Created"), Sym::new(created)),
            (Sym::new("Command line"), Sym::new(&format!("{id}.exe -x"))),
        ];
        if let Some((ppid, image)) = parent {
            attributes.push((Sym::new("Parent process id"), Sym::new(ppid)));
            attributes.push((Sym::new("Parent image"), Sym::new(image)));
        }
        let t = crate::ingest::parse_time(Some(created)).unwrap_or_default();
        EntityView {
            entity: Entity {
                entity_id: EntityId::new(id),
                kind: EntityKind::Process,
                name: format!("{id}.exe ({pid})"),
                identifiers: vec![Identifier {
                    key: format!("process/pid:{device}:{pid}:{created}"),
                    strong: true,
                }],
                attributes,
                builtin: false,
            },
            alert_ids: Vec::new(),
            first_seen: t,
            last_seen: t,
            verdict: crate::model::Verdict::Unknown,
            remediation_statuses: Vec::new(),
            roles: Vec::new(),
            other_incidents: Vec::new(),
            unlinked_reason: None,
        }
    }

    #[test]
    fn process_evidence_becomes_a_tree_per_device() {
        let mut device = process_view("host", "x", "0", None, "2026-09-01T00:00:00Z");
        device.entity.kind = EntityKind::Device;
        device.entity.name = "fs01.corp".to_owned();
        device.entity.identifiers[0].key = "device/mde:abc123".to_owned();
        let views = vec![
            // Listed child first: order in the evidence does not matter.
            process_view(
                "b",
                "abc123",
                "200",
                Some(("100", "a.exe")),
                "2026-09-01T10:01:00Z",
            ),
            process_view(
                "a",
                "abc123",
                "100",
                Some(("50", "explorer.exe")),
                "2026-09-01T10:00:00Z",
            ),
            process_view(
                "c",
                "abc123",
                "300",
                Some(("100", "a.exe")),
                "2026-09-01T10:02:00Z",
            ),
            // An id reused later: its "child" started before it, so it is not the parent.
            process_view("late", "abc123", "100", None, "2026-09-01T11:00:00Z"),
            process_view("d", "other", "7", None, "2026-09-01T09:00:00Z"),
            device,
        ];
        let trees = process_trees(&views);
        assert_eq!(trees.len(), 2);
        let fs01 = &trees[0];
        assert_eq!(fs01.device_name, "fs01.corp");
        assert_eq!(fs01.device_entity_id, Some(EntityId::new("host")));
        let names =
            |nodes: &[ProcessNode]| nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&fs01.roots),
            vec!["late.exe (100)", "explorer.exe (50)"]
        );
        let explorer = &fs01.roots[1];
        assert_eq!(
            explorer.entity_id, None,
            "a parent named, not in the evidence"
        );
        assert_eq!(names(&explorer.children), vec!["a.exe (100)"]);
        assert_eq!(
            names(&explorer.children[0].children),
            vec!["b.exe (200)", "c.exe (300)"]
        );
        assert_eq!(explorer.children[0].children[0].command_line, "b.exe -x");
        assert_eq!(trees[1].device_name, "other", "no device entity: its key");
        assert_eq!(names(&trees[1].roots), vec!["d.exe (7)"]);
    }
}
