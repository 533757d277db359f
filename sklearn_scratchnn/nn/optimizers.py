"""Stochastic optimizers that update the flat parameter vector in place.

Each holds its state (velocity, moments) as flat arrays shaped like the
parameters, and a scratch array, so a step allocates nothing. The arrays may
be of any namespace; ``xp`` (see ``arrays.py``) is the one they compute in.

Both take decoupled weight decay (Loshchilov & Hutter, 2019; PyTorch's AdamW):
before each step, ``params <- params - lr * decay * params``, where ``decay``
is a per-entry array built once per fit from the network's parameter groups
(the weight decay on weights, 0 on biases and any group marked off). It is
not a term of the loss, so it does not pass through Adam's moments. ``decay``
is None without it, and the step is then exactly what it was.

Per-group learning rates: ``lr_factors``, when set (a per-entry array built
once per fit from the parameter groups, like ``decay``), multiplies each
entry's step, so that a group of parameters (biases, scales, ...) learns at a
rate of its own; the decay vector is built with the same factors folded in
(``params <- params - lr_g * decay * params`` with the group's rate
``lr_g``). ``decay_factor`` scales the weight decay of the current step, for
a weight-decay schedule (see ``schedules.py``). Neither is saved with the
optimizer: the estimator sets them for each fit.
"""

import math

from .arrays import NUMPY


def apply_weight_decay(params, decay, learning_rate, scratch, xp=NUMPY):
    """``params -= learning_rate * decay * params``, through ``scratch``."""
    shrink = xp.multiply(params, decay, out=scratch)
    shrink *= xp.scalar(learning_rate)
    params -= shrink


class _FlatOptimizer:
    """What both optimizers do before their own step."""

    def _begin_step(self, params, xp):
        """The scratch array (on the first step), then the weight decay."""
        if self._scratch is None:
            self._scratch = xp.empty_like(params)
        if self.decay is not None and self.decay_factor:
            rate = self.learning_rate * self.decay_factor
            apply_weight_decay(params, self.decay, rate, self._scratch, xp)

    def _set_per_fit(self):
        """What the estimator sets for each fit, at its neutral values."""
        self.decay = None  # per-entry weight decay
        self.decay_factor = 1.0  # the weight-decay schedule's factor now
        self.lr_factors = None  # per-entry learning-rate factors


class SGD(_FlatOptimizer):
    """Gradient descent with (Nesterov) momentum and a learning-rate schedule.

    ``v <- momentum * v - lr * g``, then ``params <- params + v`` (classical) or
    ``params <- params + momentum * v - lr * g`` (Nesterov). With
    ``momentum=0`` this is the article's plain step ``params -= lr * g``.

    Schedules, applied at the end of each epoch as scikit-learn does:
    ``"constant"``; ``"invscaling"``: ``lr = lr_init / (t + 1) ** power_t``
    with ``t`` the number of samples seen; ``"adaptive"``: ``lr`` is divided
    by 5 each time the stopping rule fires, until it falls below 1e-6.
    """

    def __init__(
        self,
        params,
        learning_rate_init=0.1,
        momentum=0.9,
        nesterov=True,
        schedule="constant",
        power_t=0.5,
        xp=NUMPY,
    ):
        self.learning_rate_init = float(learning_rate_init)
        self.learning_rate = float(learning_rate_init)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.schedule = schedule
        self.power_t = float(power_t)
        self.velocity = xp.zeros_like(params)
        self._set_per_fit()
        self._scratch = None  # allocated by the first step

    def step(self, params, grad, xp=NUMPY):
        self._begin_step(params, xp)
        step = xp.multiply(grad, self.learning_rate, out=self._scratch)  # lr * g
        if self.lr_factors is not None:
            step *= self.lr_factors  # each group's rate
        if self.momentum == 0:
            params -= step
            return
        v = self.velocity
        v *= self.momentum
        v -= step
        if self.nesterov:
            params -= step
            params += xp.multiply(v, self.momentum, out=self._scratch)
        else:
            params += v

    def snapshot(self, xp=NUMPY):
        """Copy of the state, for :meth:`restore` after an interrupted epoch."""
        return self.learning_rate, xp.copy(self.velocity)

    def state_dict(self):
        """Everything a later step depends on, as plain data (for saving)."""
        return {
            "name": "sgd",
            "learning_rate_init": self.learning_rate_init,
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "nesterov": self.nesterov,
            "schedule": self.schedule,
            "power_t": self.power_t,
            "velocity": self.velocity,
        }

    @classmethod
    def from_state_dict(cls, state):
        return _restored(cls, state)

    def restore(self, snapshot):
        self.learning_rate, velocity = snapshot
        self.velocity[...] = velocity

    def epoch_end(self, samples_seen):
        if self.schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (
                (samples_seen + 1) ** self.power_t
            )

    def on_plateau(self):
        """Return ``(stop, reason)`` when the stopping rule fires."""
        if self.schedule != "adaptive":
            return True, "Stopping."
        if self.learning_rate <= 1e-6:
            return True, "Learning rate too small. Stopping."
        self.learning_rate /= 5.0
        return False, f"Setting learning rate to {self.learning_rate:f}"


class Adam(_FlatOptimizer):
    """Adam (Kingma & Ba, 2014) on the flat vector.

    ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g**2``;
    ``params -= lr_t * m / (sqrt(v) + eps)`` with the bias-corrected step
    ``lr_t = lr * sqrt(1 - b2**t) / (1 - b1**t)``.
    """

    def __init__(
        self,
        params,
        learning_rate_init=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        xp=NUMPY,
    ):
        self.learning_rate_init = float(learning_rate_init)
        self.learning_rate = float(learning_rate_init)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        self.m = xp.zeros_like(params)
        self.v = xp.zeros_like(params)
        self._set_per_fit()
        self._scratch = None  # allocated by the first step

    def step(self, params, grad, xp=NUMPY):
        self._begin_step(params, xp)
        self.t += 1
        s = self._scratch
        self.m *= self.beta_1
        self.m += xp.multiply(grad, 1 - self.beta_1, out=s)
        self.v *= self.beta_2
        xp.multiply(grad, grad, out=s)
        s *= 1 - self.beta_2
        self.v += s
        lr_t = (
            self.learning_rate
            * math.sqrt(1 - self.beta_2**self.t)
            / (1 - self.beta_1**self.t)
        )
        xp.sqrt(self.v, out=s)
        s += self.epsilon
        xp.divide(self.m, s, out=s)
        s *= xp.scalar(lr_t)
        if self.lr_factors is not None:
            s *= self.lr_factors  # each group's rate
        params -= s

    def snapshot(self, xp=NUMPY):
        """Copy of the state, for :meth:`restore` after an interrupted epoch."""
        return self.t, xp.copy(self.m), xp.copy(self.v)

    def state_dict(self):
        """Everything a later step depends on, as plain data (for saving)."""
        return {
            "name": "adam",
            "learning_rate_init": self.learning_rate_init,
            "learning_rate": self.learning_rate,
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "t": self.t,
            "m": self.m,
            "v": self.v,
        }

    @classmethod
    def from_state_dict(cls, state):
        optimizer = _restored(cls, state)
        optimizer.t = int(state["t"])
        return optimizer

    def restore(self, snapshot):
        self.t, m, v = snapshot
        self.m[...] = m
        self.v[...] = v

    def epoch_end(self, samples_seen):
        pass

    def on_plateau(self):
        return True, "Stopping."


def _restored(cls, state):
    """An optimizer of class ``cls`` holding ``state`` (from ``state_dict``)."""
    optimizer = cls.__new__(cls)
    vars(optimizer).update({k: v for k, v in state.items() if k != "name"})
    optimizer._set_per_fit()  # set by the estimator for each fit, not saved
    optimizer._scratch = None  # allocated by the next step
    return optimizer


def optimizer_from_state_dict(state):
    """Rebuild an optimizer from what its ``state_dict`` returned."""
    return {"sgd": SGD, "adam": Adam}[state["name"]].from_state_dict(state)
