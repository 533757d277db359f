"""The blend of the tabular network and HistGradientBoosting, as a user sees
it: its predictions, where its weights come from, and that it is the same
model however it is fitted, carried or saved."""

import pickle

import joblib
import numpy as np
import pytest
from helpers import fit_quietly
from joblib import parallel_config
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.model_selection import GridSearchCV

from sklearn_scratchnn import (
    TabularBlendClassifier,
    TabularBlendRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)

pd = pytest.importorskip("pandas")

# a narrow, short network: what is tested is the blend around it
NETWORK = dict(hidden_layer_sizes=(16,), max_iter=16)
# a network that learns nothing: a learning rate of 1e-9 leaves it at its
# start, whose probabilities are close to even whatever the row
USELESS_NETWORK = dict(hidden_layer_sizes=(8,), max_iter=2, learning_rate_init=1e-9)


def _table(n=600, seed=0):
    """A table with numbers (some missing), text and a category, and a score
    that a tree and a network both learn."""
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, 2))
    x[rng.rand(n) < 0.1, 1] = np.nan
    city = rng.choice([f"c{i}" for i in range(12)], size=n).astype(object)
    colour = rng.choice(["red", "blue", "green"], size=n).astype(object)
    colour[rng.rand(n) < 0.1] = None
    frame = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "city": city, "colour": colour})
    frame["colour"] = frame["colour"].astype("category")
    score = 2 * x[:, 0] - np.nan_to_num(x[:, 1]) + (city == "c3") + (colour == "red")
    return frame, score


def _labels(score):
    return np.where(score > 0.5, "yes", "no")


@pytest.fixture(scope="module")
def table():
    return _table()


def test_a_useless_network_gets_no_weight_and_the_blend_is_hgb(table):
    X, score = table
    y = _labels(score)
    blend = fit_quietly(
        TabularBlendClassifier(TabularMLPClassifier(**USELESS_NETWORK), random_state=0),
        X,
        y,
    )
    # at most one place of twenty: near-even probabilities can soften HGB's
    # most confident ones, and nothing more
    assert blend.weights_[0] <= 0.05
    hgb = blend.hgb_.predict_proba(blend.encoder_.transform(X))
    assert_allclose(blend.predict_proba(X), hgb, atol=0.05)
    hgb_labels = blend.classes_[hgb.argmax(axis=1)]
    assert np.mean(blend.predict(X) == hgb_labels) > 0.99


def test_a_useless_hgb_gets_no_weight_and_the_blend_is_the_network(table):
    X, score = table
    y = 3.0 * score
    # one tree at a learning rate of 1e-6: the mean target, and nothing else
    useless = HistGradientBoostingRegressor(max_iter=1, learning_rate=1e-6)
    blend = fit_quietly(
        TabularBlendRegressor(TabularMLPRegressor(**NETWORK), useless, random_state=0),
        X,
        y,
    )
    assert_array_equal(blend.weights_, [1.0, 0.0])
    assert_array_equal(blend.predict(X), blend.network_.predict(X).astype(float))
    assert blend.score(X, y) > 0.8


def test_the_weights_come_from_rows_the_parts_did_not_train_on():
    """A boosting that memorises noisy labels is perfect on its own training
    rows and poor on new ones; chosen on the training rows it would take all
    the weight. Chosen on held-out rows, the network, which does not
    memorise, takes most of it, and the blend scores above HGB on new rows."""
    X, score = _table(n=1200, seed=1)
    rng = np.random.RandomState(1)
    y = _labels(score)
    flipped = rng.rand(len(y)) < 0.25
    y_noisy = np.where(flipped, np.where(y == "yes", "no", "yes"), y)
    memorising = HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.5, max_leaf_nodes=None, min_samples_leaf=1,
        early_stopping=False,
    )  # fmt: skip
    blend = fit_quietly(
        TabularBlendClassifier(
            TabularMLPClassifier(hidden_layer_sizes=(16,), max_iter=32),
            memorising,
            random_state=0,
        ),
        X[:800],
        y_noisy[:800],
    )
    hgb_train = blend.hgb_.score(blend.encoder_.transform(X[:800]), y_noisy[:800])
    assert hgb_train > 0.95  # it memorised its rows
    assert blend.weights_[1] < 0.5
    new = slice(800, None)
    hgb_new = blend.hgb_.score(blend.encoder_.transform(X[new]), y[new])
    assert blend.score(X[new], y[new]) > hgb_new


def test_the_same_random_state_gives_the_same_predictions(table):
    X, score = table
    y = _labels(score)
    one, two = (
        fit_quietly(
            TabularBlendClassifier(TabularMLPClassifier(**NETWORK), random_state=3),
            X,
            y,
        )
        for _ in range(2)
    )
    assert_array_equal(one.predict_proba(X), two.predict_proba(X))
    other = fit_quietly(
        TabularBlendClassifier(TabularMLPClassifier(**NETWORK), random_state=4), X, y
    )
    assert not np.array_equal(one.predict_proba(X), other.predict_proba(X))


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_two_jobs_on_processes_predict_as_one_job(table, task):
    """The network trains in a worker process and comes back pickled. (In
    float64: a float32 network's sums depend on the number of BLAS threads,
    and a worker runs with fewer than this process.)"""
    X, score = table
    if task == "classification":
        Blend, network, y = TabularBlendClassifier, TabularMLPClassifier, _labels(score)
    else:
        Blend, network, y = TabularBlendRegressor, TabularMLPRegressor, score
    params = dict(network=network(**NETWORK, dtype="float64"), random_state=0)
    one = fit_quietly(Blend(**params), X, y)
    with parallel_config(backend="loky"):
        two = fit_quietly(Blend(**params, n_jobs=2), X, y)
    assert_array_equal(one.predict(X), two.predict(X))
    assert_array_equal(one.weights_, two.weights_)
    assert one.score(X, y) > 0.8


def test_a_failed_fit_leaves_the_blend_as_it_was(table):
    X, score = table
    y = _labels(score)
    blend = fit_quietly(
        TabularBlendClassifier(TabularMLPClassifier(**NETWORK), random_state=0), X, y
    )
    before = blend.predict_proba(X)
    attributes = set(vars(blend))
    # the network's own check fails after the split and HGB's input are made
    blend.set_params(network__hidden_layer_sizes=(0,))
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        blend.fit(X, y)
    assert set(vars(blend)) == attributes
    assert_array_equal(blend.predict_proba(X), before)
    # and a blend never fitted stays unfitted
    fresh = TabularBlendClassifier(TabularMLPClassifier(hidden_layer_sizes=(0,)))
    with pytest.raises(ValueError):
        fresh.fit(X, y)
    assert not hasattr(fresh, "weights_") and not hasattr(fresh, "n_features_in_")


def test_saved_blends_load_and_predict_identically(table, tmp_path):
    X, score = table
    y = _labels(score)
    blend = fit_quietly(
        TabularBlendClassifier(TabularMLPClassifier(**NETWORK), random_state=0), X, y
    )
    expected = blend.predict_proba(X)
    path = tmp_path / "blend.joblib"
    joblib.dump(blend, path)
    for loaded in (pickle.loads(pickle.dumps(blend)), joblib.load(path)):
        assert_array_equal(loaded.predict_proba(X), expected)
        assert_array_equal(loaded.weights_, blend.weights_)


def test_a_skops_file_asks_to_trust_ours_and_scikit_learns_types_only(table, tmp_path):
    sio = pytest.importorskip("skops.io")
    if not hasattr(np.random.PCG64(), "seed_seq"):
        pytest.skip(
            "skops writes the random generator HistGradientBoosting keeps through "
            "its seed_seq, which NumPy < 1.25 keeps private"
        )
    X, score = table
    blend = fit_quietly(
        TabularBlendRegressor(TabularMLPRegressor(**NETWORK), random_state=0), X, score
    )
    path = tmp_path / "blend.skops"
    sio.dump(blend, path)
    untrusted = sio.get_untrusted_types(file=path)
    assert "sklearn_scratchnn.tabular._blend.TabularBlendRegressor" in untrusted
    # scikit-learn's HGB keeps a functools.partial of its own check_array
    # where it has categories (scikit-learn 1.6.1 and 1.9.1 do)
    others = [t for t in untrusted if t != "functools.partial"]
    assert all(t.startswith(("sklearn.", "sklearn_scratchnn.")) for t in others)
    loaded = sio.load(path, trusted=untrusted)
    assert_array_equal(loaded.predict(X), blend.predict(X))


def test_grid_search_reaches_the_parts_settings(table):
    X, score = table
    y = _labels(score)
    blend = TabularBlendClassifier(
        TabularMLPClassifier(hidden_layer_sizes=(8,), max_iter=4),
        HistGradientBoostingClassifier(max_iter=10),
        random_state=0,
    )
    grid = {"network__hidden_layer_sizes": [(4,), (8,)], "hgb__max_depth": [2, None]}
    search = fit_quietly(GridSearchCV(blend, grid, cv=2), X, y)
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_
    assert best.network_.hidden_layer_sizes in [(4,), (8,)]
    assert best.hgb_.max_depth == search.best_params_["hgb__max_depth"]


def test_weights_of_rows_and_classes_reach_both_parts(table):
    """Rows of weight 0 have their labels flipped: each part, fitted on the
    weighted rows, learns the clean rule."""
    X, score = table
    y = _labels(score)
    rng = np.random.RandomState(0)
    noisy = rng.rand(len(y)) < 0.4
    y_given = np.where(noisy, np.where(y == "yes", "no", "yes"), y)
    blend = fit_quietly(
        TabularBlendClassifier(
            TabularMLPClassifier(**NETWORK), class_weight="balanced", random_state=0
        ),
        X,
        y_given,
        sample_weight=(~noisy).astype(float),
    )
    assert blend.network_.score(X, y) > 0.85
    assert blend.hgb_.score(blend.encoder_.transform(X), y) > 0.85
    assert blend.network_.class_weight == blend.hgb_.class_weight == "balanced"


def test_a_table_too_small_to_hold_rows_out_blends_evenly():
    X, score = _table(n=40)
    blend = fit_quietly(
        TabularBlendRegressor(TabularMLPRegressor(**NETWORK), random_state=0),
        X,
        score,
    )
    assert_array_equal(blend.weights_, [0.5, 0.5])
    assert blend.validation_loss_ is None


def test_equal_selection_weighs_the_parts_evenly(table):
    X, score = table
    blend = fit_quietly(
        TabularBlendRegressor(
            TabularMLPRegressor(**NETWORK), selection="equal", random_state=0
        ),
        X,
        score,
    )
    assert_array_equal(blend.weights_, [0.5, 0.5])
    parts = blend.network_.predict(X), blend.hgb_.predict(blend.encoder_.transform(X))
    assert_allclose(blend.predict(X), 0.5 * parts[0] + 0.5 * parts[1], rtol=1e-12)
    # the held-out losses are there still, the blend's among them
    assert set(blend.validation_loss_) == {"network", "hgb", "blend"}


def test_without_refit_hgb_is_the_one_the_weights_were_chosen_for(table):
    X, score = table
    kept = fit_quietly(
        TabularBlendRegressor(
            TabularMLPRegressor(**NETWORK), refit=False, random_state=0
        ),
        X,
        score,
    )
    refitted = fit_quietly(
        TabularBlendRegressor(TabularMLPRegressor(**NETWORK), random_state=0),
        X,
        score,
    )
    assert_array_equal(kept.weights_, refitted.weights_)
    E = kept.encoder_.transform(X)
    # fitted on fewer rows: another model
    assert not np.array_equal(kept.hgb_.predict(E), refitted.hgb_.predict(E))
    assert kept.hgb_.n_features_in_ == refitted.hgb_.n_features_in_ == 4


@pytest.mark.parametrize(
    "params, error, message",
    [
        (dict(network=HistGradientBoostingClassifier()), TypeError,
         "network must be a TabularMLPClassifier"),
        (dict(hgb=TabularMLPClassifier()), TypeError,
         "hgb must be a HistGradientBoostingClassifier"),
        (dict(hgb=HistGradientBoostingClassifier(categorical_features=[0])),
         ValueError, "leave its categorical_features at 'from_dtype'"),
        (dict(selection="best"), ValueError, "'selection' parameter"),
    ],
)  # fmt: skip
def test_parts_and_parameters_that_cannot_work_are_refused(
    table, params, error, message
):
    X, score = table
    with pytest.raises(error, match=message):
        TabularBlendClassifier(**params).fit(X, _labels(score))


def test_several_label_columns_are_refused_with_the_way_out(table):
    X, score = table
    Y = np.column_stack([score > 0, score > 1]).astype(int)
    with pytest.raises(ValueError, match="MultiOutputClassifier"):
        TabularBlendClassifier().fit(X, Y)


def test_categories_reach_hgb_as_categories(table):
    X, score = table
    blend = fit_quietly(
        TabularBlendClassifier(TabularMLPClassifier(**NETWORK), random_state=0),
        X,
        _labels(score),
    )
    assert_array_equal(blend.hgb_.is_categorical_, [False, False, True, True])
    # a city never seen, and missing cells, predict
    rows = X.iloc[:3].copy()
    rows["city"] = ["nowhere", None, "c3"]
    rows["b"] = np.nan
    proba = blend.predict_proba(rows)
    assert np.isfinite(proba).all()
    assert_allclose(proba.sum(axis=1), 1.0)


def test_a_progress_bar_follows_the_networks_epochs_then_hgb(table, capsys):
    """scikit-learn's ProgressBar, set on the blend, reaches the network
    inside (its epochs) and counts HGB's fit as the blend's second task."""
    callback = pytest.importorskip("sklearn.callback")  # scikit-learn >= 1.9
    pytest.importorskip("rich")
    X, score = table

    class Tasks:  # auto-propagated: it has a propagation depth
        max_propagation_depth = None

        def __init__(self):
            self.ended = []

        def setup(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, **kwargs):
            pass

        def on_fit_task_end(self, estimator, context, **kwargs):
            self.ended.append(context.task_name)
            return False

        def teardown(self, estimator, context):
            pass

    tasks = Tasks()
    blend = TabularBlendClassifier(
        TabularMLPClassifier(**NETWORK), random_state=0
    ).set_callbacks(tasks, callback.ProgressBar())
    fit_quietly(blend, X, _labels(score))
    assert tasks.ended.count("epoch") == blend.network_.n_iter_ == 16
    # then the network's fit (the blend's "network" task, ended by the
    # network itself), HGB's, and the blend's
    assert tasks.ended[16:] == ["fit", "hgb", "fit"]
    assert "100%" in capsys.readouterr().out
