"""The package's layers: the numerical core never imports scikit-learn."""

import subprocess
import sys
from pathlib import Path

import pytest

NN = Path(__file__).parents[1] / "sklearn_scratchnn" / "nn"
# every module of the core, found on disk, so that a new one is covered too
CORE = sorted(
    ".".join(("nn", *path.relative_to(NN).with_suffix("").parts)).removesuffix(
        ".__init__"
    )
    for path in NN.rglob("*.py")
)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_without_scikit_learn(module):
    # a fresh interpreter in which any import of scikit-learn fails
    code = (
        "import sys; sys.modules['sklearn'] = None; "
        f"import sklearn_scratchnn.{module}; "
        "assert not any(m == 'sklearn' or m.startswith('sklearn.') "
        "for m in sys.modules if sys.modules[m] is not None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_the_core_trains_a_network_without_scikit_learn():
    code = """
import sys
sys.modules['sklearn'] = None
import numpy as np
from sklearn_scratchnn.nn.fit import TrainingPlan, train
from sklearn_scratchnn.nn.network import Network
from sklearn_scratchnn.nn.training import EpochState

# the article's table, through the core's one training entry
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
network = Network([3, 4, 1], "logistic", "logistic", "squared_error")
params = network.initialize(np.random.RandomState(0), np.float64)
plan = TrainingPlan(learning_rate_init=0.1, max_iter=500, batch_size=4,
                    shuffle=False, alpha=0.0, tol=0.0, n_iter_no_change=10**6)
state = EpochState()
outcome = train(network, params, (X, Y, None), plan, state=state,
                random_state=np.random.RandomState(0))
assert outcome == "max_iter" and len(state.loss_curve) == 500
assert state.loss_curve[-1] < 0.01 * state.loss_curve[0]
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_the_estimators_never_import_the_command_line():
    code = (
        "import sys; sys.modules['sklearn_scratchnn.cli'] = None; "
        "from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor; "
        "import sklearn_scratchnn.plotting, sklearn_scratchnn._fitting.persistence"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
