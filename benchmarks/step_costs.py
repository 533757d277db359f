"""What makes a tabular training step cheaper, measured: the periodic
embedding's products written three ways, and what fresh temporaries cost.

1. The periodic embedding maps each of ``n`` numeric columns through ``k = 16``
   cosines to ``d = 3`` outputs with a matrix of its own, ``V_j``. Its
   forward product (and the two of its backward pass) can be written

   - as the layer has it: one batched ``matmul`` of ``(n, m, k)`` by
     ``(n, k, d)`` (one BLAS call per column, from one NumPy call),
   - as one ``einsum`` over all columns, straight into the ``(m, n, d)``
     layout the next layer reads,
   - as one plain product with a block-diagonal ``(n k, n d)`` matrix (one
     BLAS call, ``n`` times the arithmetic).

   Each is timed at the shapes of two benchmark tables' batches (CPS1988: 6
   numeric columns, 384 rows; ames: 33 columns, 256 rows), float32.

2. Every step allocates a few temporaries (the activations' slopes, their
   intermediate arrays). Where freshly mapped memory is the cost, glibc's
   ``MALLOC_TOP_PAD_`` and ``MALLOC_MMAP_THRESHOLD_`` make it keep freed memory
   for reuse, which is what workspace buffers would give: a default fit timed
   in a subprocess with and without them bounds what buffers can save.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/step_costs.py > benchmarks/results_step_costs.md

Run it alone.
"""

import os
import platform
import subprocess
import sys
import timeit
from pathlib import Path

import numpy as np

SHAPES = {"CPS1988": (6, 384), "ames": (33, 256)}  # (numeric columns, batch rows)
K, D = 16, 3
PADDED = {"MALLOC_TOP_PAD_": str(2**28), "MALLOC_MMAP_THRESHOLD_": str(2**28)}
FIT = """
import sys, time
sys.path.insert(0, {benchmarks!r})
import tabular
from sklearn.model_selection import train_test_split
from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
spec = next(t for t in tabular.TABLES if t[1] == {table!r})
X, y = tabular.load(*spec)
X, _, y, _ = train_test_split(X, y, test_size=0.2, random_state=0)
Model = TabularMLPRegressor if spec[3] == "regression" else TabularMLPClassifier
times = []
for _ in range(3):
    start = time.perf_counter()
    Model(random_state=0).fit(X, y)
    times.append(time.perf_counter() - start)
print(min(times))
"""


def _best(function, number=200):
    return min(timeit.repeat(function, number=number, repeat=5)) / number


def embedding_products(n, m):
    """Seconds per call of each way, forward and backward."""
    rng = np.random.default_rng(0)
    h = rng.normal(size=(n, m, K)).astype(np.float32)
    V = rng.normal(size=(n, K, D)).astype(np.float32)
    delta = rng.normal(size=(n, m, D)).astype(np.float32)
    e = np.empty((n, m, D), np.float32)
    out = np.empty((m, n, D), np.float32)
    grad_V = np.empty((n, K, D), np.float32)
    delta_h = np.empty((n, m, K), np.float32)
    flat_h = np.ascontiguousarray(h.transpose(1, 0, 2).reshape(m, n * K))
    block = np.zeros((n * K, n * D), np.float32)
    for j in range(n):
        block[j * K : (j + 1) * K, j * D : (j + 1) * D] = V[j]
    flat_out = np.empty((m, n * D), np.float32)
    flat_delta = np.ascontiguousarray(delta.transpose(1, 0, 2).reshape(m, n * D))
    flat_grad = np.empty((n * K, n * D), np.float32)
    flat_delta_h = np.empty((m, n * K), np.float32)

    def batched_forward():
        np.matmul(h, V, out=e)
        out[...] = e.transpose(1, 0, 2)

    def batched_backward():
        np.matmul(h.transpose(0, 2, 1), delta, out=grad_V)
        np.matmul(delta, V.transpose(0, 2, 1), out=delta_h)

    def einsum_forward():
        np.einsum("nmk,nkd->mnd", h, V, out=out)

    def einsum_backward():
        np.einsum("nmk,nmd->nkd", h, delta, out=grad_V)
        np.einsum("nmd,nkd->nmk", delta, V, out=delta_h)

    def block_forward():
        np.matmul(flat_h, block, out=flat_out)

    def block_backward():  # the full gradient; its off-diagonal blocks unused
        np.matmul(flat_h.T, flat_delta, out=flat_grad)
        np.matmul(flat_delta, block.T, out=flat_delta_h)

    # the ways agree (float32 sums in other orders)
    batched_forward()
    expected = out.copy()
    einsum_forward()
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
    block_forward()
    np.testing.assert_allclose(flat_out, expected.reshape(m, -1), rtol=1e-4, atol=1e-4)
    return {
        "batched matmul (the layer's)": (
            _best(batched_forward),
            _best(batched_backward),
        ),
        "one einsum": (_best(einsum_forward), _best(einsum_backward)),
        "one block-diagonal product": (_best(block_forward), _best(block_backward)),
    }


def fit_seconds(table, padded):
    env = {**os.environ, **(PADDED if padded else {})}
    code = FIT.format(benchmarks=str(Path(__file__).parent), table=table)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return float(done.stdout.strip().splitlines()[-1])


def main():
    from threadpoolctl import threadpool_info

    kernels = sorted({i.get("architecture", "?") for i in threadpool_info()})
    lines = [
        "# What a cheaper tabular step could come from",
        "",
        f"`python benchmarks/step_costs.py` on {platform.machine()}, Python "
        f"{platform.python_version()}, NumPy {np.__version__}; BLAS kernels: "
        f"{', '.join(kernels)}; one thread. Best of 5 repeats.",
        "",
        "## The periodic embedding's products, three ways (float32)",
        "",
        "| table (columns x rows) | way | forward | backward | both / the layer's |",
        "| --- | --- | --- | --- | --- |",
    ]
    for table, (n, m) in SHAPES.items():
        ways = embedding_products(n, m)
        reference = sum(next(iter(ways.values())))
        for way, (forward, backward) in ways.items():
            lines.append(
                f"| {table} ({n} x {m}) | {way} | {forward * 1e6:.1f} us | "
                f"{backward * 1e6:.1f} us | {(forward + backward) / reference:.2f} |"
            )
    lines += [
        "",
        "## Fresh temporaries: a default fit with glibc keeping freed memory",
        "",
        "| table | fit | with MALLOC_TOP_PAD_ and MALLOC_MMAP_THRESHOLD_ | saved |",
        "| --- | --- | --- | --- |",
    ]
    for table in ("credit_data", "CPS1988"):
        plain = fit_seconds(table, padded=False)
        padded = fit_seconds(table, padded=True)
        lines.append(
            f"| {table} | {plain:.2f} s | {padded:.2f} s | "
            f"{(plain - padded) / plain:+.0%} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
