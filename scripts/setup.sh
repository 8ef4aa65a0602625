# shellcheck shell=bash
# Shared install logic for scripts/run.sh and scripts/test.sh. Source it, do not run it.
#
# Each ensure_* function installs one tool only when it is missing or has the wrong version, so a
# machine that already has everything spends seconds here. Every install goes through a package
# registry's ordinary client (cargo, npm, apt-get); nothing downloads a prebuilt binary or a browser.

# The repository root (this file lives in <root>/scripts/).
AW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

AW_TRUNK_VERSION="0.21.14"
# Used only when Cargo.lock names no wasm-bindgen package.
AW_WASM_BINDGEN_FALLBACK="0.2.130"
# npm binaryen@132.0.0 provides node_modules/.bin/wasm-opt ("wasm-opt version 132").
AW_WASM_OPT_VERSION="132"
AW_CHROMIUM="/usr/bin/chromium"

aw_log() { printf '==> %s\n' "$*"; }
aw_err() { printf 'error: %s\n' "$*" >&2; }

# Tools from the repo's node_modules and from cargo install come first on PATH.
aw_export_path() {
  export PATH="$AW_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
}

# Run a command as root: directly when root, through sudo when that exists.
aw_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    aw_err "need root (or sudo) to run: $*"
    return 1
  fi
}

# The version printed by `TOOL --version` (second word), or nothing when TOOL is missing.
aw_tool_version() {
  local out
  out="$("$@" --version 2>/dev/null)" || return 0
  printf '%s\n' "$out" | awk 'NR == 1 { print $2 }'
}

ensure_wasm_target() {
  local installed
  installed="$(rustup target list --installed)"
  if printf '%s\n' "$installed" | grep -qx 'wasm32-unknown-unknown'; then
    aw_log "wasm32-unknown-unknown target: installed"
  else
    aw_log "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# clippy keeps the core's bans (crates/core/clippy.toml); rustup's default profile has it.
ensure_clippy() {
  if cargo clippy --version >/dev/null 2>&1; then
    aw_log "clippy: installed"
  else
    aw_log "installing clippy"
    rustup component add clippy
  fi
}

ensure_trunk() {
  local have
  have="$(aw_tool_version trunk)"
  if [ "$have" = "$AW_TRUNK_VERSION" ]; then
    aw_log "trunk $have: installed"
  else
    aw_log "installing trunk $AW_TRUNK_VERSION (found: ${have:-none}; takes ~10 min on 2 cores)"
    cargo install --locked trunk --version "$AW_TRUNK_VERSION"
  fi
}

# The wasm-bindgen version the app is locked to; the CLI must match it exactly.
aw_wasm_bindgen_version() {
  local v=""
  if [ -f "$AW_ROOT/Cargo.lock" ]; then
    v="$(awk '
      /^\[\[package\]\]/ { in_wb = 0 }
      /^name = "wasm-bindgen"$/ { in_wb = 1; next }
      in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$AW_ROOT/Cargo.lock")"
  fi
  printf '%s\n' "${v:-$AW_WASM_BINDGEN_FALLBACK}"
}

ensure_wasm_bindgen() {
  local want have
  want="$(aw_wasm_bindgen_version)"
  have="$(aw_tool_version wasm-bindgen)"
  if [ "$have" = "$want" ]; then
    aw_log "wasm-bindgen $have: installed"
  else
    aw_log "installing wasm-bindgen-cli $want (found: ${have:-none}; takes ~3 min)"
    # No --locked: the CLI's own lockfile pins a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# The version of an installed node package, or nothing.
aw_node_package_version() {
  local manifest="$AW_ROOT/node_modules/$1/package.json"
  [ -f "$manifest" ] || return 0
  node -e 'process.stdout.write(String(require(process.argv[1]).version || ""))' "$manifest"
}

# The version package.json asks for (exact pins only), or nothing.
aw_node_package_wanted() {
  node -e '
    const p = require(process.argv[1]);
    const d = Object.assign({}, p.dependencies, p.devDependencies);
    process.stdout.write(String(d[process.argv[2]] || ""));
  ' "$AW_ROOT/package.json" "$1"
}

# "wasm-opt version 132 (version_132)" -> 132, or nothing when it is missing.
aw_wasm_opt_version() {
  local out
  out="$("$AW_ROOT/node_modules/.bin/wasm-opt" --version 2>/dev/null)" || return 0
  printf '%s\n' "$out" | awk 'NR == 1 { print $3 }'
}

ensure_node_packages() {
  local wasm_opt have_pw want_pw have_axe want_axe
  wasm_opt="$(aw_wasm_opt_version)"
  have_pw="$(aw_node_package_version playwright-core)"
  want_pw="$(aw_node_package_wanted playwright-core)"
  have_axe="$(aw_node_package_version axe-core)"
  want_axe="$(aw_node_package_wanted axe-core)"
  if [ "$wasm_opt" = "$AW_WASM_OPT_VERSION" ] && [ -n "$have_pw" ] && [ "$have_pw" = "$want_pw" ] \
    && [ -n "$have_axe" ] && [ "$have_axe" = "$want_axe" ]; then
    aw_log "node packages (wasm-opt $wasm_opt, playwright-core $have_pw, axe-core $have_axe): installed"
    return 0
  fi
  aw_log "installing node packages (found wasm-opt: ${wasm_opt:-none}, playwright-core: ${have_pw:-none})"
  if [ -f "$AW_ROOT/package-lock.json" ]; then
    (cd "$AW_ROOT" && npm ci --no-audit --no-fund)
  else
    (cd "$AW_ROOT" && npm install --no-audit --no-fund)
  fi
  wasm_opt="$(aw_wasm_opt_version)"
  if [ "$wasm_opt" != "$AW_WASM_OPT_VERSION" ]; then
    aw_err "node_modules/.bin/wasm-opt reports version '${wasm_opt:-none}', expected $AW_WASM_OPT_VERSION"
    return 1
  fi
}

ensure_chromium() {
  if [ -x "$AW_CHROMIUM" ]; then
    aw_log "chromium: installed"
    return 0
  fi
  aw_log "installing chromium (Debian package)"
  aw_as_root apt-get update
  aw_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  if [ ! -x "$AW_CHROMIUM" ]; then
    aw_err "$AW_CHROMIUM still missing after apt-get install chromium"
    return 1
  fi
}

# Everything the web build needs (not the browser).
ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_packages
}

aw_export_path
