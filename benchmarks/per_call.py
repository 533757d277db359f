"""Per-call cost of one training step, before and after, in one process.

``ab.py`` times whole fits, which a VM whose speed drifts by +-20% within a
minute cannot resolve to 5%. This times the two calls a batch makes,
``loss_and_gradient`` and the Adam step, on a fixed batch, 2000 calls at a
time, the two checkouts interleaved 30 times, best of each: the drift then
hits both alike and the per-call difference shows. The checkout before the
core moved to ``nn/`` (1b2a844) is read under its old module names.

    git worktree add /tmp/before 1b2a844
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/per_call.py \\
        --before /tmp/before
"""

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# (activation, batch rows, hidden layers, dtype)
WORKLOADS = [
    ("relu", 32, (100,), np.float32),
    ("logistic", 32, (100,), np.float64),
    ("relu", 200, (100,), np.float64),
    ("logistic", 200, (256, 128), np.float64),
]


def _modules(checkout):
    """``(network, optimizers)`` modules of another checkout, renamed."""
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(Path(checkout) / "sklearn_scratchnn", folder / "scratch_before")
    sys.path.insert(0, str(folder))
    if (folder / "scratch_before" / "nn").is_dir():
        names = ("scratch_before.nn.network", "scratch_before.nn.optimizers")
    else:
        names = ("scratch_before._network", "scratch_before._optimizers")
    return tuple(importlib.import_module(name) for name in names)


def _setup(network_module, optimizers, activation, rows, hidden, dtype):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(rows, 100)).astype(dtype)
    Y = np.eye(10, dtype=dtype)[rng.randint(0, 10, rows)]
    net = network_module.Network([100, *hidden, 10], activation, "softmax", "log_loss")
    params = net.initialize(np.random.RandomState(0), dtype)
    ws = net.workspace(params, np.empty_like(params), rows)
    return net, ws, optimizers.Adam(params, 0.001), X, Y


def _best(setups, call, repeats=30, calls=2000):
    best = {name: np.inf for name in setups}
    for _ in range(repeats):
        for name, setup in setups.items():
            start = time.perf_counter()
            for _ in range(calls):
                call(*setup)
            best[name] = min(best[name], (time.perf_counter() - start) / calls)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other checkout")
    args = parser.parse_args(argv)
    import sklearn_scratchnn.nn.network as network_after
    import sklearn_scratchnn.nn.optimizers as optimizers_after

    before = _modules(args.before)
    print("| workload | call | before | after | change |")
    print("| --- | --- | --- | --- | --- |")
    for activation, rows, hidden, dtype in WORKLOADS:
        setups = {
            "before": _setup(*before, activation, rows, hidden, dtype),
            "after": _setup(
                network_after, optimizers_after, activation, rows, hidden, dtype
            ),
        }
        calls = {
            "loss_and_gradient": lambda net, ws, opt, X, Y: net.loss_and_gradient(
                ws, X, Y, 1.0 / len(X), 1e-4 / len(X)
            ),
            "Adam step": lambda net, ws, opt, X, Y: opt.step(ws.params, ws.grad),
        }
        for name, call in calls.items():
            best = _best(setups, call)
            b, a = best["before"], best["after"]
            print(
                f"| {activation}, batch {rows}, {hidden}, {np.dtype(dtype).name} | "
                f"{name} | {b * 1e6:.1f} us | {a * 1e6:.1f} us | {a / b - 1:+.1%} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
