#!/usr/bin/python3
"""Golden trajectories for Regimen's optimizers, computed by the real torch.optim.

Run with Debian's interpreter, where python3-torch lives:

    /usr/bin/python3 tools/make_optim_fixtures.py

For every case it writes tests/fixtures/optim/<name>.json holding the options, the initial
2x3 parameter, and for each of STEPS steps the gradient torch.optim was given and the
parameter after the step (row-major, float64). The C++ tests replay those gradients, so they
need not re-derive the objective; it is kept here for the record:

    f(W) = sum over rows (x, y, z) of  (1 - x)^2 + 2 (y - x^2)^2 + 0.5 sin(3 z) (x + y)

a Rosenbrock valley with a wavy coupling, so that every element's gradient changes sign and
size along the way (a pure quadratic would let some mistakes cancel). Cases with maximize=True
ascend -f instead, which stays bounded (ascending f itself overflows within 50 steps); the
recorded gradients are then those of -f, and the optimizer must flip their sign itself.
"""
import json
import math
import pathlib

import torch

STEPS = 50
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "optim"
INITIAL = [[-0.8, 1.3, 0.4], [0.6, -0.2, -1.1]]

SGD_CASES = {
    "sgd_plain": dict(lr=0.01),
    "sgd_momentum": dict(lr=0.01, momentum=0.9),
    "sgd_dampening": dict(lr=0.01, momentum=0.9, dampening=0.3),
    "sgd_nesterov": dict(lr=0.01, momentum=0.9, nesterov=True),
    "sgd_weight_decay": dict(lr=0.01, momentum=0.5, weight_decay=0.05),
    "sgd_maximize": dict(lr=0.005, maximize=True),
    "sgd_nesterov_decay_maximize": dict(lr=0.002, momentum=0.8, nesterov=True, weight_decay=0.1,
                                        maximize=True),
}
ADAM_CASES = {
    "adam_default": dict(lr=0.01),
    "adam_weight_decay": dict(lr=0.01, weight_decay=0.1),
    "adam_amsgrad": dict(lr=0.1, amsgrad=True),
    "adam_maximize": dict(lr=0.01, maximize=True),
    "adam_amsgrad_decay_betas": dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05,
                                     amsgrad=True),
}
SGD_DEFAULTS = dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, maximize=False)
ADAM_DEFAULTS = dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                     maximize=False)


def objective(w):
    x, y, z = w[:, 0], w[:, 1], w[:, 2]
    return ((1 - x) ** 2 + 2 * (y - x ** 2) ** 2 + 0.5 * torch.sin(3 * z) * (x + y)).sum()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def trajectory(make_optimizer, maximize):
    w = torch.tensor(INITIAL, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([w])
    sign = -1.0 if maximize else 1.0
    steps = []
    for _ in range(STEPS):
        opt.zero_grad()
        (sign * objective(w)).backward()
        grad = flat(w.grad)
        opt.step()
        steps.append({"grad": grad, "params": flat(w)})
    values = [v for s in steps for v in s["grad"] + s["params"]]
    assert all(math.isfinite(v) for v in values), "trajectory left the finite numbers"
    return steps


def write(name, optimizer, options, steps):
    fixture = {
        "generator": "tools/make_optim_fixtures.py",
        "reference": f"torch.optim.{optimizer} (torch {torch.__version__}), float64",
        "optimizer": optimizer.lower(),
        "options": options,
        "shape": [2, 3],
        "initial": [v for row in INITIAL for v in row],
        "steps": steps,
    }
    (OUT / f"{name}.json").write_text(json.dumps(fixture, indent=1, allow_nan=False) + "\n")
    last = max(abs(v) for v in steps[-1]["params"])
    print(f"{name}: {len(steps)} steps, max |p| at the end {last:.3g}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, given in SGD_CASES.items():
        options = {**SGD_DEFAULTS, **given}
        steps = trajectory(lambda p: torch.optim.SGD(p, **options), options["maximize"])
        write(name, "SGD", options, steps)
    for name, given in ADAM_CASES.items():
        options = {**ADAM_DEFAULTS, **given}
        steps = trajectory(lambda p: torch.optim.Adam(p, **options), options["maximize"])
        write(name, "Adam", {**options, "betas": list(options["betas"])}, steps)


if __name__ == "__main__":
    main()
