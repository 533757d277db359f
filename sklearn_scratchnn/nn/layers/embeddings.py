"""The front layers that embed the inputs: periodic embeddings of the
numbers, learned embeddings of the categories."""

import math

from ._shapes import _reshape

TWO_PI = 2.0 * math.pi


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

    def buffers(self, m, xp, dtype, delta_in):
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

    def forward(self, a_in, views, xp, buffers=None):
        x, (c, p, V, beta) = a_in, views
        m, n, d = x.shape[0], self.n, self.d
        if buffers is None:
            buffers = self.buffers(m, xp, x.dtype, False)
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

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        """The four gradients written; ``dL/dx`` returned when ``delta_in``."""
        x, (c, _, V, _) = a_in, views
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

    def buffers(self, m, xp, dtype, delta_in):
        """The output and the input's gradient."""
        return (
            xp.empty((m, self.width_out), dtype=dtype),
            xp.empty((m, self.n_features), dtype=dtype),
        )

    def _codes(self, x, j, xp):
        return xp.astype(x[:, self.n_rest + j], xp.int64)

    def forward(self, a_in, views, xp, buffers=None):
        x, tables = a_in, views
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

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        """Each table's gradient written; ``dL/dx`` returned when ``delta_in``."""
        x, w = a_in, self.width
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
