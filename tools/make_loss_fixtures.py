#!/usr/bin/python3
"""Reference values for Regimen's losses and metrics.

Run with Debian's interpreter, where python3-torch lives:

    /usr/bin/python3 tools/make_loss_fixtures.py

It writes tests/fixtures/loss/:

- losses.json: for loss.mse, loss.mae, loss.huber{delta}, loss.bce and
  loss.cross_entropy{label_smoothing}, a batch of predictions and targets, the mean loss and its
  gradient with respect to the predictions, from torch.nn.functional (mse_loss, l1_loss,
  huber_loss, binary_cross_entropy_with_logits, cross_entropy; reduction='mean') and autograd in
  float64. The mae case holds exact zero differences (autograd's derivative of |d| there is 0),
  the huber cases differences of exactly +-delta, the bce cases logits of +-100 and soft targets.
- metrics.json: accuracy, top-k accuracy, the confusion matrix and macro precision, recall and
  F1 of a batch of logits against class indices; the same for a multi-label (bce) batch; mse,
  mae and R^2 of a regression batch. Computed here with torch tensor ops from the definitions
  (sklearn's, for precision/recall/F1 and R^2), as written in each function below.

Every input is drawn in float32 and stored as the float64 of that float32, so the C++ tests
load exactly the values torch was given; torch then computes in float64.
"""
import json
import pathlib

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "loss"
GENERATOR = "tools/make_loss_fixtures.py"


def float32_tensor(generator, shape, scale):
    """A float64 tensor holding float32 values drawn from N(0, scale^2)."""
    return (torch.randn(*shape, generator=generator, dtype=torch.float32) * scale).to(torch.float64)


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def write(name, content):
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(content, indent=1, allow_nan=False) + "\n")
    print(f"{path.relative_to(OUT.parent.parent.parent)}: {len(content['cases'])} cases")


def loss_case(kind, options, prediction, target, fn):
    x = prediction.clone().requires_grad_(True)
    value = fn(x, target)
    value.backward()
    return {"kind": kind, "options": options,
            "shape": list(prediction.shape), "target_shape": list(target.shape),
            "prediction": flat(prediction), "target": flat(target),
            "value": float(value), "grad": flat(x.grad)}


def losses(generator):
    cases = []
    p = float32_tensor(generator, (5, 3), 1.0)
    t = float32_tensor(generator, (5, 3), 1.0)
    cases.append(loss_case("mse", {}, p, t, lambda x, y: F.mse_loss(x, y)))

    p = float32_tensor(generator, (5, 3), 1.0)
    t = float32_tensor(generator, (5, 3), 1.0)
    t[0, 0] = p[0, 0]
    t[3, 2] = p[3, 2]
    cases.append(loss_case("mae", {}, p, t, lambda x, y: F.l1_loss(x, y)))

    for delta in [1.0, 0.5, 2.5]:
        p = float32_tensor(generator, (6, 3), 2.0)
        t = float32_tensor(generator, (6, 3), 1.0)
        p[0, 0], t[0, 0] = 0.5 + delta, 0.5  # |d| == delta exactly (both are float32)
        p[1, 1], t[1, 1] = -1.0 - delta, -1.0
        cases.append(loss_case("huber", {"delta": delta}, p, t,
                               lambda x, y, d=delta: F.huber_loss(x, y, delta=d)))

    z = float32_tensor(generator, (6, 4), 3.0)
    z[0, 0], z[1, 1], z[2, 2], z[3, 3] = 100.0, -100.0, 30.0, -30.0
    y = (torch.rand(6, 4, generator=generator) < 0.5).to(torch.float64)
    y[0, 0], y[1, 1] = 0.0, 1.0  # confidently wrong: the loss is ~100 there
    cases.append(loss_case("bce", {}, z, y, F.binary_cross_entropy_with_logits))
    soft = torch.rand(6, 4, generator=generator, dtype=torch.float32).to(torch.float64)
    cases.append(loss_case("bce", {}, float32_tensor(generator, (6, 4), 2.0), soft,
                           F.binary_cross_entropy_with_logits))
    binary = (torch.rand(8, 1, generator=generator) < 0.5).to(torch.float64)
    cases.append(loss_case("bce", {}, float32_tensor(generator, (8, 1), 2.0), binary,
                           F.binary_cross_entropy_with_logits))

    for smoothing in [0.0, 0.1, 0.3]:
        z = float32_tensor(generator, (6, 5), 2.0)
        classes = torch.randint(0, 5, (6,), generator=generator)
        cases.append(loss_case("cross_entropy", {"label_smoothing": smoothing}, z,
                               classes.to(torch.float64).reshape(6, 1),
                               lambda x, y, s=smoothing: F.cross_entropy(x, y.reshape(-1).long(),
                                                                         label_smoothing=s)))
    write("losses", {
        "generator": GENERATOR,
        "reference": f"torch.nn.functional losses, reduction='mean', torch {torch.__version__} autograd, float64",
        "cases": cases,
    })


def macro_scores(tp, predicted, actual, present):
    """sklearn's precision/recall/f1_score(average='macro', zero_division=0): per label
    P = tp / predicted, R = tp / actual, F1 = 2 tp / (predicted + actual), 0 where a denominator
    is 0; averaged over `present` labels (sklearn: those in y_true or y_pred)."""
    def ratio(a, b):
        return torch.where(b > 0, a / b.clamp(min=1), torch.zeros_like(a))
    p = ratio(tp, predicted)[present]
    r = ratio(tp, actual)[present]
    f = ratio(2 * tp, predicted + actual)[present]
    return float(p.mean()), float(r.mean()), float(f.mean())


def classification(generator, rows, classes, absent=False):
    """With `absent`, the last class is never a target nor predicted: sklearn leaves it out of
    the macro averages."""
    z = float32_tensor(generator, (rows, classes), 1.5)
    t = torch.randint(0, classes - 1 if absent else classes, (rows,), generator=generator)
    z[torch.arange(rows), t] += 1.5  # a model that is right more often than not
    if absent:
        z[:, classes - 1] = -10.0
    z[0, :] = 0.5
    t[0] = classes - 2  # a row of ties: argmax takes class 0, top-k counts it as a hit (Keras' in_top_k)
    predicted = z.argmax(dim=1)  # the first maximum on ties
    confusion = torch.zeros(classes, classes, dtype=torch.float64)
    for i in range(rows):
        confusion[t[i], predicted[i]] += 1
    tp = confusion.diagonal()
    col, row = confusion.sum(dim=0), confusion.sum(dim=1)
    present = (col + row) > 0
    precision, recall, f1 = macro_scores(tp, col, row, present)
    target_logit = z.gather(1, t.reshape(-1, 1))
    rank = (z > target_logit).sum(dim=1)  # classes with a strictly larger logit
    top_k = {str(k): float((rank < k).to(torch.float64).mean()) for k in [1, 2, 3]}
    return {"kind": "classification", "shape": [rows, classes], "prediction": flat(z),
            "target": [float(v) for v in t.tolist()],
            "accuracy": float((predicted == t).to(torch.float64).mean()), "top_k_accuracy": top_k,
            "confusion": [[int(v) for v in r] for r in confusion.tolist()],
            "precision": precision, "recall": recall, "f1": f1}


def binary(generator, rows, cols):
    z = float32_tensor(generator, (rows, cols), 1.5)
    y = (torch.rand(rows, cols, generator=generator) < 0.4).to(torch.float64)
    positive = z > 0  # sigmoid(z) > 0.5
    truth = y >= 0.5
    tp = (positive & truth).sum(dim=0).to(torch.float64)
    predicted = positive.sum(dim=0).to(torch.float64)
    actual = truth.sum(dim=0).to(torch.float64)
    # Multi-label (and single-column) input: sklearn averages the positive class of every column.
    precision, recall, f1 = macro_scores(tp, predicted, actual, torch.ones(cols, dtype=torch.bool))
    case = {"kind": "binary", "shape": [rows, cols], "prediction": flat(z), "target": flat(y),
            "accuracy": float((positive == truth).to(torch.float64).mean()),
            "precision": precision, "recall": recall, "f1": f1}
    if cols == 1:
        confusion = torch.zeros(2, 2, dtype=torch.int64)
        for i in range(rows):
            confusion[int(truth[i, 0]), int(positive[i, 0])] += 1
        case["confusion"] = confusion.tolist()
    return case


def regression(generator, rows, cols):
    t = (float32_tensor(generator, (rows, cols), 2.0) + 3.0).to(torch.float32).to(torch.float64)
    p = t + float32_tensor(generator, (rows, cols), 0.7)
    p = p.to(torch.float32).to(torch.float64)
    d = p - t
    ss_res = d.square().sum(dim=0)
    ss_tot = (t - t.mean(dim=0)).square().sum(dim=0)
    return {"kind": "regression", "shape": [rows, cols], "prediction": flat(p), "target": flat(t),
            "mse": float(d.square().mean()), "mae": float(d.abs().mean()),
            # sklearn's r2_score, multioutput='uniform_average': the mean of the columns' R^2.
            "r2": float((1.0 - ss_res / ss_tot).mean())}


def metrics(generator):
    write("metrics", {
        "generator": GENERATOR,
        "reference": f"metric definitions (sklearn's macro averages, Keras' in_top_k) in torch {torch.__version__} ops, float64",
        "cases": [classification(generator, 40, 4), classification(generator, 25, 6, absent=True),
                  binary(generator, 30, 3), binary(generator, 20, 1),
                  regression(generator, 30, 2), regression(generator, 12, 1)],
    })


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(20240612)
    losses(generator)
    metrics(generator)


if __name__ == "__main__":
    main()
