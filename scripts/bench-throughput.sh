#!/usr/bin/env bash
# Ingest throughput against the floor, in one run (issue 13; a benchmark, not part of CI).
# Generates a Graph alerts v2 JSON, an advanced-hunting AlertEvidence CSV and a Sentinel
# SecurityAlert export of the demo tenant at each size, then for each file prints the floor
# (examples/floor.rs: the same bytes through a validate-only parse) and `alertweave analyze
# --json` end to end (ingest, correlation, JSON out): seconds, MB/s, peak memory, and CLI/floor.
#
#   scripts/bench-throughput.sh [NOISE_ALERTS...]     default: 10000 100000
#
# Files go to a temporary folder under /tmp and are deleted at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
cargo build --release --quiet --bin alertweave -p alertweave --example floor
cargo build --release --quiet -p alertweave-demo --bin gen-demo
dir="$(mktemp -d /tmp/aw-throughput.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
printf '| file | MB | alerts | floor s | floor MB/s | CLI s | CLI MB/s | CLI peak MB | CLI/floor |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for noise in "${sizes[@]}"; do
  for format in graph ah-alertevidence sentinel; do
    case "$format" in
      graph) ext=json ;;
      ah-alertevidence) ext=csv ;;
      sentinel) ext=json ;;
    esac
    file="$dir/$format-$noise.$ext"
    target/release/gen-demo --noise "$noise" --format "$format" --out "$file" 2>/dev/null
    IFS=$'\t' read -r _ bytes floor_s floor_mbs _ < <(target/release/examples/floor "$file")
    start=$(date +%s.%N)
    peak_kb=$( { /usr/bin/time -f '%M' target/release/alertweave analyze --json "$file" >"$dir/out.json"; } 2>&1 | tail -1)
    end=$(date +%s.%N)
    alerts=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['alerts'])" "$dir/out.json")
    python3 - "$format-$noise.$ext" "$bytes" "$alerts" "$floor_s" "$floor_mbs" "$start" "$end" "$peak_kb" <<'PY'
import sys
name, size, alerts, floor_s, floor_mbs, start, end, peak = sys.argv[1:]
size = int(size); cli_s = float(end) - float(start); floor_s = float(floor_s)
print(f"| {name} | {size/1e6:.1f} | {int(alerts):,} | {floor_s:.2f} | {float(floor_mbs):.0f} | {cli_s:.2f} | {size/1e6/cli_s:.1f} | {int(peak)/1024:.0f} | {cli_s/max(floor_s,1e-9):.0f}× |")
PY
    rm -f "$file" "$dir/out.json"
  done
done
