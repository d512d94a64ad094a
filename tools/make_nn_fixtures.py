#!/usr/bin/python3
"""Reference values for Regimen's layers (runtime/nn), computed by PyTorch.

Run with Debian's interpreter, where python3-torch lives:

    /usr/bin/python3 tools/make_nn_fixtures.py

It writes tests/fixtures/nn/:

- conv2d.json: torch.nn.functional.conv2d on a 2-sample batch (NCHW) for several strides and
  paddings (including padding="same" with an odd and an even kernel).
- max_pool2d.json: torch.nn.functional.max_pool2d for several kernel sizes and strides.
- batch_norm.json: torch.nn.BatchNorm1d and BatchNorm2d with set weight and bias: the output of
  three training batches and the running statistics after each, then an eval batch.
- activations.json: tanh, sigmoid, gelu (exact erf form), leaky_relu, softmax (dim=1).
- alpha_dropout.json: torch.nn.AlphaDropout on a fixed input, drawn many times: the two values
  each element can take (kept, dropped), and the mean and standard deviation of the output on
  standard normal input.

Every input is drawn in float32 and stored as the float64 of that float32, so the C++ tests
load exactly the values torch was given; torch then computes in float64 (AlphaDropout's
statistics in float32, its own dtype for the mask arithmetic).
"""
import json
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "nn"
GENERATOR = "tools/make_nn_fixtures.py"


def float32_tensor(generator, shape, scale=1.0):
    """A float64 tensor holding float32 values drawn from N(0, scale^2)."""
    return (torch.randn(*shape, generator=generator, dtype=torch.float32) * scale).to(torch.float64)


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def write(name, content):
    content = {"generator": GENERATOR, "reference": f"torch {torch.__version__}", **content}
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(content, indent=1, allow_nan=False) + "\n")
    print(f"{path.relative_to(OUT.parent.parent.parent)}: {len(content['cases'])} cases")


def conv2d(generator):
    cases = []
    specs = [  # in, out, kernel, stride, padding, height, width
        (2, 3, 3, 1, 0, 5, 6),
        (2, 3, 3, 2, 1, 5, 6),
        (2, 3, 3, 1, "same", 5, 6),
        (1, 2, 2, 1, "same", 4, 5),
        (3, 2, 2, 2, 0, 6, 7),
        (2, 4, 1, 1, 0, 3, 3),
    ]
    for cin, cout, k, stride, padding, h, w in specs:
        x = float32_tensor(generator, (2, cin, h, w))
        weight = float32_tensor(generator, (cout, cin, k, k), 0.5)
        bias = float32_tensor(generator, (cout,), 0.5)
        y = torch.nn.functional.conv2d(x, weight, bias, stride=stride, padding=padding)
        cases.append({
            "in_channels": cin, "out_channels": cout, "kernel_size": k, "stride": stride,
            "padding": padding, "batch": 2, "height": h, "width": w,
            "output_shape": list(y.shape[1:]),
            "input": flat(x), "weight": flat(weight), "bias": flat(bias), "output": flat(y),
        })
    write("conv2d", {"cases": cases})


def max_pool2d(generator):
    cases = []
    for k, stride, h, w in [(2, 2, 6, 6), (2, 2, 5, 7), (3, 2, 7, 6), (2, 1, 4, 5), (3, 3, 6, 6)]:
        x = float32_tensor(generator, (2, 3, h, w))
        y = torch.nn.functional.max_pool2d(x, k, stride=stride)
        cases.append({
            "kernel_size": k, "stride": stride, "batch": 2, "channels": 3, "height": h, "width": w,
            "output_shape": list(y.shape[1:]), "input": flat(x), "output": flat(y),
        })
    write("max_pool2d", {"cases": cases})


def batch_norm(generator):
    cases = []
    for kind, shape, momentum, eps in [
        ("1d", (4, 5), 0.1, 1e-5),
        ("1d", (6, 3), 0.3, 1e-3),
        ("2d", (3, 2, 4, 4), 0.1, 1e-5),
        ("2d", (2, 3, 3, 5), 0.25, 1e-4),
    ]:
        n = shape[1]
        layer = (torch.nn.BatchNorm1d if kind == "1d" else torch.nn.BatchNorm2d)(
            n, momentum=momentum, eps=eps, dtype=torch.float64)
        weight = float32_tensor(generator, (n,), 0.5) + 1.0
        bias = float32_tensor(generator, (n,), 0.5)
        with torch.no_grad():
            layer.weight.copy_(weight)
            layer.bias.copy_(bias)
        batches = []
        layer.train()
        for _ in range(3):
            x = float32_tensor(generator, shape, 2.0) + 0.5
            y = layer(x)
            batches.append({
                "input": flat(x), "output": flat(y.detach()),
                "running_mean": flat(layer.running_mean), "running_var": flat(layer.running_var),
            })
        layer.eval()
        x = float32_tensor(generator, shape, 2.0) + 0.5
        cases.append({
            "kind": kind, "shape": list(shape), "momentum": momentum, "eps": eps,
            "weight": flat(weight), "bias": flat(bias), "train": batches,
            "eval": {"input": flat(x), "output": flat(layer(x).detach())},
        })
    write("batch_norm", {"cases": cases})


def activations(generator):
    x = float32_tensor(generator, (4, 6), 2.0)
    x[0, 0] = 0.0
    x[1, 1] = -30.0  # sigmoid's and softmax's far ends
    x[1, 2] = 25.0
    f = torch.nn.functional
    cases = [
        {"name": "tanh", "input": flat(x), "output": flat(torch.tanh(x))},
        {"name": "sigmoid", "input": flat(x), "output": flat(torch.sigmoid(x))},
        {"name": "gelu", "input": flat(x), "output": flat(f.gelu(x))},
        {"name": "leaky_relu", "negative_slope": 0.01, "input": flat(x), "output": flat(f.leaky_relu(x))},
        {"name": "leaky_relu", "negative_slope": 0.2, "input": flat(x), "output": flat(f.leaky_relu(x, 0.2))},
        {"name": "softmax", "input": flat(x), "output": flat(f.softmax(x, dim=1))},
    ]
    for case in cases:
        case["shape"] = [4, 6]
    write("activations", {"cases": cases})


def alpha_dropout(generator):
    cases = []
    for p in [0.1, 0.5]:
        layer = torch.nn.AlphaDropout(p)
        layer.train()
        x = float32_tensor(generator, (1, 8)).to(torch.float32)
        values = [set() for _ in range(x.numel())]
        torch.manual_seed(0)
        for _ in range(400):
            y = layer(x).reshape(-1)
            for i, v in enumerate(y.tolist()):
                values[i].add(round(v, 5))
        assert all(len(v) == 2 for v in values), values
        normal = torch.randn(1000, 1000, generator=generator)
        y = layer(normal).to(torch.float64)
        cases.append({
            "p": p, "input": flat(x.to(torch.float64)),
            "values": [sorted(v) for v in values],
            "normal_input_output_mean": float(y.mean()), "normal_input_output_std": float(y.std()),
        })
    write("alpha_dropout", {"cases": cases})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(20241129)
    conv2d(generator)
    max_pool2d(generator)
    batch_norm(generator)
    activations(generator)
    alpha_dropout(generator)


if __name__ == "__main__":
    main()
