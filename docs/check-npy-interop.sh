#!/usr/bin/env bash
# Manual interop check (not a unit test: needs python3 with numpy 2.x): numpy writes float64 and
# float32 views, `tauon loss` reads them, numpy reads Tauon's gradients back and compares the loss
# and a few gradient entries with a float64 NumPy reference (central differences).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - <<'PY'
import numpy as np
rng = np.random.default_rng(0)
z1 = rng.normal(size=(64, 16)); z2 = z1 + 0.3 * rng.normal(size=(64, 16))
np.save("z1.npy", z1)                                   # <f8
np.save("z2.npy", z2.astype(np.float32))                # <f4
PY
"$here/tauon" loss --z1 z1.npy --z2 z2.npy --tau 0.1 --out out --json > loss.json
python3 - <<'PY'
import json, numpy as np
z1 = np.load("z1.npy"); z2 = np.load("z2.npy").astype(np.float64)
def ntxent(a, b, tau=0.1):
    z = np.vstack([a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)])
    s = z @ z.T; n = len(a); np.fill_diagonal(s, -np.inf); s = s / tau
    pos = np.r_[np.arange(n, 2 * n), np.arange(n)]
    m = s.max(1, keepdims=True)
    return (m[:, 0] + np.log(np.exp(s - m).sum(1)) - s[np.arange(2 * n), pos]).mean()
got = json.load(open("loss.json"))["value"]; ref = ntxent(z1, z2)
assert abs(got - ref) < 1e-5, (got, ref)
g = np.load("out/grad_z1.npy"); assert g.dtype == np.float32 and g.shape == z1.shape
for i, j in [(0, 0), (1, 1), (5, 7)]:
    zp, zm = z1.copy(), z1.copy(); zp[i, j] += 1e-6; zm[i, j] -= 1e-6
    num = (ntxent(zp, z2) - ntxent(zm, z2)) / 2e-6
    assert abs(g[i, j] - num) < 1e-6 + 1e-3 * abs(num), (i, j, g[i, j], num)
print(f"npy interop ok: loss {got:.7f} (numpy {ref:.7f}), gradients match, hardness rows:",
      len(open("out/hardness.csv").read().splitlines()) - 1)
PY
