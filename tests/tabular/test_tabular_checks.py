"""scikit-learn's estimator checks on the tabular family, every configuration
that changes behaviour, and on joblib's process backend. No expected
failures."""

from joblib import parallel_config
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_scratchnn import (
    TabularBlendClassifier,
    TabularBlendRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)

# Every check, on the recipe with every layer on, narrower and shorter: the
# defaults cost about a second a fit, and the checks fit a few hundred times.
# What the full width learns is the real-table tests' business below.
NARROW = dict(hidden_layer_sizes=(32, 32), max_iter=48, random_state=0)


# TabM-mini's shared members (narrower still: each check fits one network
# with twice the rows). Independent members trained two at a time are checked
# on joblib's process backend, as a user runs them, below.
ENSEMBLE = dict(hidden_layer_sizes=(8,), max_iter=24, random_state=0, n_ensemble=2)
BLENDED = dict(hidden_layer_sizes=(16,), max_iter=12)


@parametrize_with_checks(
    [
        TabularMLPClassifier(**NARROW),
        TabularMLPRegressor(**NARROW),
        TabularMLPClassifier(**ENSEMBLE, ensemble="shared"),
        TabularMLPRegressor(**ENSEMBLE, ensemble="shared"),
        # the blends, around a narrower network still and a short boosting
        TabularBlendClassifier(
            TabularMLPClassifier(**BLENDED),
            HistGradientBoostingClassifier(max_iter=20),
            random_state=0,
        ),
        TabularBlendRegressor(
            TabularMLPRegressor(**BLENDED),
            HistGradientBoostingRegressor(max_iter=20),
            random_state=0,
        ),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


JOBS = dict(hidden_layer_sizes=(8,), max_iter=24, random_state=0, n_ensemble=3)


# On joblib's process backend, as a user gets with n_jobs=2: every member
# pickles back from its worker (threads never pickle, and hid a broken model)
@parametrize_with_checks(
    [
        TabularMLPClassifier(**JOBS, n_jobs=2),
        TabularMLPRegressor(**JOBS, n_jobs=2),
        # (a blend's parts in workers of their own: test_blend.py's
        # test_two_jobs_on_processes_predict_as_one_job)
    ]
)
def test_estimator_checks_with_two_jobs_on_processes(estimator, check):
    with parallel_config(backend="loky"):
        check(estimator)
