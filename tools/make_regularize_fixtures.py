#!/usr/bin/python3
"""Reference values for Regimen's weight penalties, gradient clipping and max-norm constraint.

Run with Debian's interpreter, where python3-torch lives:

    /usr/bin/python3 tools/make_regularize_fixtures.py

It writes tests/fixtures/regularize/:

- penalties.json: for reg.l1, reg.l2, reg.l1l2 (Keras' formulas, c * sum|w|, c * sum w^2,
  l1 * sum|w| + l2 * sum w^2), the penalty of a fixed weight matrix and its gradient, both
  evaluated by torch autograd (float64). The matrix holds exact zeros, where autograd's
  derivative of |w| is 0.
- clip_norm.json: torch.nn.utils.clip_grad_norm_ over a list of four gradients (the shapes of
  a two-layer MLP's weights and biases), for max_norm below, above and equal to their global
  norm: the returned total norm and the clipped gradients.
- clip_value.json: torch.nn.utils.clip_grad_value_ on the same gradients.
- max_norm.json: Keras' MaxNorm(max_value=c, axis=0) on an in x out matrix, written with torch
  ops exactly as keras/src/constraints/constraints.py computes it:
      norms = sqrt(sum(w^2, axis=0)); w * clip(norms, 0, c) / (1e-7 + norms)

Every input is drawn in float32 and stored as the float64 of that float32, so the C++ tests
load exactly the values torch was given; torch then computes in float64.
"""
import json
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "regularize"
GENERATOR = "tools/make_regularize_fixtures.py"
KERAS_EPSILON = 1e-7  # keras.backend.epsilon()


def float32_tensor(generator, shape, scale):
    """A float64 tensor holding float32 values drawn from N(0, scale^2)."""
    return (torch.randn(*shape, generator=generator, dtype=torch.float32) * scale).to(torch.float64)


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def write(name, content):
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(content, indent=1, allow_nan=False) + "\n")
    print(f"{path.relative_to(OUT.parent.parent.parent)}: {len(content['cases'])} cases")


def penalties(generator):
    w = float32_tensor(generator, (5, 4), 0.7)
    w[0, 1] = 0.0
    w[3, 2] = 0.0
    w[4, 0] = 0.0
    formulas = {
        "l1": lambda x, o: o["c"] * x.abs().sum(),
        "l2": lambda x, o: o["c"] * x.square().sum(),
        "l1l2": lambda x, o: o["l1"] * x.abs().sum() + o["l2"] * x.square().sum(),
    }
    cases = []
    for kind, options in [
        ("l1", {"c": 0.01}),
        ("l1", {"c": 0.3}),
        ("l1", {"c": 0.0}),
        ("l2", {"c": 1e-4}),
        ("l2", {"c": 0.05}),
        ("l1l2", {"l1": 0.01, "l2": 0.02}),
        ("l1l2", {"l1": 0.0, "l2": 0.1}),
        ("l1l2", {"l1": 0.2, "l2": 0.0}),
    ]:
        x = w.clone().requires_grad_(True)
        penalty = formulas[kind](x, options)
        penalty.backward()
        cases.append({"kind": kind, "options": options, "weights": flat(w),
                      "penalty": float(penalty), "grad": flat(x.grad)})
    write("penalties", {
        "generator": GENERATOR,
        "reference": f"Keras' penalty formulas under torch {torch.__version__} autograd, float64",
        "shape": list(w.shape),
        "cases": cases,
    })


SHAPES = [(3, 4), (1, 4), (4, 2), (1, 2)]  # fc1.weight, fc1.bias, fc2.weight, fc2.bias


def gradients(generator):
    grads = [float32_tensor(generator, shape, 0.8) for shape in SHAPES]
    grads[2][1, 1] = 2.5  # one large element, so value clipping and norm clipping differ visibly
    return grads


def clip_norm(generator):
    grads = gradients(generator)
    norm = float(torch.sqrt(sum(g.square().sum() for g in grads)))
    cases = []
    for max_norm in [1.0, 0.25, norm, 100.0]:
        params = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        cases.append({"max": max_norm, "total_norm": float(total),
                      "clipped": [flat(p.grad) for p in params]})
    write("clip_norm", {
        "generator": GENERATOR,
        "reference": f"torch.nn.utils.clip_grad_norm_ (torch {torch.__version__}), norm_type=2, float64",
        "shapes": [list(s) for s in SHAPES],
        "grads": [flat(g) for g in grads],
        "cases": cases,
    })


def clip_value(generator):
    grads = gradients(generator)
    cases = []
    for v in [0.5, 0.05, 10.0]:
        params = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        torch.nn.utils.clip_grad_value_(params, v)
        cases.append({"v": v, "clipped": [flat(p.grad) for p in params]})
    write("clip_value", {
        "generator": GENERATOR,
        "reference": f"torch.nn.utils.clip_grad_value_ (torch {torch.__version__}), float64",
        "shapes": [list(s) for s in SHAPES],
        "grads": [flat(g) for g in grads],
        "cases": cases,
    })


def max_norm(generator):
    # in x out = 6 x 5; column j holds unit j's incoming weights. Scales spread the columns'
    # norms on both sides of the bounds below; the last column is all zeros.
    w = float32_tensor(generator, (6, 5), 1.0)
    w[:, 1] *= 0.1
    w[:, 3] *= 3.0
    w[:, 4] = 0.0
    cases = []
    for c in [1.0, 2.5, 0.5]:
        norms = torch.sqrt(torch.sum(torch.square(w), dim=0, keepdim=True))
        desired = torch.clip(norms, 0, c)
        result = w * (desired / (KERAS_EPSILON + norms))
        cases.append({"c": c, "column_norms": flat(norms), "result": flat(result)})
    write("max_norm", {
        "generator": GENERATOR,
        "reference": f"Keras' MaxNorm(axis=0) formula in torch {torch.__version__} ops, float64",
        "shape": list(w.shape),
        "weights": flat(w),
        "cases": cases,
    })


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(20240611)
    penalties(generator)
    clip_norm(generator)
    clip_value(generator)
    max_norm(generator)


if __name__ == "__main__":
    main()
