"""msticpy's entity graph over a Sentinel SecurityAlert CSV, as an analyst's notebook builds it
(issue 13's comparison; a benchmark, not part of CI).

    python -m venv /tmp/msticpy-venv && /tmp/msticpy-venv/bin/pip install msticpy==3.0.2
    /tmp/msticpy-venv/bin/python scripts/bench-msticpy.py SECURITYALERT.csv

Reads the table with pandas, makes each row a msticpy SecurityAlert (its Entities parsed), builds
an EntityGraph per alert, composes them into one graph, and takes its connected components: the
groups of alerts that share an entity. Prints seconds per phase and in all, as one tab-separated
line: file, alerts, read s, graphs s, compose s, components s, total s, graph nodes, components.
"""

import sys
import time
import warnings

warnings.filterwarnings("ignore")

import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
from msticpy.nbtools.security_alert import SecurityAlert  # noqa: E402
from msticpy.vis.entity_graph_tools import EntityGraph  # noqa: E402


def main(path: str) -> None:
    t0 = time.perf_counter()
    alerts = pd.read_csv(path, low_memory=False)
    t1 = time.perf_counter()
    graphs = [EntityGraph(SecurityAlert(row)).graph for _, row in alerts.iterrows()]
    t2 = time.perf_counter()
    merged = nx.compose_all(graphs) if graphs else nx.Graph()
    t3 = time.perf_counter()
    components = list(nx.connected_components(merged))
    t4 = time.perf_counter()
    print(
        "\t".join(
            str(x)
            for x in (
                path,
                len(alerts),
                f"{t1 - t0:.2f}",
                f"{t2 - t1:.2f}",
                f"{t3 - t2:.2f}",
                f"{t4 - t3:.2f}",
                f"{t4 - t0:.2f}",
                merged.number_of_nodes(),
                len(components),
            )
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
