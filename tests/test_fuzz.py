"""Fuzzing: whatever the input, a working model or a clear error, never silence.

Hypothesis draws a small valid problem, applies zero to two corruptions, and
calls fit / partial_fit / predict / predict_proba on either estimator. Each
case must either work (finite outputs, probabilities summing to 1, labels
from classes_) or raise ValueError/TypeError whose message names the problem
(checked against the corruption's keywords). Any other exception, any
RuntimeWarning and any non-finite output fails the test.
"""

import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor

# corruption -> regex the error message must match (None: it must not fail)
CORRUPTIONS = {
    "nan_in_X": r"NaN",
    "inf_in_X": r"infinity|inf",
    "huge_X": r"diverged|overflow",
    "tiny_X": None,
    "float32_extreme_X": r"diverged|overflow|infinity",
    "constant_column": None,
    "duplicated_rows": None,
    "single_class": r"class",
    "string_labels": None,
    "object_labels": None,
    "mixed_labels": r"[Mm]ix|type|string|Unknown label",
    "y_too_short": r"inconsistent numbers of samples",
    "X_1d": r"Expected 2D array|1D",
    "X_3d": r"dim 3|3D|dimension",
    "X_empty": r"0 sample|minimum of 1",
    "sw_all_zero": r"non-zero|sum to zero",
    "sw_some_zero": r"class|non-zero",
    "sw_negative": r"Negative|negative",
    "sw_nan": r"NaN",
    "sw_wrong_shape": r"shape|1D|length",
    "bad_param": "PARAM",
    "extreme_param": "PARAM|diverged|overflow|class|too small",
}

BAD_PARAMS = [
    ("hidden_layer_sizes", 0),
    ("hidden_layer_sizes", (-3,)),
    ("hidden_layer_sizes", (4, 0)),
    ("learning_rate_init", 0.0),
    ("learning_rate_init", -1.0),
    ("learning_rate_init", float("nan")),
    ("batch_size", 0),
    ("validation_fraction", 1.0),
    ("validation_fraction", -0.1),
    ("momentum", 1.5),
    ("momentum", -0.5),
    ("alpha", -1.0),
    ("max_iter", 0),
    ("tol", -1.0),
    ("beta_1", 1.0),
    ("beta_2", -0.1),
    ("epsilon", 0.0),
    ("n_iter_no_change", 0),
    ("activation", "softmax"),
    ("solver", "newton"),
    ("power_t", -1.0),
]

EXTREME_PARAMS = [
    ("learning_rate_init", 1e6),
    ("batch_size", 10_000),
    ("validation_fraction", 0.0),
    ("alpha", 1e12),
    ("hidden_layer_sizes", (1,)),
    ("momentum", 1.0),
    ("epsilon", 1e-300),
    ("tol", 1e12),
]


@st.composite
def cases(draw):
    rng = np.random.RandomState(draw(st.integers(0, 2**31 - 1)))
    classify = draw(st.booleans())
    n = draw(st.integers(6, 30))
    d = draw(st.integers(1, 4))
    X = rng.normal(size=(n, d))
    if classify:
        k = draw(st.integers(2, 3))
        y = np.resize(np.arange(k), n)  # every class present
        rng.shuffle(y)
    else:
        y = X.sum(axis=1) + rng.normal(scale=0.1, size=n)
    params = dict(
        hidden_layer_sizes=(draw(st.integers(1, 5)),),
        activation=draw(
            st.sampled_from(
                ["logistic", "tanh", "relu", "identity", "selu", "mish", "gelu"]
            )
        ),
        solver=draw(st.sampled_from(["adam", "sgd", "lbfgs"])),
        max_iter=draw(st.integers(1, 8)),
        early_stopping=draw(st.booleans()),
        random_state=0,
    )
    how_many = draw(st.sampled_from([0, 1, 1, 2, 2]))  # mostly corrupted
    corruptions = draw(
        st.lists(
            st.sampled_from(sorted(CORRUPTIONS)),
            min_size=how_many,
            max_size=how_many,
            unique=True,
        )
    )
    sw = None
    labels = []
    for corruption in corruptions:
        X, y, sw, params, label = _corrupt(
            corruption, X, y, sw, params, classify, rng, draw
        )
        labels.append(label)
    action = draw(st.sampled_from(["fit", "partial_fit", "predict", "predict_proba"]))
    return classify, X, y, sw, params, labels, action


def _corrupt(kind, X, y, sw, params, classify, rng, draw):
    """Apply one corruption; the label is the kind (and the parameter's name)."""
    label = kind
    X = np.array(X, copy=True)
    if kind in ("nan_in_X", "inf_in_X") and X.ndim == 2 and X.size:
        X = X.astype(float)
        X[rng.randint(len(X)), rng.randint(X.shape[1])] = (
            np.nan if kind == "nan_in_X" else rng.choice([np.inf, -np.inf])
        )
    elif kind == "huge_X":
        with np.errstate(over="ignore"):  # inf where it overflows: also a case
            X = X.astype(float) * 1e300
    elif kind == "tiny_X":
        X = X.astype(float) * 1e-300
    elif kind == "float32_extreme_X":
        X = (np.sign(X.astype(float)) * 3e38).astype(np.float32)
    elif kind == "constant_column" and X.ndim == 2:
        X[:, 0] = 7.0
    elif kind == "duplicated_rows":
        X, y = np.concatenate([X, X]), np.concatenate([y, y])
        sw = None if sw is None else np.concatenate([sw, sw])
    elif kind == "single_class":
        y = np.zeros(len(y), dtype=int) if classify else np.full(len(y), 3.0)
    elif kind == "string_labels" and classify:
        y = np.array([f"class {v}" for v in np.asarray(y).astype(int)])
    elif kind == "object_labels" and classify:
        y = np.array(list(np.asarray(y)), dtype=object)
    elif kind == "mixed_labels":
        y = np.array([1, "two"] * len(y), dtype=object)[: len(y)]
    elif kind == "y_too_short":
        y = y[:-1]
    elif kind == "X_1d" and X.ndim == 2:
        X = X[:, 0]
    elif kind == "X_3d" and X.ndim == 2:
        X = X[:, :, np.newaxis]
    elif kind == "X_empty":
        X, y = np.empty((0, X.shape[1] if X.ndim == 2 else 1)), y[:0]
    elif kind == "sw_all_zero":
        sw = np.zeros(len(y))
    elif kind == "sw_some_zero":
        sw = rng.randint(0, 2, size=len(y)).astype(float)
    elif kind == "sw_negative" and len(y):
        sw = np.ones(len(y))
        sw[0] = -1.0
    elif kind == "sw_nan" and len(y):
        sw = np.ones(len(y))
        sw[-1] = np.nan
    elif kind == "sw_wrong_shape":
        sw = np.ones(len(y) + 2)
    elif kind in ("bad_param", "extreme_param"):
        pool = BAD_PARAMS if kind == "bad_param" else EXTREME_PARAMS
        name, value = draw(st.sampled_from(pool))
        params = {**params, name: value}
        label = f"{kind}:{name}"
    return X, y, sw, params, label


def _run(classify, X, y, sw, params, action):
    Estimator = ScratchMLPClassifier if classify else ScratchMLPRegressor
    est = Estimator(**params)
    if action == "partial_fit" and params["solver"] != "lbfgs":
        # every label, in order of appearance (no sorting: labels may be mixed)
        extra = (
            {"classes": list(dict.fromkeys(np.asarray(y).tolist()))} if classify else {}
        )
        est.partial_fit(X, y, sample_weight=sw, **extra)
    else:
        est.fit(X, y, sample_weight=sw)
    target = X
    if action in ("predict", "predict_proba"):
        if action == "predict_proba" and not classify:
            action = "predict"
        return est, getattr(est, action)(target)
    return est, est.predict(target)


def _check_outputs(est, out, classify):
    if np.asarray(out).dtype.kind == "f":
        assert np.isfinite(out).all(), "non-finite output"
    if classify and out.ndim == 2 and out.dtype.kind == "f":  # probabilities
        assert np.all((out >= 0) & (out <= 1))
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    elif classify:
        assert set(np.unique(out)) <= set(est.classes_)
    assert np.isfinite(est._params).all()


def _expected_message(labels, params, action):
    """What an error may mention: any keyword of the corruptions applied."""
    patterns = []
    if params.get("early_stopping") and action != "partial_fit":
        # tiny or duplicated data can leave nothing to validate on
        patterns.append("validation set is too small")
    for label in labels:
        kind, _, name = label.partition(":")
        pattern = CORRUPTIONS[kind]
        if pattern is not None:
            patterns.append(pattern.replace("PARAM", name))
    return "|".join(patterns)


@seed(20261123)
@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(cases())
# Random configurations train briefly, on few rows with large batch sizes: the
# iteration limit, scikit-learn's batch-size clipping and early stopping's
# divergence fallback are expected outcomes, not surprises.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore:Got `batch_size` larger than sample size")
def test_fuzzed_inputs_fit_or_fail_clearly(case):
    classify, X, y, sw, params, labels, action = case
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            est, out = _run(classify, X, y, sw, params, action)
        except (ValueError, TypeError) as error:
            expected = _expected_message(labels, params, action)
            assert expected, f"{labels} should have worked: {error!r}"
            assert re.search(expected, str(error)), (
                f"{labels}: message {str(error)!r} does not match {expected!r}"
            )
            return
    _check_outputs(est, np.asarray(out), classify)


@pytest.mark.parametrize("name, value", BAD_PARAMS)
def test_every_invalid_parameter_is_named(name, value):
    with pytest.raises((ValueError, TypeError), match=name):
        ScratchMLPClassifier(**{name: value}).fit([[0.0], [1.0]] * 5, [0, 1] * 5)
