#!/usr/bin/env bash
# Everything CI runs: install what is missing, native tests, the release web build, and the
# end-to-end browser test. Stops at the first failure with a non-zero exit. Run from anywhere.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/setup.sh
source scripts/setup.sh

AW_PHASE=""
AW_T0=$SECONDS
aw_on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$AW_PHASE" ]; then
    aw_err "phase '$AW_PHASE' failed (exit $rc) after $((SECONDS - AW_PHASE_T0)) s"
  fi
  aw_log "total: $((SECONDS - AW_T0)) s"
}
trap aw_on_exit EXIT

# phase NAME COMMAND...: run one phase and print how long it took.
phase() {
  AW_PHASE="$1"
  shift
  AW_PHASE_T0=$SECONDS
  aw_log "[$AW_PHASE] start"
  "$@"
  aw_log "[$AW_PHASE] done in $((SECONDS - AW_PHASE_T0)) s"
  AW_PHASE=""
}

phase "setup: build tools" ensure_build_tools
phase "setup: chromium" ensure_chromium
phase "setup: clippy" ensure_clippy
aw_export_path

phase "cargo fetch" cargo fetch
phase "cargo test" cargo test --all-targets
# The core's bans (no clock, no threads: crates/core/clippy.toml), with warnings denied.
phase "clippy: core" cargo clippy -p alertweave-core --all-targets -- -D warnings
phase "trunk build" trunk build --release --offline
# A glob rather than the directory: Node 20 searches a directory, later Node versions take only
# files or patterns.
phase "e2e" node --test tests/e2e/*.test.mjs
