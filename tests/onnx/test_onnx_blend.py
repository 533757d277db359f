"""The blends as one ONNX graph, both parts and their weighted average,
against onnxruntime: numbers with NaN, text with missing and unseen values,
HistGradientBoosting's categorical splits, a column of more categories than
HGB takes."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from sklearn_scratchnn import (
    TabularBlendClassifier,
    TabularBlendRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)

pd = pytest.importorskip("pandas")
pytest.importorskip("skl2onnx")
rt = pytest.importorskip("onnxruntime")

from skl2onnx import to_onnx  # noqa: E402

from sklearn_scratchnn.onnx import input_types, onnx_inputs  # noqa: E402

N = 400
NETWORK = dict(hidden_layer_sizes=(16,), max_iter=8)


def _frame(rng, n):
    return pd.DataFrame(
        {
            "age": rng.normal(40, 12, n),
            "income": np.where(rng.rand(n) < 0.15, np.nan, rng.exponential(3e4, n)),
            "town": rng.choice(["north", "south", "east", None], n),
            "shop": rng.choice([f"s{i:02d}" for i in range(25)], n),
            "kids": rng.randint(0, 4, n),
        }
    )


@pytest.fixture(scope="module")
def tables():
    rng = np.random.RandomState(0)
    X = _frame(rng, N)
    X_new = _frame(rng, 80)
    X_new.loc[:7, "town"] = "west"  # unseen in fit
    X_new.loc[8:15, "shop"] = "s99"  # unseen
    X_new.loc[16:23, "shop"] = None  # missing, never missing in fit
    X_new.loc[24:31, "age"] = np.nan  # missing, never missing in fit
    X_new.loc[32:39, "income"] = np.nan
    shop = X["shop"].str[1:].astype(int)
    # the shops split as categories: odd shops up, a tree's set of them
    signal = (
        X["age"] / 12
        + (X["town"] == "north")
        + 1.5 * (shop % 2)
        - np.log1p(X["income"].fillna(1)) / 3
    )
    return X, X_new, signal.to_numpy()


def _fitted(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


def _session(onx):
    return rt.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def _float64_feeds(model, X):
    feeds = onnx_inputs(model, X, dtype=np.float64)
    feeds["kids"] = feeds["kids"].astype(np.int64)
    return feeds


@pytest.mark.parametrize("target", ["binary", "multiclass"])
def test_the_plain_call_gives_one_graph_of_both_parts(tables, target):
    """``to_onnx(model, frame[:1])`` as a user writes it, with a blend whose
    HGB splits the shops as categories."""
    X, X_new, signal = tables
    if target == "binary":
        y = signal > np.median(signal)
    else:
        y = np.array(["low", "mid", "high"])[
            np.digitize(signal, np.quantile(signal, [1 / 3, 2 / 3]))
        ]
    blend = TabularBlendClassifier(
        TabularMLPClassifier(**NETWORK), selection="equal", random_state=0
    )
    blend = _fitted(blend, X, y)
    assert blend.hgb_.is_categorical_.sum() == 2  # town and shop
    session = _session(to_onnx(blend, X[:1]))
    labels, maps = session.run(None, _float64_feeds(blend, X_new))
    proba = pd.DataFrame(maps).to_numpy()
    assert_allclose(proba, blend.predict_proba(X_new), atol=1e-5)
    assert_array_equal(labels, blend.predict(X_new))


def test_hgb_alone_in_the_graph_is_hgb_to_float64_precision(tables):
    """Where the network has no weight the graph is HGB's trees alone: their
    categorical splits, missing values and unseen categories exactly."""
    X, X_new, signal = tables
    useless = TabularMLPClassifier(hidden_layer_sizes=(4,), max_iter=1,
                                   learning_rate_init=1e-9)  # fmt: skip
    blend = _fitted(TabularBlendClassifier(useless, random_state=0), X, signal > 0)
    blend.weights_ = np.array([0.0, 1.0])  # HGB's, and nothing else
    onx = to_onnx(blend, initial_types=input_types(blend), options={"zipmap": False})
    labels, proba = _session(onx).run(None, onnx_inputs(blend, X_new))
    expected = blend.hgb_.predict_proba(blend.encoder_.transform(X_new))
    # float32 inputs, HGB in float64 inside: the probabilities to float32's
    assert_allclose(proba, expected, atol=1e-6)
    assert_array_equal(labels, blend.predict(X_new))


def test_regressor_graph_matches_predict(tables):
    X, X_new, signal = tables
    y = 1000 + 250 * signal
    blend = _fitted(
        TabularBlendRegressor(
            TabularMLPRegressor(**NETWORK, dtype="float64"),
            selection="equal",
            random_state=0,
        ),
        X,
        y,
    )
    session = _session(to_onnx(blend, X[:1]))
    (out,) = session.run(None, _float64_feeds(blend, X_new))
    assert out.shape == (len(X_new), 1)
    # onnxruntime's tree ensemble returns its sums in float32
    assert_allclose(out.ravel(), blend.predict(X_new), rtol=1e-6)


def test_a_column_of_more_categories_than_hgb_takes_exports_its_grouping():
    """Past ``max_bins`` categories the rarest share one code: in the graph
    too, and a category never seen reads as missing."""
    rng = np.random.RandomState(1)
    n = 600
    codes = rng.zipf(1.3, n) % 400
    X = pd.DataFrame({"item": [f"i{c}" for c in codes], "x": rng.normal(size=n)})
    y = (codes % 3 == 0) + X["x"].to_numpy() > 0.5
    hgb = HistGradientBoostingClassifier(max_bins=16, max_iter=20)
    blend = _fitted(
        TabularBlendClassifier(TabularMLPClassifier(**NETWORK), hgb, random_state=0),
        X,
        y,
    )
    assert blend.encoder_.categories_[0][1][-1] == "(other)"
    X_new = X.iloc[:50].copy()
    X_new.loc[:4, "item"] = "never"
    onx = to_onnx(blend, X[:1], options={"zipmap": False})
    labels, proba = _session(onx).run(None, {"item": X_new[["item"]].to_numpy(),
                                             "x": X_new[["x"]].to_numpy()})  # fmt: skip
    assert_allclose(proba, blend.predict_proba(X_new), atol=1e-5)
    assert_array_equal(labels, blend.predict(X_new))


def test_hgb_regressor_with_a_log_link_exports():
    rng = np.random.RandomState(2)
    X = pd.DataFrame({"x": rng.normal(size=300), "kind": rng.choice(list("abc"), 300)})
    y = np.exp(X["x"] + (X["kind"] == "a")).to_numpy()
    blend = _fitted(
        TabularBlendRegressor(
            TabularMLPRegressor(**NETWORK, dtype="float64"),
            HistGradientBoostingRegressor(loss="poisson", max_iter=30),
            selection="equal",
            random_state=0,
        ),
        X,
        y,
    )
    onx = to_onnx(blend, X[:1])
    (out,) = _session(onx).run(None, {"x": X[["x"]].to_numpy(),
                                      "kind": X[["kind"]].to_numpy()})  # fmt: skip
    assert_allclose(out.ravel(), blend.predict(X), rtol=1e-6)
