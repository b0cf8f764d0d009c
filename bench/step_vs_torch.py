#!/usr/bin/env python3
"""Tauon's training step against PyTorch's, interleaved in one sitting: for each round and batch,
`./tauon bench step --json` (or a given jar), then ../shared/peers/torch_step.py as a user gets it
(default), with tuned malloc, and tuned with --channels-last (PyTorch at its best). Prints each
measurement as it comes, then medians, ratios and peak RSS as a Markdown table.

    python3 bench/step_vs_torch.py --rounds 3 --batches 256,128 --threads 2
    python3 bench/step_vs_torch.py --jar /work/repro/tauon-a5259ca.jar     # a pinned build

Quiet the machine first (pause background work): ratios from a loaded machine mislead.
"""
import argparse, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TUNED = "glibc.malloc.mmap_threshold=4294967296:glibc.malloc.trim_threshold=4294967296"
PEERS = {"torch default": ([], False), "torch tuned": ([], True), "torch tuned channels_last": (["--channels-last"], True)}


def tauon(args, batch):
    if args.jar:
        java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
        cmd = [java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmn64m", "-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000", "-jar", args.jar]
    else:
        cmd = [os.path.join(ROOT, "tauon")]
    cmd += ["bench", "step", "--batch", str(batch), "--threads", str(args.threads), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    j = json.loads(out.strip().splitlines()[-1])
    return j["views_per_s"], j.get("peak_rss_mib")


def torch(args, batch, flags, tuned):
    env = dict(os.environ)
    if tuned:
        env["GLIBC_TUNABLES"] = TUNED
    cmd = ["/usr/bin/python3", args.peer, "--batch", str(batch), "--threads", str(args.threads), "--steps", str(args.steps)] + flags
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    kv = {}
    for line in out.splitlines():
        for tok in line.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                kv[k] = v
    return float(kv["views_per_s"]), float(kv["peak_rss_mib"])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--batches", default="256,128")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=20, help="timed steps of the PyTorch peer")
    p.add_argument("--jar", help="run this tauon jar instead of ./tauon")
    p.add_argument("--peer", default=os.path.join(ROOT, "..", "shared", "peers", "torch_step.py"))
    a = p.parse_args()
    if not os.path.isfile(a.peer):
        p.error(f"peer script not found: {a.peer} (pass --peer PATH)")
    batches = [int(b) for b in a.batches.split(",")]
    speed, rss = {}, {}
    for r in range(a.rounds):
        for b in batches:
            runs = [("tauon", lambda: tauon(a, b))] + [(name, (lambda f=f, t=t: torch(a, b, f, t))) for name, (f, t) in PEERS.items()]
            for name, run in runs:
                v, m = run()
                speed.setdefault((name, b), []).append(v)
                if m is not None:
                    rss.setdefault((name, b), []).append(m)
                print(f"round {r + 1} batch {b} {name}: {v:.1f} views/s, peak RSS {m} MiB", flush=True)
    print()
    print("| batch | " + " | ".join(["Tauon"] + list(PEERS)) + " | Tauon / " + " | Tauon / ".join(PEERS) + " |")
    print("|---" * (2 + 2 * len(PEERS)) + "|")
    for b in batches:
        med = {name: statistics.median(speed[(name, b)]) for name in ["tauon"] + list(PEERS)}
        cells = [f"{med['tauon']:.0f}"] + [f"{med[n]:.0f}" for n in PEERS] + [f"{med['tauon'] / med[n]:.2f}" for n in PEERS]
        print(f"| {b} | " + " | ".join(cells) + " |")
    print()
    print("views/s, medians of " + str(a.rounds) + " interleaved rounds; peak RSS (MiB, max over rounds): "
          + "; ".join(f"{n} b{b} {max(v):.0f}" for (n, b), v in sorted(rss.items())))


if __name__ == "__main__":
    sys.exit(main())
