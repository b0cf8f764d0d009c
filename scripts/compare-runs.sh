#!/usr/bin/env bash
# Do two run folders hold the same bits? Compares weights.safetensors, embeddings.npy and
# labels.npy by SHA-256, every metrics.json value but the timings (seconds, train_seconds,
# views_per_s), and history.csv's epoch, loss, lr and kNN columns. Exit 0 when all are equal.
#
#   scripts/compare-runs.sh runs/reproduction/runs/785edc6652b5 /tmp/check/runs/785edc6652b5
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/compare-runs.sh RUN_A RUN_B" >&2; exit 2; }
a="$1"; b="$2"; same=0
for f in weights.safetensors embeddings.npy labels.npy; do
  for d in "$a" "$b"; do [ -f "$d/$f" ] || { echo "compare-runs: $d/$f is missing" >&2; exit 2; }; done
  ha=$(sha256sum < "$a/$f" | cut -c1-16); hb=$(sha256sum < "$b/$f" | cut -c1-16)
  if [ "$ha" = "$hb" ]; then echo "$f: same (sha256 $ha…)"; else echo "$f: DIFFERENT ($ha… vs $hb…)"; same=1; fi
done
python3 - "$a" "$b" <<'PY' || same=1
import csv, json, sys
a, b = sys.argv[1:3]
ma, mb = (json.load(open(d + "/metrics.json")) for d in (a, b))
timings = {"seconds", "train_seconds", "views_per_s"}
keys = [k for k in sorted(set(ma) | set(mb)) if k not in timings]
diff = [k for k in keys if ma.get(k) != mb.get(k)]
print(f"metrics.json: {len(keys)} values compared (timings left out), " + (f"DIFFERENT: {', '.join(diff)}" if diff else "all the same"))
ha, hb = ([(r["epoch"], r["loss"], r["lr"], r.get("knn_accuracy", "")) for r in csv.DictReader(open(d + "/history.csv"))] for d in (a, b))
print(f"history.csv: {len(ha)} epochs, epoch/loss/lr/kNN " + ("the same" if ha == hb else "DIFFERENT"))
sys.exit(1 if diff or ha != hb else 0)
PY
exit $same
