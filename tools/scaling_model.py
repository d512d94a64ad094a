#!/usr/bin/env python3
"""The cost model of docs/scaling.md: data-parallel efficiency of the shipped recipes.

Per optimizer step, each of N ranks computes its 1/N of the global batch, then the ranks sum
the gradient with a ring allreduce, which moves 2(N-1)/N x gradient bytes over each link and
takes 2(N-1) latency hops. Without overlap (the current trainer), a step takes
    t_compute / N + 2(N-1)/N * bytes / bandwidth + 2(N-1) * latency
and the efficiency is (t_compute / N) / that. t_compute is one process's measured time per
step on one thread, given on the command line (defaults: what docs/scaling.md measured).
"""
import argparse

RECIPES = {  # name: (parameters, steps per epoch, measured seconds per epoch on 1 thread)
    "fashion_mnist_mlp": (235146, 422, 0.70),
    "fashion_mnist_cnn": (421642, 422, 33.8),
}


def efficiency(params, step_seconds, ranks, gbits, latency):
    grad_bytes = 4 * params
    compute = step_seconds / ranks
    comm = 2 * (ranks - 1) / ranks * grad_bytes / (gbits * 1e9 / 8) + 2 * (ranks - 1) * latency
    return compute / (compute + comm)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=10e-6, help="seconds per hop (default 10 us)")
    args = parser.parse_args()
    print("| recipe | ranks | 10 Gbit/s | 100 Gbit/s |")
    print("|---|---|---|---|")
    for name, (params, steps, epoch_seconds) in RECIPES.items():
        step = epoch_seconds / steps
        for ranks in (2, 8, 64):
            cells = [f"{100 * efficiency(params, step, ranks, g, args.latency):.0f}%" for g in (10, 100)]
            print(f"| {name} | {ranks} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
