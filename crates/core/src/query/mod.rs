//! Questions the page asks the model, and their view-sized answers.
//!
//! The page never holds the dataset: it asks for a page of the queue (filtered, sorted) or for
//! one incident with everything its tabs show, and renders the answer. Answers are plain data
//! that serialize as-is across the worker boundary.
//!
//! - `queue`: the queue index, its filters, sorts, facets and histogram.
//! - `incident`: one incident's view (alerts, entities, related incidents not joined).
//! - `graph`: the incident graph's nodes and edges.
//! - `processes`: process trees per device.

mod graph;
mod incident;
mod processes;
mod queue;

pub use graph::{GraphEdge, GraphNode, GraphView};
pub use incident::*;
pub use processes::{process_trees, DeviceProcesses, ProcessNode};
pub use queue::*;
