"""Layers that act on each unit: dropout, parametric activations, scaling.

(A plain activation is applied by the :class:`~.dense.Dense` layer it
follows, in the pass that adds the bias.)
"""

import numpy as np

from ..rows import row_keys

DROP_LEVELS = 2**16  # the resolution of a dropout rate


class Dropout:
    """Inverted dropout (Srivastava et al., 2014), for training only.

    ``a_out = a_in * m`` with ``m = keep / (1 - rate)`` and ``keep`` 1 with
    probability ``1 - rate``, 0 otherwise, drawn afresh for every batch: each
    unit is left out with probability ``rate``, and the survivors are scaled
    so that the expected output is the input (``E[m] = 1``); prediction then
    uses the layer as the identity. Backward: ``dL/da_in = delta * m``.
    The rate is kept to 16 bits (the nearest multiple of ``2^-16``), and
    the scale is that rate's, so ``E[m] = 1`` holds exactly.

    The masks come from a NumPy ``RandomState`` seeded by the fit's, drawn on
    the host and moved to the device, so a seed gives the same fit on every
    namespace.
    They are drawn per *distinct* row of the batch, identical rows sharing
    one, and rows of weight 0 draw none: a row of weight 3 is then trained
    exactly as three copies of it, as the rest of the fit guarantees.
    """

    n_params = 0

    def __init__(self, rate, random_state):
        self.initial_rate = self.rate = float(rate)  # a plan may vary ``rate``
        self.random_state = random_state

    def groups(self):
        return []

    def units(self, width):
        """The layer that applies this dropout's masks to ``width`` units (the
        training stack holds one after each hidden activation)."""
        return DroppedUnits(width)

    def draw(self, masks, xp, rows, weights=None):
        """A fresh mask into each of ``masks``, for the batch ``rows`` (NumPy
        or scipy.sparse, on the host) of sample weights ``weights``."""
        keys = row_keys(rows)
        live = np.ones(len(keys), dtype=bool) if weights is None else weights != 0
        _, which = np.unique(keys[live], return_inverse=True)
        which = which.ravel()
        n_distinct = int(which.max()) + 1 if which.size else 0
        # with k members (MemberScale) the masks hold k copies of the batch,
        # one a member, and each member's copy of a row is a row of its own
        members = masks[0].shape[0] // len(keys) if masks else 1
        if members > 1:
            which = np.concatenate([which + i * n_distinct for i in range(members)])
            live = np.tile(live, members)
            n_distinct *= members
        # 16 random bits a unit, dropped below ``cut``: a third of the cost
        # of a double each, and the survivors scaled by the rate ``cut``
        # gives exactly (within 2^-17 of ``rate``), so that still E[m] = 1
        cut = min(round(self.rate * DROP_LEVELS), DROP_LEVELS - 1)
        scale = DROP_LEVELS / (DROP_LEVELS - cut)
        every_row = n_distinct == len(live)  # then ``which`` sorts the rows
        for mask in masks:
            draws = self.random_state.randint(
                0, DROP_LEVELS, size=(n_distinct, mask.shape[1]), dtype=np.uint16
            )
            kept = draws >= cut
            if every_row:  # scaled in the mask's own dtype: no double copy
                mask[...] = xp.from_numpy(kept[which], dtype=mask.dtype)
                mask *= scale
                continue
            keep = np.ones(mask.shape)  # rows of weight 0 count for nothing
            keep[live] = kept[which] * scale
            mask[...] = xp.from_numpy(keep, dtype=mask.dtype)


class DroppedUnits:
    """Dropout on one layer's ``width`` units: ``a_out = a_in * m``, and
    backward ``dL/da_in = delta * m``, with the mask ``m`` of its buffers
    (drawn before each batch by the :class:`Dropout` that made it)."""

    n_params = 0

    def __init__(self, width):
        self.width = int(width)

    def groups(self):
        return []

    def views(self, flat, start):
        return ()

    def initialize(self, views, random_state):
        pass

    def buffers(self, m, xp, dtype, delta_in):
        """The mask and the output."""
        return tuple(xp.empty((m, self.width), dtype=dtype) for _ in range(2))

    def forward(self, a_in, views, xp, buffers=None):
        """``a_in * m`` in training; the identity in prediction (no buffers)."""
        if buffers is None:
            return a_in
        mask, out = buffers
        return xp.multiply(a_in, mask, out=out)

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        delta *= buffers[0]
        return delta


class ParametricActivation:
    """``a_out = z + w (f(z) - z)``, one learnable ``w`` per unit (RealMLP's).

    ``w = 1`` (the initial value) is plain ``f``; ``w = 0`` is the identity,
    so each unit learns how far from linear to be. Backward, with
    ``delta = dL/da_out``:

    ``dL/dw = sum over rows of delta (f(z) - z)`` and
    ``dL/dz = delta (1 - w) + (delta w) f'(z)``,

    the second term through the activation's own backward pass. It keeps its
    input ``z`` and ``f(z)`` in buffers of the workspace.
    """

    def __init__(self, function, units):
        self.function = function
        self.units = int(units)
        self.n_params = self.units

    def groups(self):
        return [("activations", self.units)]

    def views(self, flat, start):
        return (flat[start : start + self.units],)

    def initialize(self, views, random_state):
        (w,) = views
        w[...] = 1.0

    def buffers(self, m, xp, dtype, delta_in):
        """``z``, ``f(z)``, two scratch arrays and a row of ones, for ``m`` rows."""
        arrays = tuple(xp.empty((m, self.units), dtype=dtype) for _ in range(4))
        return (*arrays, xp.from_numpy(np.ones(m), dtype=dtype))

    def forward(self, a_in, views, xp, buffers=None):
        """``z = a_in`` overwritten with ``z + w (f(z) - z)``."""
        z, (w,) = a_in, views
        if buffers is None:
            buffers = self.buffers(z.shape[0], xp, z.dtype, False)
        z_in, f_z, _, _, _ = buffers
        z_in[...] = z
        f_z[...] = z
        self.function.forward(f_z, xp)
        gap = xp.subtract(f_z, z_in, out=z)  # f(z) - z
        gap *= w
        z += z_in
        return z

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        """``grad_w`` written; ``delta`` overwritten with ``dL/dz``."""
        (w,), (grad_w,) = views, grads
        z_in, f_z, scratch, scratch_f, ones = buffers
        gap = xp.subtract(f_z, z_in, out=scratch)
        gap *= delta
        xp.matmul(ones, gap, out=grad_w)
        through_f = xp.multiply(delta, w, out=scratch)  # delta w, then * f'(z)
        self.function.backward(f_z, through_f, xp, scratch=scratch_f, z=z_in)
        delta *= 1.0 - w
        delta += through_f
        return delta


class Scale:
    """A learnable factor per feature: ``a_out = a_in s`` (RealMLP's scaling
    layer, in front of the first dense layer; ``s`` starts at 1).

    Backward: ``dL/ds = sum over rows of delta a_in`` and
    ``dL/da_in = delta s``. A factor per input lets the fit weigh the
    features at a rate of their own before they are mixed.
    """

    def __init__(self, width):
        self.width = int(width)
        self.n_params = self.width
        self.width_out = self.width

    def groups(self):
        return [("scales", self.width)]

    def views(self, flat, start):
        return (flat[start : start + self.width],)

    def initialize(self, views, random_state):
        (s,) = views
        s[...] = 1.0

    def buffers(self, m, xp, dtype, delta_in):
        """The output, the gradient of the input, a scratch array and a row
        of ones."""
        arrays = tuple(xp.empty((m, self.width), dtype=dtype) for _ in range(3))
        return (*arrays, xp.from_numpy(np.ones(m), dtype=dtype))

    def forward(self, a_in, views, xp, buffers=None):
        (s,) = views
        if buffers is None:
            return a_in * s
        return xp.multiply(a_in, s, out=buffers[0])

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        """``grad_s`` written; ``dL/da_in`` returned when ``delta_in``."""
        (s,), (grad_s,) = views, grads
        _, d_in, scratch, ones = buffers
        xp.matmul(ones, xp.multiply(delta, a_in, out=scratch), out=grad_s)
        return xp.multiply(delta, s, out=d_in) if delta_in else None
