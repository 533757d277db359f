"""The tabular models as ONNX graphs, preprocessing included, against
onnxruntime: numbers with NaN, text with missing and unseen values, an
embedded high-cardinality column, a constant column."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor

pd = pytest.importorskip("pandas")
pytest.importorskip("skl2onnx")
rt = pytest.importorskip("onnxruntime")

from skl2onnx import to_onnx  # noqa: E402

from sklearn_scratchnn.onnx import input_types, onnx_inputs  # noqa: E402

N = 240


def _frame(rng, n):
    return pd.DataFrame(
        {
            "age": rng.normal(40, 12, n),
            # a wide range and holes: scaled in float64 inside the graph
            "income": np.where(rng.rand(n) < 0.15, np.nan, rng.exponential(3e4, n)),
            "town": rng.choice(["north", "south", "east", None], n),
            "shop": rng.choice([f"s{i:02d}" for i in range(25)], n),  # embedded
            # constant (0 after scaling), and named as ONNX cannot name an
            # input: the graph's input is "flat_rate"
            "flat.rate": np.full(n, 7.0),
            "kids": rng.randint(0, 4, n),
            "owner": rng.rand(n) < 0.5,
        }
    )


@pytest.fixture(scope="module")
def tables():
    rng = np.random.RandomState(0)
    X = _frame(rng, N)
    X_new = _frame(rng, 60)
    X_new.loc[:7, "town"] = "west"  # unseen in fit
    X_new.loc[8:15, "shop"] = "s99"  # unseen, embedded: the reserved slot
    X_new.loc[16:23, "shop"] = None  # missing, never missing in fit
    X_new.loc[24:31, "age"] = np.nan  # missing, never missing in fit
    X_new.loc[32:39, "income"] = np.nan
    signal = X["age"] / 12 + (X["town"] == "north") - np.log1p(X["income"].fillna(1))
    return X, X_new, signal.to_numpy()


def _fitted(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few epochs on purpose
        return model.fit(X, y)


def _session(onx):
    return rt.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def _small(cls, dtype):
    return cls(hidden_layer_sizes=(16, 8), max_iter=4, random_state=0, dtype=dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("target", ["binary", "multiclass"])
def test_classifier_graph_matches_predict_proba(tables, dtype, target):
    X, X_new, signal = tables
    if target == "binary":
        y = signal > np.median(signal)
    else:
        y = np.array(["low", "mid", "high"])[np.digitize(signal, [-9, -8])]
    clf = _fitted(_small(TabularMLPClassifier, dtype), X, y)
    onx = to_onnx(clf, initial_types=input_types(clf), options={"zipmap": False})
    labels, proba = _session(onx).run(None, onnx_inputs(clf, X_new))
    assert proba.dtype == np.float32  # float inputs: a float32 graph
    assert_allclose(proba, clf.predict_proba(X_new), atol=1e-5)
    assert_array_equal(labels, clf.predict(X_new))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_regressor_graph_matches_predict_in_the_targets_units(tables, dtype):
    X, X_new, signal = tables
    y = 1000 + 250 * signal
    reg = _fitted(_small(TabularMLPRegressor, dtype), X, y)
    onx = to_onnx(reg, initial_types=input_types(reg))
    (out,) = _session(onx).run(None, onnx_inputs(reg, X_new))
    expected = reg.predict(X_new)
    assert out.shape == (len(X_new), 1)
    # float32 holds the units to its relative precision: compared in the
    # standardised units the network predicts
    assert_allclose(out.ravel() / reg.y_scale_, expected / reg.y_scale_, atol=1e-5)
    assert out.min() >= reg.y_min_ - 1e-3 and out.max() <= reg.y_max_ + 1e-3


def test_frame_types_guessed_by_skl2onnx_give_a_float64_graph(tables):
    """``to_onnx(model, X[:1])`` as skl2onnx reads a frame: float64 columns
    as double inputs, integers as int64, booleans as bool, text as string."""
    X, X_new, signal = tables
    clf = _fitted(_small(TabularMLPClassifier, "float64"), X, signal > 0)
    onx = to_onnx(clf, X.dropna()[:1], options={"zipmap": False})
    session = _session(onx)
    kinds = {i.name: i.type for i in session.get_inputs()}
    assert kinds["income"] == "tensor(double)" and kinds["kids"] == "tensor(int64)"
    assert kinds["owner"] == "tensor(bool)" and kinds["town"] == "tensor(string)"
    feeds = onnx_inputs(clf, X_new, dtype=np.float64)
    feeds["kids"] = feeds["kids"].astype(np.int64)
    feeds["owner"] = feeds["owner"].astype(bool)
    labels, proba = session.run(None, feeds)
    assert proba.dtype == np.float64
    assert_allclose(proba, clf.predict_proba(X_new), atol=1e-12)
    assert_array_equal(labels, clf.predict(X_new))


@pytest.mark.parametrize("target", ["binary", "multiclass"])
def test_the_plain_call_on_a_frame_runs_with_its_zipmap(tables, target):
    """``to_onnx(model, frame[:1])`` exactly as a user writes it: float64
    columns make a float64 graph, whose probabilities reach onnxruntime's
    ZipMap (float only) as floats."""
    X, X_new, signal = tables
    if target == "binary":
        y = signal > np.median(signal)
    else:
        y = np.array(["low", "mid", "high"])[np.digitize(signal, [-9, -8])]
    clf = _fitted(_small(TabularMLPClassifier, "float64"), X, y)
    session = _session(to_onnx(clf, X[:1]))
    feeds = onnx_inputs(clf, X_new, dtype=np.float64)
    feeds["kids"] = feeds["kids"].astype(np.int64)
    feeds["owner"] = feeds["owner"].astype(bool)
    labels, maps = session.run(None, feeds)
    proba = pd.DataFrame(maps).to_numpy()  # one column a class, in order
    assert_allclose(proba, clf.predict_proba(X_new), atol=1e-5)
    assert_array_equal(labels, clf.predict(X_new))


def test_the_plain_call_on_a_float64_array_runs_for_the_scratch_classifier():
    from sklearn.datasets import load_iris

    from sklearn_scratchnn import ScratchMLPClassifier

    X, y = load_iris(return_X_y=True)
    clf = _fitted(ScratchMLPClassifier(max_iter=20, random_state=0), X, y)
    labels, maps = _session(to_onnx(clf, X[:1])).run(None, {"X": X})
    assert_allclose(pd.DataFrame(maps).to_numpy(), clf.predict_proba(X), atol=1e-5)
    assert_array_equal(labels, clf.predict(X))


def test_zipmap_output_by_default(tables):
    X, X_new, signal = tables
    clf = _fitted(_small(TabularMLPClassifier, "float64"), X, signal > 0)
    onx = to_onnx(clf, initial_types=input_types(clf))
    labels, maps = _session(onx).run(None, onnx_inputs(clf, X_new))
    proba = clf.predict_proba(X_new)
    assert_allclose([m[True] for m in maps], proba[:, 1], atol=1e-5)


def test_model_fitted_on_an_array_takes_one_float_matrix():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(150, 4))
    X[::7, 1] = np.nan
    reg = _fitted(_small(TabularMLPRegressor, "float64"), X, X[:, 0] * 5)
    (name, kind), *rest = input_types(reg)
    assert name == "X" and kind.shape == [None, 4] and not rest
    onx = to_onnx(reg, X[:1].astype(np.float32))  # as for any skl2onnx model
    (out,) = _session(onx).run(None, {"X": X.astype(np.float32)})
    assert_allclose(
        out.ravel() / reg.y_scale_, reg.predict(X) / reg.y_scale_, atol=1e-5
    )


def test_what_the_export_cannot_cover_is_one_clear_error(tables):
    from skl2onnx.common.data_types import FloatTensorType

    X, _, signal = tables
    clf = _fitted(_small(TabularMLPClassifier, "float64"), X, signal > 0)
    types = input_types(clf)
    wrong = [(n, FloatTensorType([None, 1]) if n == "town" else t) for n, t in types]
    with pytest.raises(ValueError, match="column 'town' holds text in the model"):
        to_onnx(clf, initial_types=wrong)
    with pytest.raises(ValueError, match="lack column.s. shop"):
        to_onnx(clf, initial_types=[t for t in types if t[0] != "shop"])
    with pytest.raises(ValueError, match="takes one input per column"):
        to_onnx(clf, initial_types=[("X", FloatTensorType([None, 7]))])
    both = pd.DataFrame({"c": ["", None, "a", "b"] * 5, "x": np.arange(20.0)})
    odd = _fitted(_small(TabularMLPClassifier, "float64"), both, np.arange(20) % 2)
    with pytest.raises(ValueError, match="both empty strings and missing values"):
        to_onnx(odd, initial_types=input_types(odd))


def test_command_line_export_prints_the_schema_and_scores_as_predict(tmp_path, capsys):
    pytest.importorskip("skops")
    from sklearn_scratchnn.cli import main
    from sklearn_scratchnn.cli.model_files import load_model

    rng = np.random.RandomState(1)
    frame = _frame(rng, 200)[["age", "income", "town", "shop"]]
    frame = frame.rename(columns={"income": "income.eur"})
    frame["label"] = np.where(frame["age"] > 40, "old", "young")
    csv, model, onnx_file = (tmp_path / n for n in ("t.csv", "m.skops", "m.onnx"))
    frame.to_csv(csv, index=False)
    fit = ["fit", str(csv), "--target", "label", "--max-iter", "3"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main([*fit, "--save", str(model)]) == 0
    capsys.readouterr()
    assert main(["export", str(model), str(onnx_file)]) == 0
    printed = capsys.readouterr().out
    assert "town: string, '' where missing" in printed
    assert "income_eur (column 'income.eur'): float, NaN where missing" in printed
    assert "outputs: label, probabilities" in printed
    saved = load_model(model)["model"]
    X = frame.drop(columns=["label"])
    session = rt.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    labels, proba = session.run(None, onnx_inputs(saved, X))
    assert_allclose(proba, saved.predict_proba(X), atol=1e-5)
    assert_array_equal(labels, saved.predict(X))
    # what it cannot export is one line, status 2, and no file
    pipeline = tmp_path / "p.skops"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main([*fit, "--model", "pipeline", "--save", str(pipeline)]) == 0
    capsys.readouterr()
    assert main(["export", str(pipeline), str(tmp_path / "p.onnx")]) == 2
    assert "skl2onnx cannot convert this --model pipeline model" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "p.onnx").exists()


@pytest.mark.parametrize(
    "Estimator, ensemble, n_classes",
    [
        (TabularMLPClassifier, "independent", 2),
        (TabularMLPClassifier, "shared", 2),  # sigmoid heads
        (TabularMLPClassifier, "shared", 3),  # softmax heads
        (TabularMLPRegressor, "independent", None),
        (TabularMLPRegressor, "shared", None),
    ],
)
def test_an_ensembles_graph_averages_its_members(
    tables, Estimator, ensemble, n_classes
):
    X, X_new, signal = tables
    y = signal
    if n_classes is not None:  # the signal cut at its quantiles
        y = np.searchsorted(
            np.quantile(signal, [1 / 3, 2 / 3][: n_classes - 1]), signal
        )
    model = _fitted(
        Estimator(
            hidden_layer_sizes=(8,),
            max_iter=3,
            n_ensemble=3,
            ensemble=ensemble,
            random_state=0,
        ),  # fmt: skip
        X,
        y,
    )
    options = {"zipmap": False} if Estimator is TabularMLPClassifier else None
    onx = to_onnx(model, initial_types=input_types(model), options=options)
    outputs = _session(onx).run(None, onnx_inputs(model, X_new))
    if Estimator is TabularMLPClassifier:
        assert_allclose(outputs[1], model.predict_proba(X_new), atol=1e-5)
        assert_array_equal(outputs[0], model.predict(X_new))
    else:
        assert_allclose(
            outputs[0].ravel() / model.y_scale_,
            model.predict(X_new) / model.y_scale_,
            atol=1e-5,
        )


def test_an_unclipped_recipe_exports_unclipped_numbers(tables):
    """The recipe's ``smooth_clip=False`` holds in the graph as in predict."""
    import dataclasses

    from sklearn_scratchnn.tabular import REALMLP_TD

    X, X_new, signal = tables
    recipe = dataclasses.replace(REALMLP_TD, smooth_clip=False)
    reg = _small(TabularMLPRegressor, "float64").set_params(recipe=recipe)
    reg = _fitted(reg, X, signal)
    onx = to_onnx(reg, initial_types=input_types(reg))
    (predicted,) = _session(onx).run(None, onnx_inputs(reg, X_new))
    assert_allclose(predicted[:, 0], reg.predict(X_new), rtol=1e-5)
    clipped = _fitted(_small(TabularMLPRegressor, "float64"), X, signal)
    assert not np.allclose(clipped.predict(X_new), reg.predict(X_new))
