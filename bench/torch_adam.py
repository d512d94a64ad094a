#!/usr/bin/python3
"""PyTorch's Adam step over the parameter count optimizer_bench uses, for comparison.

Run by hand (not in CI), with Debian's python3-torch:

    /usr/bin/python3 bench/torch_adam.py --bench build/bench/optimizer_bench

Times torch.optim.Adam with foreach=False (one tensor at a time) and foreach=True (the
multi-tensor path) on one float32 tensor of 16M elements, at 1 and 2 threads, and prints
ms/step: the median over repetitions of `steps` consecutive steps, after warm-up steps that
allocate the state. With --bench it also runs optimizer_bench at the same size and prints
PyTorch's time over ours (> 1: ours is faster); --ours 1=21.7,2=11.6 gives our ms/step instead.
faults/step counts the pages faulted in per step: PyTorch's step allocates temporaries the size
of the parameters, and fresh pages are what they cost.
docs/benchmarks.md records the figures.
"""
import argparse
import re
import resource
import statistics
import subprocess
import sys
import time

import torch


def time_adam(size, threads, foreach, steps, reps):
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    param = torch.nn.Parameter(torch.randn(size))
    param.grad = 0.01 * torch.randn(size)
    optimizer = torch.optim.Adam([param], lr=1e-3, foreach=foreach)
    for _ in range(3):  # allocates exp_avg and exp_avg_sq, starts the threads
        optimizer.step()
    per_step = []
    faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(steps):
            optimizer.step()
        per_step.append((time.perf_counter() - start) / steps)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before) / (reps * steps)
    return statistics.median(per_step), min(per_step), faults


def ours_from_bench(path, size, threads):
    """Our Adam ms/step per thread count, from optimizer_bench's table."""
    listed = ",".join(str(t) for t in threads)
    out = subprocess.run([path, "--size", str(size), "--threads", listed], check=True, capture_output=True,
                         text=True).stdout
    print(out)
    ours = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\d+)\s+adam\s+[\d.]+\s+([\d.]+)", line)
        if match:
            ours[int(match.group(1))] = float(match.group(2))
    return ours


def parse_ours(text):
    ours = {}
    for item in text.split(","):
        threads, ms = item.split("=")
        ours[int(threads)] = float(ms)
    return ours


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1 << 24, help="parameters (default 16M)")
    parser.add_argument("--steps", type=int, default=10, help="steps per repetition")
    parser.add_argument("--reps", type=int, default=7, help="repetitions; the median is reported")
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated")
    parser.add_argument("--bench", help="path to optimizer_bench, run for our figures")
    parser.add_argument("--ours", help="our Adam ms/step per thread count, e.g. 1=21.7,2=11.6")
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]

    ours = {}
    if args.bench:
        ours = ours_from_bench(args.bench, args.size, threads)
    elif args.ours:
        ours = parse_ours(args.ours)

    print(f"torch {torch.__version__}: Adam over {args.size} float32 parameters, "
          f"{args.steps} steps x {args.reps} repetitions")
    print(f"{'threads':>7}  {'torch.optim.Adam':<18} {'ms/step':>9} {'best ms':>9} {'faults/step':>12} {'ours ms':>9}"
          f" {'torch/ours':>11}")
    for t in threads:
        for foreach in (False, True):
            median, best, faults = time_adam(args.size, t, foreach, args.steps, args.reps)
            name = f"foreach={foreach}"
            line = f"{t:>7}  {name:<18} {median * 1e3:>9.3f} {best * 1e3:>9.3f} {faults:>12.0f}"
            if t in ours:
                line += f" {ours[t]:>9.3f} {median * 1e3 / ours[t]:>11.2f}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
