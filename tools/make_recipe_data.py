#!/usr/bin/python3
"""Synthetic CSV tables for recipes/csv_regression.lua and recipes/csv_classification.lua.

Plain Python 3, seeded, deterministic (the same bytes on every run):

    python3 tools/make_recipe_data.py

It writes recipes/data/:

- housing_like.csv (1000 rows): four features drawn uniformly in [-1, 1] (already on one scale,
  as after min-max scaling: the DSL has no normalization step) and a target
        price = 1.5 size + sin(3 location) + age^2 - 0.5 size rooms + 0.3 N(0, 1).
  With x uniform in [-1, 1]: Var(1.5 size) = 0.75, Var(sin 3x) = 1/2 - sin(6)/12 = 0.5233,
  Var(x^2) = 1/5 - 1/9 = 0.0889, Var(0.5 x y) = 0.25/9 = 0.0278, and every cross covariance
  is 0, so Var(signal) = 1.390 and Var(price) = 1.390 + 0.09 = 1.480. The best possible r2 is
  1.390 / 1.480 = 0.939. The best linear fit explains 0.75 plus E[x sin 3x]^2 / Var(x) =
  (sin(3)/9 - cos(3)/3)^2 * 3 = 0.3585 of it, r2 = 1.108 / 1.480 = 0.749: a model above that
  has learned the nonlinear terms.
- three_blobs.csv (600 rows, 200 per class, shuffled): 2 features, class k centered on
  (1.5 cos(90 + 120k), 1.5 sin(90 + 120k)) degrees, isotropic N(0, 0.6^2) around it. The
  centers are 1.5 sqrt(3) = 2.598 apart, so each one lies 1.299 = 2.165 sigma from the two
  boundaries of its (Bayes-optimal, nearest-center) cell; by the union bound the best accuracy
  is at least 1 - 2 Phi(-2.165) = 1 - 2 * 0.0152 = 0.970. Chance is 1/3.
"""
import math
import pathlib
import random

OUT = pathlib.Path(__file__).resolve().parent.parent / "recipes" / "data"


def housing_like(rng, rows=1000, noise=0.3):
    lines = ["size,rooms,age,location,price"]
    for _ in range(rows):
        size, rooms, age, location = (rng.uniform(-1.0, 1.0) for _ in range(4))
        price = 1.5 * size + math.sin(3.0 * location) + age * age - 0.5 * size * rooms + noise * rng.gauss(0.0, 1.0)
        lines.append(",".join(f"{v:.4f}" for v in (size, rooms, age, location, price)))
    return lines


def three_blobs(rng, per_class=200, radius=1.5, sigma=0.6):
    samples = []
    for k in range(3):
        angle = math.radians(90.0 + 120.0 * k)
        cx, cy = radius * math.cos(angle), radius * math.sin(angle)
        for _ in range(per_class):
            samples.append((cx + sigma * rng.gauss(0.0, 1.0), cy + sigma * rng.gauss(0.0, 1.0), k))
    rng.shuffle(samples)
    return ["x1,x2,label"] + [f"{x:.4f},{y:.4f},{k}" for x, y, k in samples]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, lines in (("housing_like.csv", housing_like(random.Random(11))), ("three_blobs.csv", three_blobs(random.Random(12)))):
        (OUT / name).write_text("\n".join(lines) + "\n")
        print(f"wrote {OUT / name} ({len(lines) - 1} rows)")


if __name__ == "__main__":
    main()
