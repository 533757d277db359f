"""Device benchmark: ours on an array namespace and device against the CPU.

Times ``fit`` and bulk ``predict_proba`` of ScratchMLPClassifier with
scikit-learn's ``array_api_dispatch`` on, for data living on the given
namespace and device, against ours on NumPy and scikit-learn's MLPClassifier,
both on the CPU. The workload is one where a GPU matters: 1,000,000 x 256
float32, 10 classes, ``hidden_layer_sizes=(512, 512)``, relu, adam,
``batch_size=1024``, 3 epochs. The CPU runs train on a subsample
(``--cpu-rows``) and are extrapolated linearly to the full size (fit time is
linear in n: results.md, figure (e)); the table says so.

    python benchmarks/device.py --namespace torch --device cuda
    python benchmarks/device.py --namespace cupy
    python benchmarks/device.py --namespace array_api_strict --quick   # a smoke run

Without the package or the device it says so and exits with status 0.
"""

import argparse
import importlib
import os
import platform
import sys
import time
import warnings

# scikit-learn's array API dispatch needs SciPy's array API mode, read when
# SciPy is first imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np  # noqa: E402


def _namespace(name, device_name):
    """``(xp, device, synchronize)``, or a reason why there is none here."""
    try:
        if name == "torch":
            torch = importlib.import_module("torch")
            from sklearn.externals.array_api_compat import torch as xp

            if device_name == "cuda" and not torch.cuda.is_available():
                return "PyTorch has no CUDA device on this machine"
            if device_name == "mps" and not torch.backends.mps.is_available():
                return "PyTorch has no MPS device on this machine"
            device = torch.device(device_name or "cpu")
            sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
            name_of_device = (
                torch.cuda.get_device_name(device) if device.type == "cuda" else ""
            )
            return xp, device, sync, f"torch {torch.__version__} {name_of_device}"
        if name == "cupy":
            cupy = importlib.import_module("cupy")
            from sklearn.externals.array_api_compat import cupy as xp

            if cupy.cuda.runtime.getDeviceCount() == 0:
                return "CuPy sees no CUDA device on this machine"
            sync = cupy.cuda.Device().synchronize
            return xp, None, sync, f"cupy {cupy.__version__}"
        if name == "array_api_strict":
            xp = importlib.import_module("array_api_strict")
            return xp, xp.Device("CPU_DEVICE"), lambda: None, "array-api-strict (CPU)"
    except ImportError as error:
        return f"{name} is not installed ({error})"
    except Exception as error:  # a driver that fails to start, say
        return f"{name} cannot use {device_name}: {error}"
    return f"unknown namespace {name!r}"


def _data(n_samples, n_features, n_classes, seed=0):
    """Rows of a noisy linear teacher: learnable, and quick to make at 1M rows."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n_samples, n_features)).astype(np.float32)
    teacher = rng.standard_normal((n_features, n_classes)).astype(np.float32)
    noise = rng.standard_normal((n_samples, n_classes)).astype(np.float32)
    y = np.argmax(X @ teacher + 2 * noise, axis=1)
    return X, y


def _timed(fn, sync=lambda: None):
    sync()
    start = time.perf_counter()
    result = fn()
    sync()
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--namespace", default="torch")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cpu-rows", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.cpu_rows = 4_000, 2_000
    from sklearn_scratchnn._fitting.compat import ARRAY_API_SUPPORTED

    if not ARRAY_API_SUPPORTED:
        print("No device benchmark: array API support needs scikit-learn >= 1.9.")
        return 0
    found = _namespace(args.namespace, args.device)
    if isinstance(found, str):
        print(f"No device benchmark: {found}. Nothing was measured.")
        return 0
    xp, device, sync, description = found

    import sklearn
    from sklearn import config_context
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from sklearn_scratchnn import ScratchMLPClassifier

    warnings.simplefilter("ignore", ConvergenceWarning)
    hidden = (32, 32) if args.quick else (512, 512)
    params = dict(
        hidden_layer_sizes=hidden,
        activation="relu",
        solver="adam",
        batch_size=1024,
        max_iter=3,
        tol=0.0,
        n_iter_no_change=10**9,
        random_state=0,
    )
    X, y = _data(args.rows, 256, 10)
    rows = []

    X_dev = xp.asarray(X, device=device)
    y_dev = xp.asarray(y, device=device)
    sync()
    with config_context(array_api_dispatch=True):
        model = ScratchMLPClassifier(**params)
        fit_s, _ = _timed(lambda: model.fit(X_dev, y_dev), sync)
        predict_s, _ = _timed(lambda: model.predict_proba(X_dev), sync)
    where = "its default device" if device is None else device
    rows.append((f"ours, {args.namespace} on {where}", fit_s, predict_s, ""))

    scale = args.rows / args.cpu_rows
    X_cpu, y_cpu = X[: args.cpu_rows], y[: args.cpu_rows]
    note = f"{args.cpu_rows:,} rows, x {scale:g}" if scale != 1 else ""
    for name, Estimator in (
        ("ours, NumPy on the CPU", ScratchMLPClassifier),
        ("scikit-learn MLPClassifier, CPU", MLPClassifier),
    ):
        model = Estimator(**params)
        fit_s, _ = _timed(lambda model=model: model.fit(X_cpu, y_cpu))
        predict_s, _ = _timed(lambda model=model: model.predict_proba(X_cpu))
        rows.append((name, fit_s * scale, predict_s * scale, note))

    print(
        f"Device benchmark: {args.rows:,} x 256 float32, 10 classes, hidden {hidden}, "
        "relu, adam, batch_size=1024, 3 epochs"
    )
    print(
        f"\nDevice: {description}; host: {platform.processor() or platform.machine()}"
    )
    print(
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"python {sys.version.split()[0]}\n"
    )
    print("| run | fit | bulk predict_proba | note |")
    print("| --- | --- | --- | --- |")
    base = rows[-1][1]
    for name, fit_s, predict_s, note in rows:
        extrapolated = " (extrapolated)" if note else ""
        print(
            f"| {name} | {fit_s:.2f} s{extrapolated}, {base / fit_s:.1f}x "
            f"scikit-learn's speed | {predict_s:.3f} s | {note} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
