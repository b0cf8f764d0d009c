#!/usr/bin/env bash
# Publishes the reproduction sweep into docs/reproduction/: each run's small files (config.json,
# metrics.json, history.csv and DONE, never weights, embeddings or checkpoints) into
# docs/reproduction/runs/<id>/, the sweep's plan.jsonl and commands.txt beside them, then the report
# (results.csv/json, baselines.csv, report.md, report.html, plots/) and docs/reproduction.md (from
# docs/reproduction/reproduction.template.md) rebuilt from those files alone.
#
#   scripts/publish-reproduction.sh [SWEEP]      # SWEEP: default runs/reproduction
#
# Unfinished runs are copied too (config.json, history.csv so far); the report lists them as such.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$(cd "${1:-$here/runs/reproduction}" 2>/dev/null && pwd)" || { echo "publish-reproduction: no sweep folder ${1:-runs/reproduction}" >&2; exit 2; }
cd "$here"              # relative paths from here on: the report quotes its command
dst=docs/reproduction
[ -f "$src/plan.jsonl" ] || { echo "publish-reproduction: $src is not a sweep folder (no plan.jsonl)" >&2; exit 2; }
# Build the jar (if stale) before the copies below modify the tree, so its version names the
# commit without "-dirty" unless the sources themselves have uncommitted changes.
./tauon --version > /dev/null
mkdir -p "$dst/runs"
for run in "$src"/runs/*/; do
  [ -f "$run/config.json" ] || continue
  id="$(basename "$run")"
  mkdir -p "$dst/runs/$id"
  for f in config.json metrics.json history.csv DONE; do
    if [ -f "$run/$f" ]; then cp "$run/$f" "$dst/runs/$id/$f"; else rm -f "$dst/runs/$id/$f"; fi
  done
done
cp "$src/plan.jsonl" "$src/commands.txt" "$dst/runs/"     # the report quotes commands.txt
./tauon report "$dst/runs" --out "$dst" --fill "$dst/reproduction.template.md=docs/reproduction.md"
