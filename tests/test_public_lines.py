"""What one package offers another is public and documented: the fitted
network (``network_``, a ``TrainedNetwork`` in both families), the count of
snapshots, the preprocessor's statistics, warnings that carry their facts; and
the ONNX converters and the command line read nothing else."""

import ast
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning

import sklearn_scratchnn
from sklearn_scratchnn import (
    IterationLimitWarning,
    ScratchMLPClassifier,
    ScratchMLPRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)
from sklearn_scratchnn.tabular import TablePreprocessor, TrainedNetwork

PACKAGE = Path(sklearn_scratchnn.__file__).parent


def _frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "size": rng.normal(10, 3, n),
            "colour": rng.choice(["red", "green", "blue"], n),
            "shop": rng.choice([f"s{i}" for i in range(14)], n),
        }
    )
    X.loc[::7, "size"] = np.nan
    return X, (X["size"].fillna(10) > 10).to_numpy().astype(int)


@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
def test_a_scratch_estimator_shows_its_network_as_the_tabular_models_do(Estimator):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] > 0).astype(int)
    model = fit_quietly(Estimator(hidden_layer_sizes=(5,), max_iter=5), X, y)
    trained = model.network_
    assert type(trained) is TrainedNetwork
    assert list(trained.network.layer_units) == [4, 5, 1]
    assert np.shares_memory(trained.params, model.coefs_[0])  # views, no copy
    z, out = trained.forward(X)
    if Estimator is ScratchMLPClassifier:
        assert_allclose(out[:, 0], model.predict_proba(X)[:, 1])
    else:
        assert_allclose(out[:, 0], model.predict(X))
    assert trained.n_iter_ == model.n_iter_
    assert not hasattr(Estimator(), "network_")


def test_n_snapshots_counts_the_snapshots_among_the_networks():
    X, y = _frame()
    small = dict(hidden_layer_sizes=(8,), max_iter=12, random_state=0)
    model = fit_quietly(TabularMLPClassifier(**small, n_ensemble=2), X, y)
    assert model.n_snapshots_ == len(model.networks_) - 2
    assert model.n_snapshots_ > 0
    plain = fit_quietly(TabularMLPClassifier(**small, snapshots=False), X, y)
    assert plain.n_snapshots_ == 0 and len(plain.networks_) == 1
    assert not hasattr(TabularMLPClassifier(), "n_snapshots_")


def test_the_preprocessors_attributes_describe_its_transform():
    X, _ = _frame()
    prep = TablePreprocessor(max_one_hot=5).fit(X)
    (size,) = prep.numeric_columns_
    assert size.index == 0 and size.flagged
    Z = prep.transform(X)
    x = X["size"].to_numpy()
    scaled = np.where(np.isnan(x), 0.0, x - size.median) * size.scale
    r = prep.CLIP
    assert_allclose(Z[:, 0], scaled / np.sqrt(1 + (scaled / r) ** 2))
    assert_array_equal(Z[:, 1], np.isnan(x))  # the flag
    [(j, categories)] = prep.one_hot_columns_
    assert j == 1 and categories == ["blue", "green", "red"]
    [(j, codes)] = prep.embedded_columns_
    assert j == 2 and sorted(codes.values()) == list(range(1, 15))
    assert_array_equal(Z[:, -1], [codes[s] for s in X["shop"]])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_the_iteration_limit_warning_carries_its_limit(solver):
    X = np.random.default_rng(0).normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(IterationLimitWarning) as caught:
        ScratchMLPClassifier(solver=solver, max_iter=3, random_state=0).fit(X, y)
    warning = caught[0].message
    assert isinstance(warning, ConvergenceWarning)  # scikit-learn's filters hold
    assert (warning.max_iter, warning.solver) == (3, solver)
    assert ("lbfgs failed" if solver == "lbfgs" else "Maximum iterations (3)") in (
        str(warning)
    )
    copy = pickle.loads(pickle.dumps(warning))  # e.g. sent back by a worker
    assert str(copy) == str(warning)


def _reads_of_other_packages(path):
    """Private names of other packages that a module imports or reads."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 2:
            parts = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            found += [f"{node.module}" for p in parts if p.startswith("_")]
            found += [f"{node.module}.{n}" for n in names if n.startswith("_")]
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            own = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
            own = own or (  # a subclass's super(): argparse's formatter hooks
                isinstance(owner, ast.Call) and getattr(owner.func, "id", "") == "super"
            )
            if not own and not node.attr.startswith("__"):
                found.append(f".{node.attr}")
    return found


@pytest.mark.parametrize("package", ["onnx", "cli"])
def test_onnx_and_the_command_line_read_only_public_names(package):
    reads = {
        str(path.relative_to(PACKAGE)): _reads_of_other_packages(path)
        for path in sorted((PACKAGE / package).glob("*.py"))
    }
    # scikit-learn's own convention for checking an estimator's parameters
    allowed = {".\u005fvalidate_params"}
    private = {m: [r for r in rs if r not in allowed] for m, rs in reads.items()}
    assert {m: rs for m, rs in private.items() if rs} == {}


def test_importing_the_package_changes_no_interpreter_wide_state():
    import subprocess
    import sys

    # A dependency may add a finder of its own (six, which an older pandas pulls
    # in through dateutil, appends one), so the test asks whose the new hooks are.
    code = (
        "import sys; before = list(sys.meta_path) + list(sys.path_hooks);"
        "import sklearn_scratchnn, sklearn_scratchnn.tabular;"
        "new = [h for h in list(sys.meta_path) + list(sys.path_hooks)"
        " if h not in before];"
        "ours = [h for h in new"
        " if getattr(h, '__module__', '').startswith('sklearn_scratchnn')];"
        "assert not ours, ours;"
        "assert not [m for m in sys.modules if m.startswith('sklearn_scratchnn._')"
        " and m.split('.')[1] in ('_moved', '_tabular_legacy')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_root_keeps_its_public_face_and_little_else():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 6, modules


def test_the_warning_classes_are_public():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert issubclass(sklearn_scratchnn.TrainingInterruptedWarning, UserWarning)
    assert {"IterationLimitWarning", "TrainingInterruptedWarning"} <= set(
        sklearn_scratchnn.__all__
    )
    assert TabularMLPRegressor is sklearn_scratchnn.TabularMLPRegressor


def _code_lines(path):
    """Lines that hold code: not blank, not comments, not docstrings."""
    import io
    import tokenize

    source = path.read_text()
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT}
    skipped |= {tokenize.DEDENT, tokenize.ENDMARKER}
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skipped:
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines - docstrings)


def test_no_module_is_over_300_code_lines():
    sizes = {str(p.relative_to(PACKAGE)): _code_lines(p) for p in PACKAGE.rglob("*.py")}
    assert {m: n for m, n in sizes.items() if n > 300} == {}
    assert sizes["nn/network.py"] > 100  # the count counts code
