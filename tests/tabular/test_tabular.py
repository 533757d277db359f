"""The tabular estimators: their preprocessing value by value, odd tables,
reproducibility, scikit-learn's checks, and a real table with text and holes.

The categorical embedding's gradient is held to finite differences in
``tests/nn/test_gradients.py``; the comparison with boosting and RealMLP is
``benchmarks/tabular.py`` (a benchmark, not a test).
"""

import pickle
from pathlib import Path

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
from sklearn_scratchnn._fitting.targets import class_proba
from sklearn_scratchnn.tabular import TablePreprocessor
from sklearn_scratchnn.tabular._preprocessing import smooth_clip

SMALL = dict(hidden_layer_sizes=(16,), max_iter=20, random_state=0)


# -- preprocessing, value by value --------------------------------------------------


def _column(values):
    X = np.array(values, dtype=object).reshape(-1, 1)
    return TablePreprocessor().fit(X), X


def test_numbers_are_median_centred_iqr_scaled_and_smooth_clipped():
    prep, X = _column([1.0, 2.0, 3.0, 4.0, 100.0])
    # median 3, quartiles 2 and 4: (x - 3) / 2, then x / sqrt(1 + (x / 3)^2)
    scaled = np.array([-1.0, -0.5, 0.0, 0.5, 48.5])
    assert_allclose(prep.transform(X)[:, 0], scaled / np.sqrt(1 + (scaled / 3) ** 2))
    huge = smooth_clip(np.array([1e9, -1e300, np.inf]))
    assert_allclose(huge, [3.0, -3.0, 3.0])  # within +-3, never an overflow


def test_zero_iqr_falls_back_to_half_the_range_and_constants_become_zero():
    prep, X = _column([0.0, 0.0, 0.0, 0.0, 1.0])
    assert_allclose(prep.transform(X)[:, 0], smooth_clip(np.array([0, 0, 0, 0, 2.0])))
    prep, X = _column([5.0] * 4)
    assert_array_equal(prep.transform(X), 0.0)


def test_missing_numbers_are_the_median_and_flagged():
    prep, X = _column([1.0, np.nan, 3.0, 5.0])
    out = prep.transform(X)
    assert out.shape == (4, 2)  # the value, then its indicator
    assert out[1, 0] == 0.0
    assert_array_equal(out[:, 1], [0, 1, 0, 0])
    # a column without missing values in training gets no indicator
    prep, X = _column([1.0, 2.0, 3.0])
    assert prep.transform(np.array([[np.nan]], dtype=object)).tolist() == [[0.0]]


def test_few_categories_are_one_hot_and_unseen_ones_all_zeros():
    prep, X = _column(["b", "a", None, "b"])
    # slots: (missing), a, b
    assert_array_equal(prep.transform(X), [[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]])
    unseen = np.array([["c"]], dtype=object)
    assert_array_equal(prep.transform(unseen), [[0, 0, 0]])


def test_many_categories_are_coded_with_zero_for_unseen():
    values = [f"c{i:02d}" for i in range(12)] + [None]
    prep, X = _column(values)
    assert prep.cardinalities_ == [1 + 1 + 12]  # unseen, missing, 12 categories
    codes = prep.transform(X)[:, 0]
    assert codes[-1] == 1.0  # missing is a category of its own
    assert_array_equal(codes[:-1], np.arange(2, 14))  # sorted categories
    assert prep.transform(np.array([["new"]], dtype=object))[0, 0] == 0.0


def test_layout_is_numbers_then_flags_and_one_hot_then_codes():
    rng = np.random.RandomState(0)
    many = np.array([f"k{i}" for i in rng.randint(0, 20, 40)], dtype=object)
    X = np.column_stack([
        many, rng.normal(size=40), rng.choice(["x", "y"], 40), rng.normal(size=40)
    ]).astype(object)  # fmt: skip
    X[3, 1] = np.nan
    prep = TablePreprocessor().fit(X)
    out = prep.transform(X)
    assert prep.n_numeric_ == 2 and out.shape == (40, 2 + 1 + 2 + 1)
    assert_array_equal(out[:, 2], np.eye(40)[3])  # the indicator of column 1
    assert set(out[:, -1]) <= set(range(1, 21))  # codes last


def test_weighted_statistics_equal_repeated_rows():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=30), rng.choice(list("abc"), 30)]).astype(
        object
    )
    weights = rng.randint(0, 4, 30)
    weighted = TablePreprocessor().fit(X, sample_weight=weights)
    repeated = TablePreprocessor().fit(np.repeat(X, weights, axis=0))
    assert_array_equal(weighted.transform(X), repeated.transform(X))


def test_dataframes_of_mixed_columns():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "age": [30, 40, None, 50, 60, 70],
        "city": pd.Categorical(["a", "b", "a", None, "b", "a"]),
        "member": [True, False, True, True, False, False],
        "code": pd.Categorical([1, 2, 1, 2, 1, 2]),  # categories, though numbers
    })  # fmt: skip
    prep = TablePreprocessor().fit(frame)
    assert prep.n_numeric_ == 2  # age, member
    out = prep.transform(frame)
    assert out.shape == (6, 2 + 1 + 3 + 2) and np.isfinite(out).all()
    assert_array_equal(prep.feature_names_in_, frame.columns)


def test_polars_frames_read_as_pandas_ones():
    pl = pytest.importorskip("polars")
    pd = pytest.importorskip("pandas")
    data = {"x": [1.0, 2.0, None, 4.0], "c": ["a", None, "b", "a"]}
    from_polars = TablePreprocessor().fit(pl.DataFrame(data))
    from_pandas = TablePreprocessor().fit(pd.DataFrame(data))
    assert_array_equal(
        from_polars.transform(pl.DataFrame(data)),
        from_pandas.transform(pd.DataFrame(data)),
    )


def test_infinity_is_an_error_saying_what_to_do():
    X = np.array([[1.0], [np.inf], [2.0]], dtype=object)  # read column by column
    with pytest.raises(ValueError, match="contains infinity; replace it"):
        TabularMLPClassifier(**SMALL).fit(X, [0, 1, 0])
    with pytest.raises(ValueError, match="Input contains infinity"):  # sklearn's
        TabularMLPClassifier(**SMALL).fit(X.astype(float), [0, 1, 0])


# -- the estimators -----------------------------------------------------------------


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_same_seed_same_model_bit_for_bit(Estimator):
    X, y = load_wine(return_X_y=True)
    if Estimator is TabularMLPRegressor:
        y = X[:, 0]
        X = X[:, 1:]
    one = fit_quietly(Estimator(**SMALL), X, y)
    two = fit_quietly(Estimator(**SMALL), X, y)
    assert_array_equal(one.network_._params, two.network_._params)
    other = fit_quietly(Estimator(**{**SMALL, "random_state": 1}), X, y)
    assert not np.array_equal(one.network_._params, other.network_._params)


def _holed_table(X, names, rng):
    """``X`` as a DataFrame with two columns turned into text categories and
    5% of the cells of the others blanked."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=names)
    for name in names[:2]:
        quartile = pd.qcut(frame[name], 4, labels=False, duplicates="drop")
        frame[name] = np.array(["low", "mid", "high", "top"], dtype=object)[quartile]
    for name in names[2:]:
        frame.loc[rng.rand(len(frame)) < 0.05, name] = np.nan
    return frame


def test_a_real_table_with_text_and_holes_beats_the_baseline():
    """Breast cancer with two columns as text and 5% of the cells blank: the
    model must beat always-the-majority-class by 0.25 accuracy (0.63 ->
    0.88), trained in this test."""
    data = load_breast_cancer()
    rng = np.random.RandomState(0)
    frame = _holed_table(data.data, [str(n) for n in data.feature_names], rng)
    X_train, X_test, y_train, y_test = train_test_split(
        frame, data.target, random_state=0, stratify=data.target
    )
    model = fit_quietly(
        TabularMLPClassifier(hidden_layer_sizes=(64, 64), max_iter=40,
                             random_state=0), X_train, y_train,
    )  # fmt: skip
    baseline = DummyClassifier().fit(X_train, y_train).score(X_test, y_test)
    assert model.score(X_test, y_test) >= baseline + 0.25
    assert model.best_epoch_ is not None


def test_a_real_regression_table_beats_the_baseline():
    """Diabetes with two columns as text and holes: R^2 at least 0.3 above
    predicting the mean (which scores about 0)."""
    data = load_diabetes()
    rng = np.random.RandomState(0)
    frame = _holed_table(data.data, list(data.feature_names), rng)
    X_train, X_test, y_train, y_test = train_test_split(
        frame, data.target, random_state=0
    )
    model = fit_quietly(
        TabularMLPRegressor(hidden_layer_sizes=(64, 64), max_iter=40,
                            random_state=0), X_train, y_train,
    )  # fmt: skip
    baseline = DummyRegressor().fit(X_train, y_train).score(X_test, y_test)
    assert model.score(X_test, y_test) >= baseline + 0.3
    predicted = model.predict(X_test)
    assert predicted.min() >= y_train.min() and predicted.max() <= y_train.max()


@pytest.mark.parametrize(
    "table",
    ["fewer rows than a batch", "one feature", "all-missing column",
     "all categorical", "a class of one row"],
)  # fmt: skip
def test_tiny_and_odd_tables_train(table):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3)).astype(object)
    y = (X[:, 0].astype(float) > 0).astype(int)
    if table == "fewer rows than a batch":
        X, y = X[:12], y[:12]
    elif table == "one feature":
        X = X[:, :1]
    elif table == "all-missing column":
        X[:, 1] = np.nan
    elif table == "all categorical":
        X = np.where(X.astype(float) > 0, "up", "down").astype(object)
    else:
        y = y.copy()
        y[0] = 2  # a third class with a single row
    model = fit_quietly(TabularMLPClassifier(**SMALL), X, y)
    assert model.predict(X).shape == (len(y),)
    assert np.isfinite(model.predict_proba(X)).all()


def test_a_validation_set_of_ones_own():
    X, y = load_wine(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
    model = fit_quietly(
        TabularMLPClassifier(**SMALL), X_train, y_train, X_val=X_val, y_val=y_val
    )
    assert len(model.validation_scores_) == 20
    best = max(model.validation_scores_)
    Z_val = model.preprocessor_.transform(X_val)
    proba = class_proba(*model.network_.forward(Z_val))  # the best epoch alone
    assert np.mean(model.classes_[proba.argmax(axis=1)] == y_val) == best
    # the epoch restored: of the best score, the lowest validation loss
    epoch = model.best_epoch_
    assert model.validation_scores_[epoch - 1] == best
    losses = model.network_.validation_loss_curve_
    tied = [loss for s, loss in zip(model.validation_scores_, losses, strict=True)
            if s == best]  # fmt: skip
    assert losses[epoch - 1] == min(tied)
    # and that loss is the restored weights' cross-entropy against the
    # smoothed targets (label_smoothing=0.1, 3 classes)
    smoothed = 0.9 * np.eye(3)[np.searchsorted(model.classes_, y_val)] + 0.1 / 3
    cross_entropy = -(smoothed * np.log(proba)).sum(axis=1).mean()
    assert cross_entropy == pytest.approx(losses[epoch - 1], rel=1e-9)
    with pytest.raises(ValueError, match="X_val and y_val go together"):
        TabularMLPClassifier(**SMALL).fit(X_train, y_train, X_val=X_val)


def test_pipeline_grid_search_and_cross_validation():
    X, y = load_wine(return_X_y=True)
    scores = cross_val_score(TabularMLPClassifier(**SMALL), X, y, cv=3)
    assert scores.mean() > 0.8
    search = GridSearchCV(
        make_pipeline(TabularMLPClassifier(**SMALL)),
        {"tabularmlpclassifier__dropout": [0.0, 0.15]},
        cv=2,
    ).fit(X, y)
    assert search.best_score_ > 0.8


def test_saved_models_predict_the_same():
    X, y = load_wine(return_X_y=True)
    model = fit_quietly(TabularMLPClassifier(**SMALL), X, y)
    loaded = pickle.loads(pickle.dumps(model))
    assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    # one type to trust, as for a Scratch estimator: the network inside and the
    # preprocessing are saved as plain data
    assert untrusted == ["sklearn_scratchnn.tabular._estimators.TabularMLPClassifier"]
    restored = sio.loads(data, trusted=untrusted)
    assert type(restored.network_).__name__ == "TrainedNetwork"
    assert_array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_float32_trains_in_float32():
    X, y = load_wine(return_X_y=True)
    model = fit_quietly(TabularMLPClassifier(**SMALL, dtype="float32"), X, y)
    assert model.network_._params.dtype == np.float32
    assert model.score(X, y) > 0.9


@pytest.mark.skipif(
    np.lib.NumpyVersion(np.__version__) < "2.0.0",
    reason="the committed pickles were written by NumPy 2",
)
@pytest.mark.parametrize("name", ["classifier", "regressor"])
@pytest.mark.parametrize("suffix", [".pickle", ".skops"])
def test_models_saved_before_the_package_was_rearranged_predict_the_same(name, suffix):
    """Files written by commit 86cbd37, before the Scratch family moved to
    ``scratch/`` (``tests/data/saved_models/make_tabular1.py``): they load,
    the command line trusts what they ask for, and they predict as recorded."""
    pd = pytest.importorskip("pandas")
    saved = Path(__file__).parents[1] / "data" / "saved_models" / f"tabular1_{name}"
    if suffix == ".skops":
        sio = pytest.importorskip("skops.io")
        from sklearn_scratchnn.cli.model_files import _trusted_types

        path = saved.with_suffix(".skops")
        asked = sio.get_untrusted_types(file=path)
        assert set(asked) <= _trusted_types()  # the command line loads it
        model = sio.load(path, trusted=asked)
    else:
        model = pickle.loads(saved.with_suffix(".pickle").read_bytes())
    X = pd.read_csv(saved.with_suffix(".csv"))
    predicted = model.predict_proba(X) if name == "classifier" else model.predict(X)
    assert_allclose(predicted, np.load(saved.with_suffix(".npy")), rtol=1e-12)
    # its parameters are those make_tabular1.py gave, under today's names
    assert "max_epochs" not in vars(model)
    settings = dict(hidden_layer_sizes=(8,), max_iter=8, n_ensemble=2, random_state=0)
    assert model.get_params() == {**type(model)().get_params(), **settings}


def test_column_errors_name_the_column_and_float32_infinity_warns_nothing():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"price": [1.0, 2.0, np.inf, 4.0] * 5, "n": np.arange(20.0)})
    with pytest.raises(ValueError, match="Column 'price' of X contains infinity"):
        TabularMLPClassifier(**SMALL).fit(X, np.arange(20) % 2)
    array = np.ones((20, 2), dtype=np.float32)
    array[3, 1] = -np.inf
    with pytest.raises(ValueError, match="infinity"):  # and no RuntimeWarning
        TabularMLPClassifier(**SMALL).fit(array, np.arange(20) % 2)


def test_an_array_on_a_frame_fitted_model_warns_once():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) % 3})
    model = fit_quietly(TabularMLPClassifier(**SMALL), X, np.arange(40) % 2)
    with pytest.warns(UserWarning, match="valid feature names") as caught:
        model.predict(X.to_numpy())
    assert len(caught) == 1


def test_the_package_shows_only_its_public_names():
    """Its estimators and its own subpackages, never a module it imports."""
    import sklearn_scratchnn

    for name in dir(sklearn_scratchnn):
        if name.startswith("_") or name in sklearn_scratchnn.__all__:
            continue
        module = getattr(sklearn_scratchnn, name)
        assert module.__name__ == f"sklearn_scratchnn.{name}", name


# -- the ensemble ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def wine():
    return load_wine(return_X_y=True)


def test_an_ensemble_of_one_is_the_model_without_one(wine):
    X, y = wine
    plain = fit_quietly(TabularMLPClassifier(**SMALL), X, y)
    one = fit_quietly(TabularMLPClassifier(n_ensemble=1, n_jobs=2, **SMALL), X, y)
    for ours, theirs in zip(one.networks_, plain.networks_, strict=True):
        assert_array_equal(ours._params, theirs._params)
    alone = fit_quietly(TabularMLPClassifier(**SMALL, snapshots=False), X, y)
    assert alone.networks_ == [alone.network_]
    shared = fit_quietly(TabularMLPClassifier(ensemble="shared", **SMALL), X, y)
    for ours, theirs in zip(shared.networks_, plain.networks_, strict=True):
        assert_array_equal(ours._params, theirs._params)


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_shared_members_are_one_network_of_tabm_members(wine, Estimator):
    X, y = wine
    if Estimator is TabularMLPRegressor:
        X, y = X[:, 1:], X[:, 0]
    small = {**SMALL, "max_iter": 6, "snapshots": False}
    model = fit_quietly(Estimator(n_ensemble=3, ensemble="shared", **small), X, y)
    again = fit_quietly(Estimator(n_ensemble=3, ensemble="shared", **small), X, y)
    (network,) = model.networks_  # one network, holding the three members
    assert network._network.members == 3
    assert network.coefs_[-1].shape[0] == 3  # a head each
    assert_array_equal(network._params, again.network_._params)
    # not the independent ensemble, nor one network: members of their own
    independent = fit_quietly(Estimator(n_ensemble=3, **small), X, y)
    one = fit_quietly(Estimator(**small), X, y)
    for other in (independent, one):
        assert network._params.size != other.network_._params.size
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict(X), model.predict(X))
    if Estimator is TabularMLPClassifier:
        assert_allclose(model.predict_proba(X).sum(axis=1), 1.0, rtol=1e-12)
    assert model.score(X, y) > one.score(X, y) - 0.1  # it learns as one does


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_an_ensemble_averages_members_seeded_apart_the_same_for_any_n_jobs(
    wine, Estimator
):
    X, y = wine
    if Estimator is TabularMLPRegressor:
        X, y = X[:, 1:], X[:, 0]
    small = {**SMALL, "max_iter": 6, "snapshots": False}
    serial = fit_quietly(Estimator(n_ensemble=3, **small), X, y)
    parallel = fit_quietly(Estimator(n_ensemble=3, n_jobs=2, **small), X, y)
    again = fit_quietly(Estimator(n_ensemble=3, **small), X, y)
    members = [m._params for m in serial.networks_]
    assert len(members) == 3 and not np.array_equal(members[0], members[1])
    for model in (parallel, again):
        for ours, theirs in zip(serial.networks_, model.networks_, strict=True):
            assert_array_equal(ours._params, theirs._params)
    Z = serial._table_input(X)
    if Estimator is TabularMLPClassifier:
        mean = np.mean([class_proba(*m.forward(Z)) for m in serial.networks_], axis=0)
        assert_allclose(serial.predict_proba(X), mean, rtol=1e-15)
        assert_array_equal(serial.predict(X), serial.classes_[mean.argmax(axis=1)])
        assert_allclose(np.exp(serial.predict_log_proba(X)), mean, rtol=1e-12)
    else:
        mean = np.mean([m.forward(Z)[1][:, 0] for m in serial.networks_], axis=0)
        expected = np.clip(mean * serial.y_scale_ + serial.y_mean_,
                           serial.y_min_, serial.y_max_)  # fmt: skip
        assert_allclose(serial.predict(X), expected, rtol=1e-15)
    restored = pickle.loads(pickle.dumps(serial))
    assert len(restored.networks_) == 3
    assert_array_equal(restored.predict(X), serial.predict(X))
