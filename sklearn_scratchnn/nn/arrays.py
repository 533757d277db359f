"""The array namespace the core computes in: NumPy, or any Array API namespace.

The core is written once, in NumPy's words: ``xp.exp(z, out=z)``,
``xp.matmul(a, W, out=buffer)``. ``out=`` is what keeps training free of
per-batch allocations on NumPy, and the Array API standard has no such thing.
So the core never receives a namespace directly, but one of two objects from
:func:`array_ops`:

- for NumPy, NumPy itself (plus ``xlogy`` and ``to_numpy``): every call is the
  NumPy call it always was, so results and speed do not change;
- for any other namespace (array-api-strict, PyTorch or CuPy through
  array_api_compat), that namespace, plus the few NumPy-only functions the core
  uses, each taking ``out=`` by writing the result into ``out``.

Arrays are created on the namespace's device. This module never imports
scikit-learn: the estimators find the namespace and device with scikit-learn's
``get_namespace_and_device`` and pass them in.
"""

from contextlib import nullcontext

import numpy as np
from scipy.special import xlogy

_FEW_ROWS = 32  # below this, NumPy's own row reductions are as fast


class _Ops:
    """A namespace whose missing attributes come from ``self._xp`` (cached)."""

    def __getattr__(self, name):
        value = getattr(self._xp, name)
        setattr(self, name, value)  # next time an instance attribute: fast
        return value


class NumPyOps(_Ops):
    """NumPy, with the names that the other namespaces also provide."""

    is_numpy = True
    _xp = np
    xlogy = staticmethod(xlogy)

    def from_numpy(self, array, dtype=None):
        return np.asarray(array, dtype=dtype)

    def to_numpy(self, array):
        return array

    def scalar(self, value):
        return value  # a NumPy scalar keeps its dtype in NumPy's promotion

    def numpy_dtype(self, dtype):
        return dtype

    def astype(self, x, dtype, copy=True):  # np.astype is NumPy >= 2.1 only
        return x.astype(dtype, copy=copy)

    permute_dims = staticmethod(np.transpose)  # np.permute_dims: NumPy >= 2

    @staticmethod
    def negative_sum(z, bias=None, out=None):
        """``-(z + bias)`` in one pass, as ``(-bias) - z``: the same number
        (negation is exact), without a second pass over ``z``."""
        if bias is None:
            return np.negative(z, out=out)
        return np.subtract(-bias, z, out=out)

    def matmul(self, a, b, out=None):
        if isinstance(a, np.ndarray):
            return np.matmul(a, b, out=out)
        out[...] = a @ b  # a scipy.sparse matrix: it has no ``out=``
        return out

    # ndarray's methods rather than np.sum & co.: the same results, without
    # the Python-level dispatch of NumPy's functions, which shows in the
    # per-batch and single-row costs.
    sum = staticmethod(np.ndarray.sum)
    max = staticmethod(np.ndarray.max)
    all = staticmethod(np.ndarray.all)
    copy = staticmethod(np.ndarray.copy)
    take = staticmethod(np.ndarray.take)

    # Reductions along the short rows of an (n, k) array, k small (the output
    # layer), are slow in NumPy: the inner loop is only k long. From a few
    # dozen rows on, these take the long way round, several times faster for
    # the same values (the sum to rounding: BLAS adds in another order).
    @staticmethod
    def row_max(x):
        """``x.max(axis=1, keepdims=True)``, through a contiguous transpose."""
        if x.shape[0] < _FEW_ROWS:
            return x.max(axis=1, keepdims=True)
        return np.ascontiguousarray(x.T).max(axis=0)[:, None]

    @staticmethod
    def row_sum(x):
        """``x.sum(axis=1, keepdims=True)``, as a product with a column of ones."""
        if x.shape[0] < _FEW_ROWS:
            return x.sum(axis=1, keepdims=True)
        return x @ np.ones((x.shape[1], 1), dtype=x.dtype)


def _into(out, value):
    """``value`` written into ``out`` (NumPy's ``out=``), or ``value``."""
    if out is None:
        return value
    out[...] = value
    return out


class ArrayAPIOps(_Ops):
    """An Array API namespace with the NumPy-only calls the core makes.

    Parameters
    ----------
    xp : namespace
        An Array API namespace (from ``array_api_compat`` for PyTorch/CuPy).
    device : device
        Where new arrays are made: the device of the input data.
    to_numpy : callable
        Copies an array of ``xp`` to a NumPy array on the host.
    """

    is_numpy = False

    def __init__(self, xp, device, to_numpy):
        self._xp = xp
        self.device = device
        self.to_numpy = to_numpy
        self.errstate = lambda **kwargs: nullcontext()

    def from_numpy(self, array, dtype=None):
        return self._xp.asarray(array, dtype=dtype, device=self.device)

    def scalar(self, value):
        return float(value)  # the standard takes Python scalars only

    def numpy_dtype(self, dtype):
        """The NumPy float dtype of the same precision as ``dtype``."""
        return np.dtype(f"float{self._xp.finfo(dtype).bits}")

    # creation: on the data's device
    def empty(self, shape, dtype):
        return self._xp.empty(shape, dtype=dtype, device=self.device)

    def copy(self, x):
        return self._xp.asarray(x, copy=True)

    def arange(self, n):
        return self._xp.arange(n, device=self.device)

    # element-wise functions, with ``out=``
    def negative(self, x, out=None):
        return _into(out, -x)

    def negative_sum(self, z, bias=None, out=None):
        return _into(out, -z if bias is None else (-bias) - z)

    def exp(self, x, out=None):
        return _into(out, self._xp.exp(x))

    def sqrt(self, x, out=None):
        return _into(out, self._xp.sqrt(x))

    def tanh(self, x, out=None):
        return _into(out, self._xp.tanh(x))

    def cos(self, x, out=None):
        return _into(out, self._xp.cos(x))

    def sin(self, x, out=None):
        return _into(out, self._xp.sin(x))

    def reciprocal(self, x, out=None):
        return _into(out, 1 / x)

    def maximum(self, x, scalar, out=None):
        return _into(out, self._xp.clip(x, min=scalar))

    def clip(self, x, low, high, out=None):
        return _into(out, self._xp.clip(x, min=low, max=high))

    def minimum(self, x, scalar):
        return self._xp.clip(x, max=scalar)

    def subtract(self, a, b, out=None):
        return _into(out, a - b)

    def multiply(self, a, b, out=None):
        if getattr(b, "dtype", None) == self._xp.bool:  # a mask: NumPy casts it
            b = self._xp.astype(b, a.dtype)
        return _into(out, a * b)

    def divide(self, a, b, out=None):
        return _into(out, a / b)

    def logaddexp(self, scalar, x):
        return self._xp.logaddexp(self._xp.full_like(x, scalar), x)

    def xlogy(self, x, y):
        # x * log(y), and 0 where x is 0 (even where log(y) is -inf)
        safe = self._xp.where(x == 0, self._xp.ones_like(y), y)
        return x * self._xp.log(safe)

    # reductions and products, with ``out=``
    def sum(self, x, axis=None, out=None, keepdims=False):
        return _into(out, self._xp.sum(x, axis=axis, keepdims=keepdims))

    def row_max(self, x):
        return self._xp.max(x, axis=1, keepdims=True)

    def row_sum(self, x):
        return self._xp.sum(x, axis=1, keepdims=True)

    def matmul(self, a, b, out=None):
        return _into(out, a @ b)

    def vdot(self, a, b):
        return self._xp.sum(self._xp.reshape(a * b, (-1,)))

    def einsum(self, subscripts, a, b):
        if subscripts != "ij,ij->i":  # the one product the core needs
            raise NotImplementedError(subscripts)
        return self._xp.sum(a * b, axis=1)

    def take(self, x, indices, axis=0, out=None, mode=None):
        return _into(out, self._xp.take(x, indices, axis=axis))


NUMPY = NumPyOps()


def array_ops(xp=None, device=None, to_numpy=None):
    """What the core computes with: :data:`NUMPY`, or ``xp`` on ``device``."""
    if xp is None:
        return NUMPY
    return ArrayAPIOps(xp, device, to_numpy)
