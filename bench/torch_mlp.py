#!/usr/bin/python3
"""bench/compare's PyTorch side: the MLP of bench/compare_mlp.lua, trained on the same terms.

Run by hand (not in CI), with Debian's python3-torch; bench/compare runs it in its own process,
once per thread count, with OpenBLAS put in front through LD_LIBRARY_PATH:

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_NUM_THREADS=1 \\
        /usr/bin/python3 bench/torch_mlp.py --threads 1

784-256-128-10, ReLU, dropout 0.2, Adam(lr=1e-3), cross-entropy, batch 128 (the last batch of
an epoch is the remainder, as Regimen's), all 60k training images shuffled each epoch, pixels
/255; test accuracy on the 10k test images after the last epoch. An epoch's time covers what
Regimen's epoch time covers: the shuffled batches gathered, forward, loss, backward, the Adam
step, and the running loss and accuracy; loading and scaling the data come before it. Prints
one JSON object: epoch times, the median samples/second, test accuracy, this process's peak
RSS (ru_maxrss) and the BLAS libraries mapped into the process (to show which one ran).
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time

import torch

ROOT = "/usr/share/datasets/fashion-mnist"


def read_idx(name, header):
    """An IDX file's payload as a uint8 tensor (images: [n, 784], labels: [n])."""
    with gzip.open(os.path.join(ROOT, name), "rb") as f:
        raw = f.read()
    return torch.frombuffer(bytearray(raw[header:]), dtype=torch.uint8)


def load(prefix):
    images = read_idx(f"{prefix}-images-idx3-ubyte.gz", 16).view(-1, 784).float().div_(255.0)
    labels = read_idx(f"{prefix}-labels-idx1-ubyte.gz", 8).long()
    return images, labels


def blas_libraries():
    with open("/proc/self/maps") as maps:
        names = {line.split()[-1] for line in maps if "blas" in line or "lapack" in line}
    return sorted(os.path.realpath(n) for n in names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train = load("train")
    x_test, y_test = load("t10k")
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(128, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    n, batch = x_train.shape[0], 128

    epoch_seconds, losses = [], []
    for _ in range(args.epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(n)
        loss_sum = torch.zeros(())
        correct = torch.zeros((), dtype=torch.long)
        for at in range(0, n, batch):
            idx = order[at:at + batch]
            x, y = x_train[idx], y_train[idx]
            optimizer.zero_grad(set_to_none=True)
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                loss_sum += loss.detach() * y.shape[0]
                correct += (out.argmax(1) == y).sum()
        epoch_seconds.append(time.perf_counter() - start)
        losses.append(loss_sum.item() / n)

    model.eval()
    with torch.no_grad():
        test_accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(json.dumps({
        "torch": torch.__version__,
        "threads": args.threads,
        "epoch_seconds": epoch_seconds,
        "samples_per_second": n / statistics.median(epoch_seconds),
        "train_loss": losses,
        "test_accuracy": test_accuracy,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "blas": blas_libraries(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
