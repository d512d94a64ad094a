#!/usr/bin/python3
"""Golden values for Regimen's schedules.

Run with Debian's interpreter, where python3-torch lives:

    /usr/bin/python3 tools/make_schedule_fixtures.py

Writes tests/fixtures/schedule/<name>.json: {"options", "t": [...], "values": [...]}.

- step_*: torch.optim.lr_scheduler.StepLR, read with get_last_lr() after each scheduler.step().
  PyTorch multiplies the previous rate by gamma at each boundary; Regimen evaluates
  lr * gamma**floor(t / step_size). They agree to a few ulps.
- cosine_*: torch.optim.lr_scheduler.CosineAnnealingLR for t = 0..T_max only. PyTorch's
  recursive update drifts from the closed form by ~1e-15; past T_max PyTorch climbs back
  towards lr while Regimen holds eta_min, so those steps are not compared.
- exponential_decay_*: Keras' ExponentialDecay has no Debian package; its documented formula
  (keras/src/optimizers/schedules/learning_rate_schedule.py) is evaluated here in float64:
      p = t / decay_steps (floored when staircase);  lr * decay_rate ** p
"""
import json
import math
import pathlib
import warnings

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "schedule"


def torch_schedule(make_scheduler, lr, steps):
    """Rates at t = 0..steps, as PyTorch's scheduler sets them on the optimizer."""
    param = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([param], lr=lr)
    sched = make_scheduler(opt)
    values = [sched.get_last_lr()[0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(steps):
            opt.step()
            sched.step()
            values.append(sched.get_last_lr()[0])
    return values


def exponential_decay(lr, decay_rate, decay_steps, staircase, t):
    p = t / decay_steps
    if staircase:
        p = math.floor(p)
    return lr * decay_rate ** p


def write(name, schedule, reference, options, values):
    fixture = {
        "generator": "tools/make_schedule_fixtures.py",
        "reference": reference,
        "schedule": schedule,
        "options": options,
        "t": list(range(len(values))),
        "values": values,
    }
    (OUT / f"{name}.json").write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"{name}: t = 0..{len(values) - 1}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    version = f"torch {torch.__version__}"
    for name, lr, step_size, gamma, steps in [("step_default_gamma", 0.1, 3, 0.1, 12),
                                              ("step_half", 0.05, 4, 0.5, 30)]:
        values = torch_schedule(
            lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=step_size, gamma=gamma), lr, steps)
        write(name, "step", f"torch.optim.lr_scheduler.StepLR ({version})",
              dict(lr=lr, step_size=step_size, gamma=gamma), values)
    for name, lr, t_max, eta_min in [("cosine_eta_min", 0.1, 10, 0.001),
                                     ("cosine_zero_floor", 0.003, 37, 0.0)]:
        values = torch_schedule(
            lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=t_max, eta_min=eta_min),
            lr, t_max)
        write(name, "cosine", f"torch.optim.lr_scheduler.CosineAnnealingLR ({version})",
              dict(lr=lr, T_max=t_max, eta_min=eta_min), values)
    for name, staircase in [("exponential_decay_smooth", False),
                            ("exponential_decay_staircase", True)]:
        options = dict(lr=0.1, decay_rate=0.96, decay_steps=5, staircase=staircase)
        values = [exponential_decay(options["lr"], options["decay_rate"], options["decay_steps"],
                                    staircase, t) for t in range(26)]
        write(name, "exponential_decay", "keras.optimizers.schedules.ExponentialDecay formula",
              options, values)


if __name__ == "__main__":
    main()
