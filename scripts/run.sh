#!/usr/bin/env bash
# Build the Alertweave web app (release) and serve it on http://127.0.0.1:8080.
# Installs the missing build tools first (see scripts/setup.sh). Run from anywhere.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/setup.sh
source scripts/setup.sh

ensure_build_tools
aw_export_path

aw_log "cargo fetch"
cargo fetch
aw_log "trunk build --release --offline"
trunk build --release --offline

PORT="${PORT:-8080}"
aw_log "serving dist/ at http://127.0.0.1:${PORT}/ (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
