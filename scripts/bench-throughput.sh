#!/usr/bin/env bash
# Ingest throughput against the floor, in one run (issue 13; a benchmark, not part of CI).
# Generates a Graph alerts v2 JSON, an advanced-hunting AlertEvidence CSV and a Sentinel
# SecurityAlert CSV of the demo tenant at each size, then for each file prints the floor
# (examples/floor.rs: the same bytes through a validate-only parse), `alertweave analyze --json`
# end to end (ingest, correlation, JSON out), and with --browser the same file loaded in the
# release build's worker in headless Chromium (file input -> first queue row, scripts/bench-web.mjs):
# seconds, MB/s, peak memory, and the ratios CLI/floor and wasm/CLI.
#
#   scripts/bench-throughput.sh [--browser] [NOISE_ALERTS...]     default: 10000 100000
#
# Files go to a temporary folder under /tmp and are deleted as soon as each is measured.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
browser=0
sizes=()
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) sizes+=("$arg") ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
cargo build --release --quiet --bin alertweave -p alertweave --example floor
cargo build --release --quiet -p alertweave-demo --bin gen-demo
if [ "$browser" = 1 ]; then
  # shellcheck source=scripts/setup.sh
  source scripts/setup.sh
  aw_export_path
  trunk build --release --offline >/dev/null 2>&1
fi
dir="$(mktemp -d /tmp/aw-throughput.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
printf '| file | MB | alerts | floor s | floor MB/s | CLI s | CLI MB/s | CLI peak MB | CLI/floor | wasm s | wasm MB/s | wasm memory MB | wasm/CLI |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for noise in "${sizes[@]}"; do
  for format in graph ah-alertevidence sentinel-csv; do
    case "$format" in
      graph) ext=json ;;
      *) ext=csv ;;
    esac
    file="$dir/$format-$noise.$ext"
    target/release/gen-demo --noise "$noise" --format "$format" --out "$file" 2>/dev/null
    IFS=$'\t' read -r _ bytes floor_s floor_mbs _ < <(target/release/examples/floor "$file")
    start=$(date +%s.%N)
    peak_kb=$( { /usr/bin/time -f '%M' target/release/alertweave analyze --json "$file" >"$dir/out.json"; } 2>&1 | tail -1)
    end=$(date +%s.%N)
    alerts=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['alerts'])" "$dir/out.json")
    rm -f "$dir/out.json"
    wasm_ms=""
    wasm_mb=""
    if [ "$browser" = 1 ]; then
      web="$(node scripts/bench-web.mjs 1 --file "$file" --load-only 2>&1 || true)"
      wasm_ms=$(sed -n 's/.* load \([0-9]*\) ms.*/\1/p' <<<"$web" | head -1)
      wasm_mb=$(sed -n 's/.*worker wasm memory after [a-z]* \([0-9]*\) MB.*/\1/p' <<<"$web" | head -1)
      [ -n "$wasm_ms" ] || echo "browser run failed: $web" >&2
    fi
    python3 - "$format-$noise.$ext" "$bytes" "$alerts" "$floor_s" "$floor_mbs" "$start" "$end" "$peak_kb" "$wasm_ms" "$wasm_mb" <<'PY'
import sys
name, size, alerts, floor_s, floor_mbs, start, end, peak, wasm_ms, wasm_mb = sys.argv[1:]
size = int(size); cli_s = float(end) - float(start); floor_s = float(floor_s)
row = f"| {name} | {size/1e6:.1f} | {int(alerts):,} | {floor_s:.2f} | {float(floor_mbs):.0f} | {cli_s:.2f} | {size/1e6/cli_s:.1f} | {int(peak)/1024:.0f} | {cli_s/max(floor_s,1e-9):.0f}× |"
if wasm_ms:
    wasm_s = int(wasm_ms) / 1000
    row += f" {wasm_s:.2f} | {size/1e6/wasm_s:.1f} | {wasm_mb or '?'} | {wasm_s/cli_s:.1f}× |"
else:
    row += " | | | |"
print(row)
PY
    rm -f "$file"
  done
done
