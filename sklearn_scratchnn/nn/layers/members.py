"""TabM-mini's members: a scale of the input per member, and one output
layer per member."""

from ._shapes import _reshape
from .dense import Dense


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

    def buffers(self, m, xp, dtype, delta_in):
        """The output ``(k m, width)``, the input's gradient and a scratch
        array ``(k, m, width)``."""
        k, w = self.k, self.width
        return (
            xp.empty((k * m, w), dtype=dtype),
            xp.empty((m, w), dtype=dtype),
            xp.empty((k, m, w), dtype=dtype),
        )

    def forward(self, a_in, views, xp, buffers=None):
        (r,) = views
        m, k, w = a_in.shape[0], self.k, self.width
        if buffers is None:
            buffers = self.buffers(m, xp, a_in.dtype, False)
        out = buffers[0]
        xp.multiply(_reshape(a_in, (1, m, w)), r, out=_reshape(out, (k, m, w)))
        return out

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
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

    def __init__(
        self, fan_in, fan_out, members, ntk=False, glorot=6.0, zero_start=False
    ):
        super().__init__(fan_in, fan_out, ntk, glorot=glorot, zero_start=zero_start)
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

    def forward(self, a_in, views, xp, buffers=None):
        W, b = views
        out = None if buffers is None else self._by_member(buffers.out, self.fan_out)
        z = self.affine(self._by_member(a_in, self.fan_in), W, xp, out)
        z += b
        return _reshape(z, (a_in.shape[0], self.fan_out))

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        (W, _), (grad_W, grad_b) = views, grads
        a = self._by_member(a_in, self.fan_in)
        d = self._by_member(delta, self.fan_out)
        xp.matmul(xp.permute_dims(a, (0, 2, 1)), d, out=grad_W)
        xp.sum(d, axis=1, keepdims=True, out=grad_b)
        if self.factor is not None:
            grad_W *= self.factor
        if not delta_in:
            return None
        d_in = buffers.delta_in
        xp.matmul(
            d, xp.permute_dims(W, (0, 2, 1)), out=self._by_member(d_in, self.fan_in)
        )
        if self.factor is not None:
            d_in *= self.factor
        return d_in
