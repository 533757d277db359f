"""The layers a network is stacked from, each forward pass beside its backward.

In the notation of ``docs/article.rst``: a layer maps its input ``a_in`` (one
row per sample) to its output; its backward pass receives ``delta``, the
gradient of the loss with respect to that output, writes the gradients of its
own parameters, and returns the gradient with respect to its input, which is
the ``delta`` of the layer before it. That is the chain rule, one layer at a
time.

A layer owns a slice of the network's one flat parameter vector
(``n_params`` entries, tagged by ``groups``); ``views(flat, start)`` gives its
parameters as views of any vector of that layout, the parameters themselves,
their gradient or an optimizer's moments alike. A layer keeps no arrays: the
network's workspace holds the buffers, made once per batch size, and
prediction allocates its own, so one network serves many threads.

This module never imports scikit-learn.
"""

import math

import numpy as np

from .rows import row_keys

TWO_PI = 2.0 * math.pi


def _reshape(x, shape):
    """A reshaped view (arrays of array-api-strict have no ``reshape`` method)."""
    if hasattr(x, "reshape"):
        return x.reshape(shape)
    return x.__array_namespace__().reshape(x, shape)


class Dense:
    """A fully connected layer: ``a_out = a_in @ W + b``.

    ``W`` is ``(fan_in, fan_out)`` (rows are samples, so the article's ``W x``
    is ``x W`` here) and ``b`` is ``(fan_out,)``, laid out as ``W`` then ``b``.

    With ``ntk=True`` (the NTK parametrisation, Jacot et al. 2018) the layer
    computes ``a_in @ W / sqrt(fan_in) + b``: the weights are drawn N(0, 1)
    and the factor that keeps the output's scale independent of ``fan_in``
    sits in the forward pass instead of in the initial draw, so every weight
    learns at the same pace whatever the layer's width.
    """

    def __init__(self, fan_in, fan_out, ntk=False):
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        self.n_params = self.fan_in * self.fan_out + self.fan_out
        self.factor = 1.0 / math.sqrt(self.fan_in) if ntk else None

    def groups(self):
        """``(group, size)`` of each parameter, in layout order."""
        return [("weights", self.fan_in * self.fan_out), ("biases", self.fan_out)]

    def views(self, flat, start):
        """``(W, b)``: views of ``flat`` from ``start`` on."""
        w_end = start + self.fan_in * self.fan_out
        W = _reshape(flat[start:w_end], (self.fan_in, self.fan_out))
        return W, flat[w_end : w_end + self.fan_out]

    def forward(self, a_in, W, b, xp, out=None, activation=None, keep=None):
        """``a_in @ W + b``, into ``out`` when given.

        ``activation``, the elementwise layer that follows, if any, is applied
        here too: it adds the bias in the pass it makes over the output anyway,
        which saves a pass (``f(z + b)`` is the same number as ``f`` of
        ``z + b`` computed first); ``keep`` is passed on to it.
        """
        z = a_in @ W if out is None else xp.matmul(a_in, W, out=out)
        if self.factor is not None:
            z *= self.factor
        if activation is None:
            z += b
        else:
            activation.forward(z, xp, bias=b, keep=keep)
        return z

    def backward(self, a_in, delta, W, grad_W, grad_b, ones, xp, delta_in=None):
        """Gradients of ``W`` and ``b`` from ``delta = dL/da_out``.

        ``dL/dW = a_in^T delta`` and ``dL/db = sum over rows of delta``; with
        ``delta_in`` given, returns ``dL/da_in = delta W^T`` written into it
        (the first layer skips it: nothing comes before it). With the NTK
        factor ``c``, both products are scaled by ``c``: they are the
        gradients with respect to ``a_in @ W`` carried through ``c``.
        """
        xp.matmul(a_in.T, delta, out=grad_W)
        # the column sums of delta as a product with ones: BLAS is faster than
        # sum(axis=0) here, and adds in another order only
        xp.matmul(ones, delta, out=grad_b)
        if self.factor is not None:
            grad_W *= self.factor
        if delta_in is None:
            return None
        delta_in = xp.matmul(delta, W.T, out=delta_in)
        if self.factor is not None:
            delta_in *= self.factor
        return delta_in


class Activation:
    """An elementwise activation layer: ``a_out = f(a_in)``, no parameters.

    ``f`` and its derivative are in ``activations.py``; the backward pass is
    ``dL/da_in = delta * f'(a_in)``, written in terms of the output where it
    can be, so the forward pass may overwrite its input.

    Where ``f'`` needs the input itself (Mish, GELU: ``keeps_input``), the
    forward pass keeps a copy of it in a buffer of the workspace.
    """

    n_params = 0
    fused = True  # Dense.forward applies it (see there)

    def __init__(self, function):
        self.function = function
        self.keeps_input = function.uses_input

    def groups(self):
        return []

    def forward(self, z, xp, bias=None, keep=None):
        """``z`` overwritten with ``f(z + bias)``; its input copied to ``keep``."""
        if keep is not None:
            if bias is not None:
                z += bias
                bias = None
            keep[...] = z
        self.function.forward(z, xp, bias=bias)

    def backward(self, a_out, delta, xp, scratch=None, kept=None):
        """``delta`` overwritten with ``delta * f'``, from the output ``a_out``
        (and the input ``kept`` by the forward pass, where it needs it)."""
        self.function.backward(a_out, delta, xp, scratch=scratch, z=kept)
        return delta


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

    def forward(self, a_in, mask, xp, out):
        return xp.multiply(a_in, mask, out=out)

    def backward(self, delta, mask, xp):
        delta *= mask
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

    fused = False  # it has parameters: the network calls it after Dense
    keeps_input = False  # it keeps z in buffers of its own

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

    def buffers(self, m, xp, dtype):
        """``z``, ``f(z)`` and two scratch arrays, for ``m`` rows."""
        return tuple(xp.empty((m, self.units), dtype=dtype) for _ in range(4))

    def forward(self, z, w, xp, buffers=None):
        """``z`` overwritten with ``z + w (f(z) - z)``."""
        if buffers is None:
            buffers = self.buffers(z.shape[0], xp, z.dtype)
        z_in, f_z, _, _ = buffers
        z_in[...] = z
        f_z[...] = z
        self.function.forward(f_z, xp)
        gap = xp.subtract(f_z, z_in, out=z)  # f(z) - z
        gap *= w
        z += z_in
        return z

    def backward(self, delta, w, grad_w, xp, buffers, ones):
        """``grad_w`` written; ``delta`` overwritten with ``dL/dz``."""
        z_in, f_z, scratch, scratch_f = buffers
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

    def buffers(self, m, xp, dtype):
        """The output, the gradient of the input and a scratch array."""
        return tuple(xp.empty((m, self.width), dtype=dtype) for _ in range(3))

    def forward(self, a_in, s, xp, buffers=None):
        if buffers is None:
            return a_in * s
        return xp.multiply(a_in, s, out=buffers[0])

    def backward(self, a_in, delta, views, grads, xp, buffers, ones, delta_in=False):
        """``grad_s`` written; ``dL/da_in`` returned when ``delta_in``."""
        (s,), (grad_s,) = views, grads
        _, d_in, scratch = buffers
        xp.matmul(ones, xp.multiply(delta, a_in, out=scratch), out=grad_s)
        return xp.multiply(delta, s, out=d_in) if delta_in else None


class PeriodicEmbedding:
    """Periodic embeddings of numbers: RealMLP's PBLD (Holzmüller et al.,
    2024), of the PLR family of Gorishniy et al. (2022).

    Each of the first ``n_columns`` input columns ``x_j`` gets ``k``
    learnable frequencies ``c_j`` and phases ``p_j``, and a small linear map
    ``V_j`` (``k`` to ``d``) with bias ``beta_j``, its own per column:

    ``u_j = 2 pi c_j x_j + p_j``, ``h_j = cos(u_j)``,
    ``e_j = h_j V_j + beta_j``.

    The output is the input itself followed by every ``e_j``:
    ``[x, e_1, ..., e_n]`` (``n_features + n d`` columns). A number so
    becomes a few smooth periodic functions of itself, at frequencies the fit
    tunes, which lets the next layer draw sharp or wavy shapes along one
    feature. Backward, with ``delta_e`` the part of ``delta`` for ``e_j``:

    ``dL/dbeta_j = sum over rows of delta_e``,
    ``dL/dV_j = h_j^T delta_e``,
    ``dL/du_j = -sin(u_j) (delta_e V_j^T)``,
    ``dL/dp_j = sum over rows of dL/du_j``,
    ``dL/dc_j = 2 pi sum over rows of x_j dL/du_j``, and
    ``dL/dx_j = delta_x,j + 2 pi sum over k of c_j dL/du_j``.

    The columns are a batch dimension: arrays are laid out ``(n, m, k)``
    (column, row, frequency), so each product above is one batched matmul.
    """

    def __init__(self, n_features, n_columns, n_frequencies=16, width=3, sigma=0.1):
        self.n_features, self.n = int(n_features), int(n_columns)
        self.k, self.d, self.sigma = int(n_frequencies), int(width), float(sigma)
        self.width_out = self.n_features + self.n * self.d
        n, k, d = self.n, self.k, self.d
        self._sizes = [n * k, n * k, n * k * d, n * d]
        self.n_params = sum(self._sizes)

    def groups(self):
        names = ["frequencies", "phases", "embedding_weights", "embedding_biases"]
        return list(zip(names, self._sizes, strict=True))

    def views(self, flat, start):
        """``(c, p, V, beta)``, shaped ``(n, 1, k)``, ``(n, 1, k)``,
        ``(n, k, d)`` and ``(n, 1, d)`` to broadcast over the rows."""
        n, k, d = self.n, self.k, self.d
        shapes = [(n, 1, k), (n, 1, k), (n, k, d), (n, 1, d)]
        views = []
        for size, shape in zip(self._sizes, shapes, strict=True):
            views.append(_reshape(flat[start : start + size], shape))
            start += size
        return tuple(views)

    def initialize(self, views, random_state):
        """``c ~ N(0, sigma^2)``, ``p ~ U(-pi, pi)``, and ``V``, ``beta``
        uniform in ``+-1/sqrt(k)`` (PyTorch's default for a linear map)."""
        c, p, V, beta = views
        c[...] = random_state.normal(0.0, self.sigma, c.shape)
        p[...] = random_state.uniform(-math.pi, math.pi, p.shape)
        bound = 1.0 / math.sqrt(self.k)
        V[...] = random_state.uniform(-bound, bound, V.shape)
        beta[...] = random_state.uniform(-bound, bound, beta.shape)

    def buffers(self, m, xp, dtype):
        """``u`` and ``h`` ``(n, m, k)``, the output, the input's gradient,
        ``e`` ``(n, m, d)``, and ``dL/du`` and a scratch array ``(n, m, k)``."""
        n, k = self.n, self.k
        return (
            xp.empty((n, m, k), dtype=dtype),
            xp.empty((n, m, k), dtype=dtype),
            xp.empty((m, self.width_out), dtype=dtype),
            xp.empty((m, self.n_features), dtype=dtype),
            xp.empty((n, m, self.d), dtype=dtype),
            xp.empty((n, m, k), dtype=dtype),
            xp.empty((n, m, k), dtype=dtype),
        )

    def _columns(self, x, xp):
        """The embedded columns as ``(n, m, 1)``: one batch per column."""
        columns = xp.permute_dims(x[:, : self.n], (1, 0))
        return xp.reshape(columns, (self.n, x.shape[0], 1))

    def forward(self, x, c, p, V, beta, xp, buffers=None):
        m, n, d = x.shape[0], self.n, self.d
        if buffers is None:
            buffers = self.buffers(m, xp, x.dtype)
        u, h, out, _, e, _, _ = buffers
        xp.multiply(self._columns(x, xp), c, out=u)
        u *= TWO_PI
        u += p  # u = 2 pi c x + p
        xp.cos(u, out=h)
        xp.matmul(h, V, out=e)  # (n, m, d)
        e += beta
        out[:, : self.n_features] = x
        out[:, self.n_features :] = xp.reshape(
            xp.permute_dims(e, (1, 0, 2)), (m, n * d)
        )
        return out

    def backward(self, x, delta, views, grads, xp, buffers, ones, delta_in=False):
        """The four gradients written; ``dL/dx`` returned when ``delta_in``."""
        c, _, V, _ = views
        grad_c, grad_p, grad_V, grad_beta = grads
        u, h, _, d_in, _, delta_u, scratch = buffers
        m, n, d = x.shape[0], self.n, self.d
        delta_e = xp.reshape(delta[:, self.n_features :], (m, n, d))
        delta_e = xp.permute_dims(delta_e, (1, 0, 2))  # (n, m, d)
        xp.sum(delta_e, axis=1, keepdims=True, out=grad_beta)
        xp.matmul(xp.permute_dims(h, (0, 2, 1)), delta_e, out=grad_V)
        xp.matmul(delta_e, xp.permute_dims(V, (0, 2, 1)), out=delta_u)  # dL/dh
        delta_u *= xp.sin(u, out=scratch)
        xp.negative(delta_u, out=delta_u)  # dL/du = -sin(u) dL/dh
        xp.sum(delta_u, axis=1, keepdims=True, out=grad_p)
        columns = self._columns(x, xp)
        xp.multiply(delta_u, columns, out=scratch)
        xp.sum(scratch, axis=1, keepdims=True, out=grad_c)
        grad_c *= TWO_PI
        if not delta_in:
            return None
        d_in[...] = delta[:, : self.n_features]
        through_u = TWO_PI * xp.sum(xp.multiply(delta_u, c, out=scratch), axis=2)
        d_in[:, :n] += xp.permute_dims(through_u, (1, 0))
        return d_in


class CategoricalEmbedding:
    """Learned embeddings of categories (Guo & Berkhahn, 2016; RealMLP's for
    columns of more than a few categories).

    The last ``len(cardinalities)`` input columns hold category codes (whole
    numbers as floats): column ``j`` takes values in ``0 .. K_j - 1``, where
    code 0 is reserved for a category training never saw. Each column has a
    table ``E_j`` of ``K_j`` rows of ``width`` numbers, and the layer replaces
    the code ``q`` by the row ``E_j[q]``: the output is the other columns
    followed by every column's row, ``[x_rest, E_1[q_1], ..., E_c[q_c]]``.

    A row look-up is a product with a one-hot row, ``E_j[q] = onehot(q) E_j``,
    so the backward pass is that of a dense layer without bias:
    ``dL/dE_j = onehot(q_j)^T delta_j`` (each row of ``E_j`` sums the
    gradients of the samples of its category); the codes themselves get no
    gradient, the other columns pass theirs through. Row 0 starts at 0 and,
    no training sample having code 0, stays there: an unseen category adds
    nothing.
    """

    def __init__(self, n_features, cardinalities, width=8):
        self.n_features = int(n_features)
        self.cardinalities = [int(k) for k in cardinalities]
        self.width = int(width)
        self.n_rest = self.n_features - len(self.cardinalities)
        self.width_out = self.n_rest + len(self.cardinalities) * self.width
        self.n_params = sum(self.cardinalities) * self.width

    def groups(self):
        return [("category_embeddings", self.n_params)]

    def views(self, flat, start):
        """One ``(K_j, width)`` table per column."""
        tables = []
        for k in self.cardinalities:
            tables.append(
                _reshape(flat[start : start + k * self.width], (k, self.width))
            )
            start += k * self.width
        return tuple(tables)

    def initialize(self, views, random_state):
        """Rows drawn from N(0, 1), the reserved row 0 set to 0."""
        for table in views:
            table[...] = random_state.standard_normal(table.shape)
            table[0, :] = 0.0

    def buffers(self, m, xp, dtype):
        """The output and the input's gradient."""
        return (
            xp.empty((m, self.width_out), dtype=dtype),
            xp.empty((m, self.n_features), dtype=dtype),
        )

    def _codes(self, x, j, xp):
        return xp.astype(x[:, self.n_rest + j], xp.int64)

    def forward(self, x, *tables_and_xp, buffers=None):
        *tables, xp = tables_and_xp
        m, w = x.shape[0], self.width
        out = (
            xp.empty((m, self.width_out), dtype=x.dtype)
            if buffers is None
            else (buffers[0])
        )
        out[:, : self.n_rest] = x[:, : self.n_rest]
        for j, table in enumerate(tables):
            start = self.n_rest + j * w
            out[:, start : start + w] = xp.take(table, self._codes(x, j, xp), axis=0)
        return out

    def backward(self, x, delta, views, grads, xp, buffers, ones, delta_in=False):
        """Each table's gradient written; ``dL/dx`` returned when ``delta_in``."""
        w = self.width
        for j, (k, grad) in enumerate(zip(self.cardinalities, grads, strict=True)):
            codes = xp.reshape(self._codes(x, j, xp), (x.shape[0], 1))
            one_hot = xp.astype(codes == xp.arange(k), delta.dtype)  # (m, K_j)
            start = self.n_rest + j * w
            xp.matmul(one_hot.T, delta[:, start : start + w], out=grad)
        if not delta_in:
            return None
        d_in = buffers[1]
        d_in[:, : self.n_rest] = delta[:, : self.n_rest]
        d_in[:, self.n_rest :] = 0.0  # codes are not differentiable
        return d_in


class MemberScale:
    """TabM-mini's adapter (Gorishniy et al., 2025): ``k`` members, each a
    copy of the input scaled by factors of its own, ``a_i = a_in r_i``.

    The members' rows are stacked one member after the other: the output is
    ``k m`` rows, rows ``i m .. (i + 1) m - 1`` member ``i``'s copy of the
    batch. Every layer after it is shared by all members (a plain dense layer
    sees ``k`` times the rows), up to the output layer, which is a
    :class:`MemberDense`: one head a member. So the members are ``k``
    networks that share all their hidden weights and differ in ``r_i`` and
    in their heads, trained in one pass. Backward, with ``delta_i`` member
    ``i``'s rows of ``delta``:

    ``dL/dr_i = sum over rows of delta_i a_in`` and
    ``dL/da_in = sum over members of delta_i r_i``.

    ``r_i`` starts as random signs (+1 or -1 each): the members differ from
    the first step, where factors of 1 would leave them all alike but for
    their heads.
    """

    def __init__(self, width, members):
        self.width, self.k = int(width), int(members)
        self.n_params = self.k * self.width
        self.width_out = self.width

    def groups(self):
        return [("member_scales", self.n_params)]

    def views(self, flat, start):
        """``r``, shaped ``(k, 1, width)`` to broadcast over the rows."""
        return (_reshape(flat[start : start + self.n_params], (self.k, 1, self.width)),)

    def initialize(self, views, random_state):
        (r,) = views
        r[...] = 2.0 * random_state.randint(0, 2, size=r.shape) - 1.0

    def buffers(self, m, xp, dtype):
        """The output ``(k m, width)``, the input's gradient and a scratch
        array ``(k, m, width)``."""
        k, w = self.k, self.width
        return (
            xp.empty((k * m, w), dtype=dtype),
            xp.empty((m, w), dtype=dtype),
            xp.empty((k, m, w), dtype=dtype),
        )

    def forward(self, a_in, r, xp, buffers=None):
        m, k, w = a_in.shape[0], self.k, self.width
        if buffers is None:
            buffers = self.buffers(m, xp, a_in.dtype)
        out = buffers[0]
        xp.multiply(_reshape(a_in, (1, m, w)), r, out=_reshape(out, (k, m, w)))
        return out

    def backward(self, a_in, delta, views, grads, xp, buffers, ones, delta_in=False):
        """``dL/dr`` written; ``dL/da_in`` returned when ``delta_in``."""
        (r,), (grad_r,) = views, grads
        _, d_in, scratch = buffers
        m, k, w = a_in.shape[0], self.k, self.width
        delta = _reshape(delta, (k, m, w))
        xp.multiply(delta, _reshape(a_in, (1, m, w)), out=scratch)
        xp.sum(scratch, axis=1, keepdims=True, out=grad_r)
        if not delta_in:
            return None
        xp.multiply(delta, r, out=scratch)
        return xp.sum(scratch, axis=0, out=d_in)


class MemberDense(Dense):
    """The output layers of ``k`` members (TabM's heads), one each:
    ``z_i = a_i @ W_i + b_i`` on member ``i``'s rows (see
    :class:`MemberScale`), ``W`` shaped ``(k, fan_in, fan_out)`` and ``b``
    ``(k, 1, fan_out)``: a :class:`Dense` per member, computed as one
    batched product. Its backward pass is the dense layer's, member by
    member: ``dL/dW_i = a_i^T delta_i``, ``dL/db_i = sum over rows of
    delta_i`` and ``dL/da_i = delta_i W_i^T``.
    """

    def __init__(self, fan_in, fan_out, members, ntk=False):
        super().__init__(fan_in, fan_out, ntk)
        self.k = int(members)
        self.n_params *= self.k

    def groups(self):
        size = self.fan_in * self.fan_out
        return [("weights", self.k * size), ("biases", self.k * self.fan_out)]

    def views(self, flat, start):
        k, fan_in, fan_out = self.k, self.fan_in, self.fan_out
        w_end = start + k * fan_in * fan_out
        W = _reshape(flat[start:w_end], (k, fan_in, fan_out))
        return W, _reshape(flat[w_end : w_end + k * fan_out], (k, 1, fan_out))

    def _by_member(self, a, width):
        return _reshape(a, (self.k, a.shape[0] // self.k, width))

    def forward(self, a_in, W, b, xp, out=None, activation=None, keep=None):
        a = self._by_member(a_in, self.fan_in)
        if out is None:
            z = a @ W
        else:
            z = xp.matmul(a, W, out=self._by_member(out, self.fan_out))
        if self.factor is not None:
            z *= self.factor
        z += b
        return _reshape(z, (a_in.shape[0], self.fan_out))

    def backward(self, a_in, delta, W, grad_W, grad_b, ones, xp, delta_in=None):
        a = self._by_member(a_in, self.fan_in)
        d = self._by_member(delta, self.fan_out)
        xp.matmul(xp.permute_dims(a, (0, 2, 1)), d, out=grad_W)
        xp.sum(d, axis=1, keepdims=True, out=grad_b)
        if self.factor is not None:
            grad_W *= self.factor
        if delta_in is None:
            return None
        xp.matmul(
            d, xp.permute_dims(W, (0, 2, 1)), out=self._by_member(delta_in, self.fan_in)
        )
        if self.factor is not None:
            delta_in *= self.factor
        return delta_in
