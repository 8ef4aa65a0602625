#!/usr/bin/env bash
# Checks that `alertweave analyze --json` prints the same bytes at this checkout as at REV, on
# every file under ../shared/samples (each alone, then all together), with and without
# --source-incidents. For changes that must not change behaviour (moves, splits, renames).
#
#   scripts/cli-identical.sh REV
#
# REV's tree is exported with `git archive` into a temporary folder and built there with its own
# target directory (kept in /tmp/aw-cli-identical-target between runs: its dependencies stay built).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rev="${1:?usage: scripts/cli-identical.sh REV}"
samples="$(cd ../shared/samples && pwd)"
old_src="$(mktemp -d /tmp/aw-cli-identical-src.XXXXXX)"
out="$(mktemp -d /tmp/aw-cli-identical-out.XXXXXX)"
trap 'rm -rf "$old_src" "$out"' EXIT

git archive "$rev" | tar -x -C "$old_src"
# git archive gives the files their commit's time; cargo would take the target directory's
# build of a later revision as fresh for them (its metadata hash leaves out the source path)
# and compare against that binary instead. New times make it build REV.
find "$old_src" -type f -exec touch {} +
CARGO_TARGET_DIR=/tmp/aw-cli-identical-target cargo build --release --quiet --bin alertweave \
  --manifest-path "$old_src/Cargo.toml"
cargo build --release --quiet --bin alertweave
old=/tmp/aw-cli-identical-target/release/alertweave
new=target/release/alertweave

mapfile -t files < <(find "$samples" -type f ! -name '*.md' | sort)
checked=0
differ=0
compare() {
  local label="$1"
  shift
  "$old" analyze --json "$@" >"$out/old.json" 2>/dev/null || true
  "$new" analyze --json "$@" >"$out/new.json" 2>/dev/null || true
  checked=$((checked + 1))
  if ! cmp -s "$out/old.json" "$out/new.json"; then
    differ=$((differ + 1))
    echo "DIFFERS: $label"
    diff <(head -c 2000 "$out/old.json") <(head -c 2000 "$out/new.json") | head -20 || true
  fi
}
for file in "${files[@]}"; do
  compare "${file#"$samples"/}" "$file"
  compare "${file#"$samples"/} --source-incidents" --source-incidents "$file"
done
compare "all samples together" "${files[@]}"
echo "$((checked - differ)) identical, $differ differ (of $checked runs, against $rev)"
[ "$differ" -eq 0 ]
