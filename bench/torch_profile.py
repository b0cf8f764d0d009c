#!/usr/bin/python3
"""Where PyTorch's CPU training step spends its time, op by op: the peer model and step of
../shared/peers/torch_step.py under torch.profiler, per step (self CPU time / steps).
The counterpart of `./tauon bench step --profile`; run with Debian's interpreter and, for the
tuned figures, the GLIBC_TUNABLES line from the peers' README:
    /usr/bin/python3 bench/torch_profile.py --batch 256 --threads 2
    /usr/bin/python3 bench/torch_profile.py --batch 256 --threads 2 --channels-last   # PyTorch at its best
"""
import argparse, importlib.util, os

import torch
from torch.profiler import profile, ProfilerActivity


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=256, help="images per step; views = 2*batch")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=6, help="untimed steps first")
    p.add_argument("--steps", type=int, default=3, help="profiled steps")
    p.add_argument("--channels-last", action="store_true",
                   help="NHWC activations and weights (torch.channels_last), as torch_step.py --channels-last")
    p.add_argument("--peer", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "peers", "torch_step.py"),
                   help="path of the peer script that defines the model and the loss")
    a = p.parse_args()
    if not os.path.isfile(a.peer):
        p.error(f"peer script not found: {a.peer} (pass --peer PATH)")
    spec = importlib.util.spec_from_file_location("torch_step", a.peer)
    ts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ts)

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ts.SmallConvNet(1).train()
    x = torch.randn(2 * a.batch, 1, 28, 28)
    if a.channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def step():
        loss = ts.nt_xent(model(x), 0.5)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(a.warmup):
        step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(a.steps):
            step()
    rows = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
    total = sum(e.self_cpu_time_total for e in rows)
    print(f"batch={a.batch} views={2 * a.batch} threads={a.threads} steps={a.steps} channels_last={a.channels_last} torch={torch.__version__}")
    print(f"{'op':48s} {'ms/step':>9s} {'share':>7s}")
    for e in rows:
        if e.self_cpu_time_total < 0.002 * total:
            break
        print(f"{e.key[:48]:48s} {e.self_cpu_time_total / 1000 / a.steps:9.2f} {100 * e.self_cpu_time_total / total:6.1f}%")
    print(f"{'total (self CPU time)':48s} {total / 1000 / a.steps:9.2f}")


if __name__ == "__main__":
    main()
