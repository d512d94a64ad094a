#!/usr/bin/python3
"""Golden values for Regimen's schedules.

Run with Debian's interpreter, where python3-torch lives:

    /usr/bin/python3 tools/make_schedule_fixtures.py

Writes tests/fixtures/schedule/<name>.json:
    {"generator", "reference", "schedule", "options", "t": [...], "values": [...]}
and, for plateau fixtures, "metrics": the metric observed before each value after the first
(values[i] is the rate after metrics[0..i-1]).

PyTorch fixtures drive the real torch.optim.lr_scheduler classes: an SGD optimizer, one
scheduler.step() per optimizer step, get_last_lr() read at t = 0..N. Many PyTorch schedulers
update recursively (lr_t = lr_{t-1} * factor); Regimen evaluates closed forms. They agree to
~1e-13 relative over 300 steps, so the tests compare within 1e-9 relative (1e-15 absolute near
zero). Where the two differ by intent, the fixture stops before the difference:
- cosine_*: CosineAnnealingLR past T_max climbs back towards lr; Regimen holds eta_min.
  Recorded for t = 0..T_max.
- one_cycle_*: OneCycleLR raises past total_steps; Regimen holds the final rate from
  total_steps - 1 on. Recorded for t = 0..total_steps - 1.
- join_*: SequentialLR; a ConstantLR piece (factor f) is Regimen's constant{lr = f * lr} and
  a LinearLR piece is linear{from = start_factor * lr, to = end_factor * lr, steps}.

Keras has no Debian package; its schedules (keras/src/optimizers/schedules/
learning_rate_schedule.py, Keras 3) are evaluated here in float64 from their documented
formulas, with Regimen's option names:
- ExponentialDecay:       p = t / decay_steps (floored when staircase); lr * decay_rate ** p
- InverseTimeDecay:       p as above; lr / (1 + decay_rate * p)
- PiecewiseConstantDecay: values[0] for t <= boundaries[0], values[i] for
                          boundaries[i-1] < t <= boundaries[i], values[-1] after the last
- PolynomialDecay:        cycle: decay_steps *= (1 if t == 0 else ceil(t / decay_steps));
                          else t = min(t, decay_steps);
                          (lr - end_lr) * (1 - t / decay_steps) ** power + end_lr
- CosineDecayRestarts:    fraction = t / first_decay_steps;
                          t_mul == 1: i = floor(fraction), fraction -= i
                          else: i = floor(log(1 - fraction * (1 - t_mul)) / log(t_mul)),
                                fraction = (fraction - (1 - t_mul**i) / (1 - t_mul)) / t_mul**i
                          lr * ((1 - alpha) * 0.5 * m_mul**i * (1 + cos(pi * fraction)) + alpha)
                          with alpha = eta_min / lr. (Its log can round a restart down for
                          t_mul = 1.5 or 3; the parameters here avoid those steps, and Regimen
                          finds the cycle exactly.)
"""
import json
import math
import pathlib
import random
import warnings

import torch
from torch.optim import lr_scheduler as S

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "schedule"
STEPS = 300
TORCH = f"torch {torch.__version__}"


def optimizer(lr):
    param = torch.zeros(1, requires_grad=True)
    return torch.optim.SGD([param], lr=lr)


def torch_schedule(make_scheduler, lr, steps=STEPS):
    """Rates at t = 0..steps, as PyTorch's scheduler sets them on the optimizer."""
    opt = optimizer(lr)
    sched = make_scheduler(opt)
    values = [sched.get_last_lr()[0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(steps):
            opt.step()
            sched.step()
            values.append(sched.get_last_lr()[0])
    return values


def torch_plateau(options, metrics):
    """ReduceLROnPlateau fed one metric per epoch; the rate before and after each."""
    opt = optimizer(options["lr"])
    kwargs = {k: v for k, v in options.items() if k not in ("lr", "monitor")}
    sched = S.ReduceLROnPlateau(opt, **kwargs)
    values = [opt.param_groups[0]["lr"]]
    for m in metrics:
        sched.step(m)
        values.append(opt.param_groups[0]["lr"])
    return values


def write(name, schedule, reference, options, values, **extra):
    fixture = {
        "generator": "tools/make_schedule_fixtures.py",
        "reference": reference,
        "schedule": schedule,
        "options": options,
        "t": list(range(len(values))),
        "values": values,
    }
    fixture.update(extra)
    (OUT / f"{name}.json").write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"{name}: t = 0..{len(values) - 1}")


def keras(name, schedule, keras_class, options, f, steps=STEPS):
    write(name, schedule, f"keras.optimizers.schedules.{keras_class} formula", options,
          [f(t, **options) for t in range(steps + 1)])


# Keras' documented formulas, in Regimen's option names.

def exponential_decay(t, lr, decay_rate, decay_steps, staircase):
    p = t / decay_steps
    if staircase:
        p = math.floor(p)
    return lr * decay_rate ** p


def inverse_time(t, lr, decay_rate, decay_steps, staircase):
    p = t / decay_steps
    if staircase:
        p = math.floor(p)
    return lr / (1 + decay_rate * p)


def piecewise(t, boundaries, values):
    if t <= boundaries[0]:
        return values[0]
    if t > boundaries[-1]:
        return values[-1]
    for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
        if low < t <= high:
            return v
    raise AssertionError("unreachable")


def polynomial(t, lr, total_steps, power, end_lr, cycle):
    decay_steps = total_steps
    if cycle:
        decay_steps = decay_steps * (1.0 if t == 0 else math.ceil(t / decay_steps))
    else:
        t = min(t, decay_steps)
    p = t / decay_steps
    return (lr - end_lr) * (1 - p) ** power + end_lr


def cosine_restarts(t, lr, T_0, T_mult, eta_min, m_mul):
    alpha = eta_min / lr
    fraction = t / T_0
    if T_mult == 1.0:
        i = math.floor(fraction)
        fraction -= i
    else:
        i = math.floor(math.log(1.0 - fraction * (1.0 - T_mult)) / math.log(T_mult))
        sum_r = (1.0 - T_mult ** i) / (1.0 - T_mult)
        fraction = (fraction - sum_r) / T_mult ** i
    cosine_decayed = 0.5 * m_mul ** i * (1.0 + math.cos(math.pi * fraction))
    return lr * ((1 - alpha) * cosine_decayed + alpha)


def metric_sequence(seed, kind):
    """A recorded-looking validation curve: fast progress, then a noisy plateau."""
    rng = random.Random(seed)
    if kind == "loss":
        return [0.3 + 0.7 * math.exp(-i / 25) + rng.gauss(0, 0.01) for i in range(STEPS)]
    return [0.92 - 0.5 * math.exp(-i / 30) + rng.gauss(0, 0.004) for i in range(STEPS)]


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # step: StepLR.
    for name, lr, step_size, gamma, steps in [("step_default_gamma", 0.1, 3, 0.1, 12),
                                              ("step_half", 0.05, 4, 0.5, 30)]:
        values = torch_schedule(lambda o: S.StepLR(o, step_size=step_size, gamma=gamma), lr, steps)
        write(name, "step", f"torch.optim.lr_scheduler.StepLR ({TORCH})",
              dict(lr=lr, step_size=step_size, gamma=gamma), values)

    # multistep: MultiStepLR; 80 twice decays by gamma**2 at t = 80.
    for name, lr, milestones, gamma in [("multistep_repeated", 0.1, [30, 80, 80, 150], 0.5),
                                        ("multistep_default_gamma", 1.0, [100, 200], 0.1)]:
        values = torch_schedule(lambda o: S.MultiStepLR(o, milestones=milestones, gamma=gamma), lr)
        write(name, "multistep", f"torch.optim.lr_scheduler.MultiStepLR ({TORCH})",
              dict(lr=lr, milestones=milestones, gamma=gamma), values)

    # exponential: ExponentialLR.
    values = torch_schedule(lambda o: S.ExponentialLR(o, gamma=0.99), 0.1)
    write("exponential", "exponential", f"torch.optim.lr_scheduler.ExponentialLR ({TORCH})",
          dict(lr=0.1, gamma=0.99), values)

    # cosine: CosineAnnealingLR up to T_max.
    for name, lr, t_max, eta_min in [("cosine_eta_min", 0.1, 10, 0.001),
                                     ("cosine_zero_floor", 0.003, 37, 0.0),
                                     ("cosine_long", 0.1, STEPS, 1e-4)]:
        values = torch_schedule(lambda o: S.CosineAnnealingLR(o, T_max=t_max, eta_min=eta_min), lr, t_max)
        write(name, "cosine", f"torch.optim.lr_scheduler.CosineAnnealingLR ({TORCH})",
              dict(lr=lr, T_max=t_max, eta_min=eta_min), values)

    # cosine_restarts with m_mul = 1: CosineAnnealingWarmRestarts.
    for name, lr, t_0, t_mult, eta_min in [("cosine_restarts_tmult1", 0.1, 50, 1, 0.001),
                                           ("cosine_restarts_tmult2", 0.05, 10, 2, 0.0),
                                           ("cosine_restarts_tmult3", 0.1, 5, 3, 0.002)]:
        values = torch_schedule(
            lambda o: S.CosineAnnealingWarmRestarts(o, T_0=t_0, T_mult=t_mult, eta_min=eta_min), lr)
        write(name, "cosine_restarts", f"torch.optim.lr_scheduler.CosineAnnealingWarmRestarts ({TORCH})",
              dict(lr=lr, T_0=t_0, T_mult=t_mult, eta_min=eta_min, m_mul=1.0), values)

    # one_cycle: OneCycleLR for t = 0..total_steps - 1.
    for name, options in [
            ("one_cycle_cos", dict(max_lr=0.1, total_steps=STEPS + 1, pct_start=0.3, anneal="cos",
                                   div_factor=25.0, final_div_factor=1e4, three_phase=False)),
            ("one_cycle_linear", dict(max_lr=0.2, total_steps=STEPS + 1, pct_start=0.25, anneal="linear",
                                      div_factor=10.0, final_div_factor=100.0, three_phase=False)),
            ("one_cycle_three_phase", dict(max_lr=0.1, total_steps=STEPS + 1, pct_start=0.3, anneal="cos",
                                           div_factor=25.0, final_div_factor=1e4, three_phase=True)),
            ("one_cycle_short", dict(max_lr=1.0, total_steps=37, pct_start=0.3, anneal="linear",
                                     div_factor=25.0, final_div_factor=1e4, three_phase=True))]:
        o = options
        values = torch_schedule(
            lambda opt: S.OneCycleLR(opt, max_lr=o["max_lr"], total_steps=o["total_steps"],
                                     pct_start=o["pct_start"], anneal_strategy=o["anneal"],
                                     cycle_momentum=False, div_factor=o["div_factor"],
                                     final_div_factor=o["final_div_factor"],
                                     three_phase=o["three_phase"]),
            o["max_lr"], o["total_steps"] - 1)
        write(name, "one_cycle", f"torch.optim.lr_scheduler.OneCycleLR ({TORCH})", options, values)

    # cyclic: CyclicLR, three modes.
    for name, options in [
            ("cyclic_triangular", dict(base_lr=0.001, max_lr=0.1, step_size_up=20, step_size_down=20,
                                       mode="triangular", gamma=1.0)),
            ("cyclic_triangular2", dict(base_lr=0.01, max_lr=0.2, step_size_up=15, step_size_down=35,
                                        mode="triangular2", gamma=1.0)),
            ("cyclic_exp_range", dict(base_lr=0.002, max_lr=0.05, step_size_up=25, step_size_down=25,
                                      mode="exp_range", gamma=0.995))]:
        o = options
        values = torch_schedule(
            lambda opt: S.CyclicLR(opt, base_lr=o["base_lr"], max_lr=o["max_lr"],
                                   step_size_up=o["step_size_up"], step_size_down=o["step_size_down"],
                                   mode=o["mode"], gamma=o["gamma"], cycle_momentum=False),
            o["base_lr"])
        write(name, "cyclic", f"torch.optim.lr_scheduler.CyclicLR ({TORCH})", options, values)

    # linear: LinearLR, a warmup ramp and a decay.
    for name, lr, start, end, iters in [("linear_up", 0.1, 0.1, 1.0, 50),
                                        ("linear_down", 0.2, 1.0, 0.05, 200)]:
        values = torch_schedule(
            lambda o: S.LinearLR(o, start_factor=start, end_factor=end, total_iters=iters), lr)
        write(name, "linear", f"torch.optim.lr_scheduler.LinearLR ({TORCH})",
              dict(**{"from": lr * start, "to": lr * end}, steps=iters), values)

    # polynomial without end_lr: PolynomialLR.
    values = torch_schedule(lambda o: S.PolynomialLR(o, total_iters=250, power=2.0), 0.1)
    write("polynomial_torch", "polynomial", f"torch.optim.lr_scheduler.PolynomialLR ({TORCH})",
          dict(lr=0.1, total_steps=250, power=2.0, end_lr=0.0, cycle=False), values)

    # join: SequentialLR.
    values = torch_schedule(
        lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=20),
                                     S.CosineAnnealingLR(o, T_max=280, eta_min=0.001)], milestones=[20]),
        0.1)
    write("join_warmup_cosine", "join", f"torch.optim.lr_scheduler.SequentialLR ({TORCH})",
          dict(pieces=[{"schedule": "linear", "from": 0.01, "to": 0.1, "steps": 20},
                       {"schedule": "cosine", "lr": 0.1, "T_max": 280, "eta_min": 0.001}],
               boundaries=[20]), values)
    values = torch_schedule(
        lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=1000),
                                     S.StepLR(o, step_size=30, gamma=0.5),
                                     S.ExponentialLR(o, gamma=0.99)], milestones=[50, 150]),
        0.1)
    write("join_three", "join", f"torch.optim.lr_scheduler.SequentialLR ({TORCH})",
          dict(pieces=[{"schedule": "constant", "lr": 0.05},
                       {"schedule": "step", "lr": 0.1, "step_size": 30, "gamma": 0.5},
                       {"schedule": "exponential", "lr": 0.1, "gamma": 0.99}],
               boundaries=[50, 150]), values)

    # product: ChainedScheduler of multiplicative schedulers.
    values = torch_schedule(
        lambda o: S.ChainedScheduler([S.ExponentialLR(o, gamma=0.99), S.StepLR(o, step_size=40, gamma=0.5)]),
        0.1)
    write("product_chained", "product", f"torch.optim.lr_scheduler.ChainedScheduler ({TORCH})",
          dict(pieces=[{"schedule": "exponential", "lr": 0.1, "gamma": 0.99},
                       {"schedule": "step", "lr": 1.0, "step_size": 40, "gamma": 0.5}]), values)

    # plateau: ReduceLROnPlateau fed recorded metric sequences.
    for name, kind, seed, options in [
            ("plateau_min_rel", "loss", 1, dict(lr=0.1, mode="min", factor=0.1, patience=10, threshold=1e-4,
                                                threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8)),
            ("plateau_min_abs", "loss", 2, dict(lr=0.05, mode="min", factor=0.5, patience=5, threshold=0.01,
                                                threshold_mode="abs", cooldown=3, min_lr=0.002, eps=1e-8)),
            ("plateau_max_rel", "accuracy", 3, dict(lr=0.1, mode="max", factor=0.5, patience=3, threshold=1e-3,
                                                    threshold_mode="rel", cooldown=2, min_lr=0.0, eps=1e-8)),
            ("plateau_max_abs", "accuracy", 4, dict(lr=0.2, mode="max", factor=0.3, patience=4, threshold=0.005,
                                                    threshold_mode="abs", cooldown=0, min_lr=1e-3, eps=1e-8)),
            ("plateau_eps", "loss", 5, dict(lr=0.02, mode="min", factor=0.9, patience=2, threshold=1e-4,
                                            threshold_mode="rel", cooldown=1, min_lr=0.0, eps=1e-3))]:
        metrics = metric_sequence(seed, kind)
        values = torch_plateau(options, metrics)
        options["monitor"] = "val_loss" if kind == "loss" else "val_accuracy"
        write(name, "plateau", f"torch.optim.lr_scheduler.ReduceLROnPlateau ({TORCH})", options, values,
              metrics=metrics)

    # Keras' formulas.
    for name, staircase in [("exponential_decay_smooth", False), ("exponential_decay_staircase", True)]:
        keras(name, "exponential_decay", "ExponentialDecay",
              dict(lr=0.1, decay_rate=0.96, decay_steps=5, staircase=staircase), exponential_decay, 25)
    for name, staircase in [("inverse_time_smooth", False), ("inverse_time_staircase", True)]:
        keras(name, "inverse_time", "InverseTimeDecay",
              dict(lr=0.1, decay_rate=0.5, decay_steps=20, staircase=staircase), inverse_time)
    keras("piecewise", "piecewise", "PiecewiseConstantDecay",
          dict(boundaries=[50, 120, 200], values=[0.1, 0.05, 0.01, 0.001]), piecewise)
    keras("piecewise_single", "piecewise", "PiecewiseConstantDecay",
          dict(boundaries=[0], values=[1.0, 0.5]), piecewise)
    keras("polynomial_sqrt", "polynomial", "PolynomialDecay",
          dict(lr=0.1, total_steps=200, power=0.5, end_lr=0.01, cycle=False), polynomial)
    keras("polynomial_cycle", "polynomial", "PolynomialDecay",
          dict(lr=0.1, total_steps=70, power=2.0, end_lr=0.001, cycle=True), polynomial)
    keras("cosine_restarts_m_mul", "cosine_restarts", "CosineDecayRestarts",
          dict(lr=0.1, T_0=20, T_mult=2.0, eta_min=0.005, m_mul=0.8), cosine_restarts)
    keras("cosine_restarts_m_mul_tmult1", "cosine_restarts", "CosineDecayRestarts",
          dict(lr=0.2, T_0=30, T_mult=1.0, eta_min=0.0, m_mul=0.7), cosine_restarts)


if __name__ == "__main__":
    main()
