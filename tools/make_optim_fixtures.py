#!/usr/bin/python3
"""Golden trajectories for Regimen's optimizers, computed by the real torch.optim.

Lion and schedule-free AdamW (not in torch.optim) come from their papers' pseudocode, and the
convention="keras" cases from Keras 3's update rules, each written out below in float64.

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
Schedule-free fixtures also record x, the average the model is evaluated at, after each step.

The *_scheduled_* cases change options between steps, as a recipe's scheduled momentum, betas
or weight_decay does: before step t (from 0) each is set in param_groups[0] (or the reference
class's options) to its schedule's value at t, the closed forms of Regimen's schedule.linear,
.step and .piecewise written out below. Their fixtures also hold "schedules" (kind and
arguments per option, named as a recipe names them: "betas[1]") and, per step, the "options"
that step used.
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

# The other torch.optim classes: (class name, every option but lr at PyTorch's default, cases).
TORCH_CASES = {
    "AdamW": (dict(ADAM_DEFAULTS, weight_decay=1e-2), {
        "adamw_default": dict(lr=0.01),
        "adamw_amsgrad": dict(lr=0.05, weight_decay=0.1, amsgrad=True),
        "adamw_maximize": dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, maximize=True),
    }),
    "RMSprop": (dict(alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                     maximize=False), {
        "rmsprop_default": dict(lr=0.01),
        "rmsprop_centered": dict(lr=0.01, centered=True),
        "rmsprop_momentum": dict(lr=0.005, momentum=0.9),
        "rmsprop_weight_decay": dict(lr=0.01, alpha=0.9, weight_decay=0.1),
        "rmsprop_centered_momentum_maximize": dict(lr=0.003, alpha=0.95, eps=1e-6, momentum=0.5,
                                                   centered=True, maximize=True),
    }),
    "Adagrad": (dict(lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10,
                     maximize=False), {
        "adagrad_default": dict(lr=0.1),
        "adagrad_lr_decay": dict(lr=0.1, lr_decay=0.05),
        "adagrad_initial_accumulator": dict(lr=0.1, initial_accumulator_value=0.5,
                                            weight_decay=0.05),
        "adagrad_maximize": dict(lr=0.05, eps=1e-6, maximize=True),
    }),
    "Adadelta": (dict(rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False), {
        "adadelta_default": dict(lr=1.0),
        "adadelta_weight_decay": dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1),
        "adadelta_maximize": dict(lr=1.0, maximize=True),
    }),
    "Adamax": (dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False), {
        "adamax_default": dict(lr=0.02),
        "adamax_weight_decay": dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
        "adamax_maximize": dict(lr=0.01, maximize=True),
    }),
    "NAdam": (dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3), {
        "nadam_default": dict(lr=0.01),
        "nadam_momentum_decay": dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.05,
                                     momentum_decay=0.05),
    }),
    "RAdam": (dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0), {
        "radam_default": dict(lr=0.01),
        "radam_weight_decay": dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    }),
}

# Beyond torch.optim, computed by the reference classes below.
LION_CASES = {
    "lion_default": dict(lr=0.01),
    "lion_weight_decay": dict(lr=0.005, betas=(0.95, 0.98), weight_decay=0.5),
}
SCHEDULE_FREE_CASES = {
    "schedule_free_adamw_default": dict(lr=0.05),
    "schedule_free_adamw_warmup_decay": dict(lr=0.05, betas=(0.9, 0.99), weight_decay=0.01,
                                             warmup_steps=10),
    "schedule_free_adamw_polynomial": dict(lr=0.02, eps=1e-6, r=1.0, weight_lr_power=1.0),
}
LION_DEFAULTS = dict(betas=(0.9, 0.99), weight_decay=0.0)
SCHEDULE_FREE_DEFAULTS = dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, warmup_steps=0,
                              r=0.0, weight_lr_power=2.0)
# Schedules of options, as (kind, arguments) with the arguments a recipe gives them.
def linear(start, end, steps):
    return ("linear", {"from": start, "to": end, "steps": steps})


def step_decay(value, step_size, gamma):
    return ("step", {"lr": value, "step_size": step_size, "gamma": gamma})


def piecewise(boundaries, values):
    return ("piecewise", {"boundaries": boundaries, "values": values})


def schedule_value(schedule, t):
    """The value at step t of runtime/schedule's linear, step and piecewise."""
    kind, a = schedule
    if kind == "linear":
        return a["to"] if t >= a["steps"] else a["from"] + (a["to"] - a["from"]) * t / a["steps"]
    if kind == "step":
        return a["lr"] * a["gamma"] ** math.floor(t / a["step_size"])
    # piecewise: values[i] while t <= boundaries[i] (Keras' closed right ends)
    return next((v for b, v in zip(a["boundaries"], a["values"]) if t <= b), a["values"][-1])


MOMENTUM = linear(0.85, 0.95, 50)
DECAY_STEPS = step_decay(0.1, 10, 0.5)
# (optimizer, options given, {option: schedule}). "buffer_up_front" allocates RMSprop's momentum
# buffer (zeros) before the first step, which PyTorch does only when momentum > 0 there: a
# momentum that turns positive later then starts from a zero buffer instead of a KeyError.
SCHEDULED_CASES = {
    "rmsprop_scheduled_momentum": ("RMSprop", dict(lr=0.005),
                                   {"momentum": MOMENTUM, "weight_decay": DECAY_STEPS}),
    "rmsprop_scheduled_momentum_to_zero": ("RMSprop", dict(lr=0.003, centered=True),
                                           {"momentum": linear(0.9, 0.0, 30)}),
    "rmsprop_scheduled_momentum_from_zero": ("RMSprop", dict(lr=0.003, buffer_up_front=True),
                                             {"momentum": piecewise([9, 29], [0.0, 0.9, 0.0])}),
    "adagrad_scheduled_weight_decay": ("Adagrad", dict(lr=0.1, lr_decay=0.01),
                                       {"weight_decay": DECAY_STEPS}),
    "adadelta_scheduled_weight_decay": ("Adadelta", dict(lr=0.5),
                                        {"weight_decay": linear(0.0, 0.2, 25)}),
    "adamax_scheduled_betas": ("Adamax", dict(lr=0.02),
                               {"betas[1]": MOMENTUM, "betas[2]": linear(0.99, 0.999, 50),
                                "weight_decay": DECAY_STEPS}),
    "nadam_scheduled_betas": ("NAdam", dict(lr=0.01, momentum_decay=0.05),
                              {"betas[1]": MOMENTUM, "weight_decay": DECAY_STEPS}),
    "radam_scheduled_betas": ("RAdam", dict(lr=0.02),
                              {"betas[1]": MOMENTUM, "betas[2]": linear(0.9, 0.99, 50),
                               "weight_decay": DECAY_STEPS}),
    "lion_scheduled_betas": ("Lion", dict(lr=0.005),
                             {"betas[1]": MOMENTUM, "betas[2]": linear(0.95, 0.99, 50),
                              "weight_decay": step_decay(0.5, 10, 0.5)}),
    "schedule_free_adamw_scheduled_betas": ("schedule_free_adamw", dict(lr=0.05, warmup_steps=5),
                                            {"betas[1]": linear(0.5, 0.9, 30),
                                             "betas[2]": linear(0.95, 0.999, 50),
                                             "weight_decay": step_decay(0.01, 10, 0.5)}),
}
KERAS_CASES = {
    "sgd_keras_momentum": ("SGD", dict(SGD_DEFAULTS, lr=0.01, momentum=0.9)),
    "sgd_keras_nesterov_decay": ("SGD", dict(SGD_DEFAULTS, lr=0.01, momentum=0.9, nesterov=True,
                                            weight_decay=0.05)),
    "sgd_keras_plain_decay": ("SGD", dict(SGD_DEFAULTS, lr=0.01, weight_decay=0.1)),
    "rmsprop_keras": ("RMSprop", dict(TORCH_CASES["RMSprop"][0], lr=0.01, alpha=0.9, eps=1e-7)),
    "rmsprop_keras_centered_momentum": ("RMSprop", dict(
        TORCH_CASES["RMSprop"][0], lr=0.005, alpha=0.9, eps=1e-7, momentum=0.5, centered=True,
        weight_decay=0.01)),
    "adam_keras": ("Adam", dict(ADAM_DEFAULTS, lr=0.01, eps=1e-7)),
    "adam_keras_amsgrad_decay": ("Adam", dict(ADAM_DEFAULTS, lr=0.02, betas=(0.8, 0.99), eps=1e-6,
                                              weight_decay=0.05, amsgrad=True)),
}


class Reference:
    """The part of the torch.optim.Optimizer interface that trajectory() uses."""

    def __init__(self, params, **options):
        (self.w,) = params
        self.o = options
        self.k = 0

    def zero_grad(self):
        self.w.grad = None

    @torch.no_grad()
    def step(self):
        self.k += 1
        self.update(self.w, self.w.grad)


class Lion(Reference):
    """Chen et al., "Symbolic Discovery of Optimization Algorithms" (2023), Algorithm 2:
    c = b1 m + (1 - b1) g;  theta -= lr (sign(c) + lambda theta);  m = b2 m + (1 - b2) g."""

    def update(self, w, g):
        (b1, b2), lam, lr = self.o["betas"], self.o["weight_decay"], self.o["lr"]
        m = getattr(self, "m", torch.zeros_like(w))
        c = b1 * m + (1 - b1) * g
        w -= lr * (torch.sign(c) + lam * w)
        self.m = b2 * m + (1 - b2) * g


class ScheduleFreeAdamW(Reference):
    """Defazio et al., "The Road Less Scheduled" (2024), Algorithm 1, with explicit x and z;
    the averaging weights generalized as in the authors' AdamWScheduleFree (k^r lr_max^p)."""

    def update(self, y, g):
        o, k = self.o, self.k
        (b1, b2), lam, eps = o["betas"], o["weight_decay"], o["eps"]
        if k == 1:
            self.x, self.z, self.v = y.clone(), y.clone(), torch.zeros_like(y)
            self.lr_max, self.weight_sum = -1.0, 0.0
        self.v = b2 * self.v + (1 - b2) * g * g
        warm = min(1.0, k / o["warmup_steps"]) if o["warmup_steps"] > 0 else 1.0
        lr_k = o["lr"] * warm * math.sqrt(1 - b2 ** k)
        self.z = self.z - lr_k * g / (torch.sqrt(self.v) + eps) - lr_k * lam * y
        self.lr_max = max(self.lr_max, lr_k)
        weight = k ** o["r"] * self.lr_max ** o["weight_lr_power"]
        self.weight_sum += weight
        c = weight / self.weight_sum if self.weight_sum else 0.0
        self.x = (1 - c) * self.x + c * self.z
        y.copy_((1 - b1) * self.z + b1 * self.x)


class Keras(Reference):
    """Keras 3's update rules (keras/src/optimizers/{sgd,rmsprop,adam}.py, update_step), written
    out from its sources in the same operation order; weight decay is Keras' base optimizer's
    _apply_weight_decay, run before update_step: w = w - w * wd * lr. RMSprop's rho is our alpha.
    Keras has no dampening, maximize or L2-in-the-gradient."""

    def update(self, w, g):
        o, lr, k = self.o, self.o["lr"], self.k
        if o["weight_decay"]:
            w.copy_(w - w * o["weight_decay"] * lr)
        s = self.__dict__.setdefault("slots", {})
        zeros = lambda: torch.zeros_like(w)
        if self.kind == "SGD":
            if o["momentum"] == 0:
                w -= g * lr
                return
            m = s["m"] = s.get("m", zeros()) * o["momentum"] - g * lr
            w += m * o["momentum"] - g * lr if o["nesterov"] else m
        elif self.kind == "RMSprop":
            rho, eps = o["alpha"], o["eps"]
            v = s["v"] = rho * s.get("v", zeros()) + (1 - rho) * g * g
            if o["centered"]:
                a = s["a"] = rho * s.get("a", zeros()) + (1 - rho) * g
                denominator = v - a * a + eps
            else:
                denominator = v + eps
            increment = lr * g / torch.sqrt(denominator)
            if o["momentum"] > 0:
                s["b"] = o["momentum"] * s.get("b", zeros()) + increment
                w -= s["b"]
            else:
                w -= increment
        else:  # Adam
            (b1, b2), eps = o["betas"], o["eps"]
            alpha = lr * math.sqrt(1 - b2 ** k) / (1 - b1 ** k)
            m = s["m"] = s.get("m", zeros()) + (g - s.get("m", zeros())) * (1 - b1)
            v = s["v"] = s.get("v", zeros()) + (g * g - s.get("v", zeros())) * (1 - b2)
            if o["amsgrad"]:
                v = s["vhat"] = torch.maximum(s.get("vhat", zeros()), v)
            w -= m * alpha / (torch.sqrt(v) + eps)


def objective(w):
    x, y, z = w[:, 0], w[:, 1], w[:, 2]
    return ((1 - x) ** 2 + 2 * (y - x ** 2) ** 2 + 0.5 * torch.sin(3 * z) * (x + y)).sum()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def set_option(options, name, value):
    """Sets option `name` ("betas[1]", "momentum") in a param group or a reference's options."""
    if name.startswith("betas["):
        betas = list(options["betas"])
        betas[int(name[6]) - 1] = value
        options["betas"] = tuple(betas)
    else:
        options[name] = value


def trajectory(make_optimizer, maximize, schedules=None):
    w = torch.tensor(INITIAL, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([w])
    sign = -1.0 if maximize else 1.0
    steps = []
    for t in range(STEPS):
        used = {}
        for name, schedule in (schedules or {}).items():
            used[name] = schedule_value(schedule, t)
            set_option(opt.param_groups[0] if hasattr(opt, "param_groups") else opt.o, name, used[name])
        opt.zero_grad()
        (sign * objective(w)).backward()
        grad = flat(w.grad)
        opt.step()
        steps.append({"grad": grad, "params": flat(w)})
        if used:
            steps[-1]["options"] = used
        if hasattr(opt, "x"):
            steps[-1]["x"] = flat(opt.x)
    values = [v for s in steps for v in s["grad"] + s["params"]]
    assert all(math.isfinite(v) for v in values), "trajectory left the finite numbers"
    return steps


def write(name, optimizer, options, steps, reference=None, schedules=None):
    options = {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}
    fixture = {
        "generator": "tools/make_optim_fixtures.py",
        "reference": reference or f"torch.optim.{optimizer} (torch {torch.__version__}), float64",
        "optimizer": optimizer.lower(),
        "options": options,
    }
    if schedules:
        fixture["schedules"] = {k: {"kind": kind, **a} for k, (kind, a) in schedules.items()}
    fixture.update({
        "shape": [2, 3],
        "initial": [v for row in INITIAL for v in row],
        "steps": steps,
    })
    (OUT / f"{name}.json").write_text(json.dumps(fixture, indent=1, allow_nan=False) + "\n")
    last = max(abs(v) for v in steps[-1]["params"])
    print(f"{name}: {len(steps)} steps, max |p| at the end {last:.3g}")


def scheduled_trajectory(name, optimizer, given, schedules):
    """A SCHEDULED_CASES fixture: the options of step 0 build the optimizer, then each step
    sets its scheduled options first."""
    given = dict(given)
    up_front = given.pop("buffer_up_front", False)
    references = {"Lion": (Lion, LION_DEFAULTS, "Lion, Chen et al. 2023, Algorithm 2"),
                  "schedule_free_adamw": (ScheduleFreeAdamW, SCHEDULE_FREE_DEFAULTS,
                                          "Schedule-free AdamW, Defazio et al. 2024, Algorithm 1")}
    if optimizer in references:
        make, defaults, paper = references[optimizer]
        reference = f"{paper}, in tools/make_optim_fixtures.py, float64, options set before each step"
    else:
        make, defaults = getattr(torch.optim, optimizer), TORCH_CASES[optimizer][0]
        reference = (f"torch.optim.{optimizer} (torch {torch.__version__}), float64, "
                     "param_groups[0] options set before each step")
    options = {**defaults, **given}
    for option, schedule in schedules.items():
        set_option(options, option, schedule_value(schedule, 0))

    def build(params):
        opt = make(params, **options)
        if up_front:  # as if PyTorch's state initialization had found momentum > 0
            (w,) = params
            opt.state[w] = {"step": 0, "square_avg": torch.zeros_like(w),
                            "momentum_buffer": torch.zeros_like(w)}
            if options["centered"]:
                opt.state[w]["grad_avg"] = torch.zeros_like(w)
        return opt

    if up_front:
        reference += ", momentum buffer allocated (zeros) before step 0"
    steps = trajectory(build, options.get("maximize", False), schedules)
    write(name, optimizer, options, steps, reference, schedules)


def main():
    # PyTorch keeps NAdam's mu_product in a tensor of the default dtype; float64 makes the whole
    # trajectory float64 (the other optimizers' state is unaffected: their params are float64).
    torch.set_default_dtype(torch.float64)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, given in SGD_CASES.items():
        options = {**SGD_DEFAULTS, **given}
        steps = trajectory(lambda p: torch.optim.SGD(p, **options), options["maximize"])
        write(name, "SGD", options, steps)
    for name, given in ADAM_CASES.items():
        options = {**ADAM_DEFAULTS, **given}
        steps = trajectory(lambda p: torch.optim.Adam(p, **options), options["maximize"])
        write(name, "Adam", {**options, "betas": list(options["betas"])}, steps)
    for optimizer, (defaults, cases) in TORCH_CASES.items():
        for name, given in cases.items():
            options = {**defaults, **given}
            steps = trajectory(lambda p: getattr(torch.optim, optimizer)(p, **options),
                               options.get("maximize", False))
            write(name, optimizer, options, steps)
    for name, given in LION_CASES.items():
        options = {**LION_DEFAULTS, **given}
        write(name, "Lion", options, trajectory(lambda p: Lion(p, **options), False),
              "Lion, Chen et al. 2023, Algorithm 2, in tools/make_optim_fixtures.py, float64")
    for name, given in SCHEDULE_FREE_CASES.items():
        options = {**SCHEDULE_FREE_DEFAULTS, **given}
        write(name, "schedule_free_adamw", options,
              trajectory(lambda p: ScheduleFreeAdamW(p, **options), False),
              "Schedule-free AdamW, Defazio et al. 2024, Algorithm 1, in "
              "tools/make_optim_fixtures.py, float64")
    for name, (optimizer, given, schedules) in SCHEDULED_CASES.items():
        scheduled_trajectory(name, optimizer, given, schedules)
    for name, (optimizer, options) in KERAS_CASES.items():
        options = {**options, "convention": "keras"}
        kind = type(optimizer, (Keras,), {"kind": optimizer})
        write(name, optimizer, options, trajectory(lambda p: kind(p, **options), False),
              f"Keras 3 keras.optimizers.{optimizer} update rule, in tools/make_optim_fixtures.py, "
              "float64")


if __name__ == "__main__":
    main()
