"""RealMLP-TD's recipe as a value: every field does what it says, in fit and
in prediction, and a model with a recipe saves, loads and clones."""

import dataclasses
import pickle

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_array_equal
from sklearn.base import clone

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
from sklearn_scratchnn.tabular import REALMLP_TD, Recipe

SMALL = dict(hidden_layer_sizes=(8,), max_iter=6, random_state=0)
rng = np.random.RandomState(0)
X = np.column_stack([rng.normal(size=200), rng.exponential(size=200) ** 3])
X_codes = np.column_stack([X, rng.randint(0, 12, 200).astype(str)]).astype(object)
y = X[:, 0] + np.log1p(X[:, 1])

# one changed value of each field
CHANGES = {
    "learning_rate": "cosine",
    "beta_2": 0.999,
    "learning_rate_factors": None,
    "dropout_schedule": "constant",
    "weight_decay_schedule": "constant",
    "periodic_embedding": False,
    "input_scaling": False,
    "parametric_activation": False,
    "parametrization": "standard",
    "smooth_clip": False,
    "data_init": "all",
}


def test_the_changes_cover_every_field():
    assert set(CHANGES) == {field.name for field in dataclasses.fields(Recipe)}


def test_the_default_recipe_is_realmlp_tds_bit_for_bit():
    default = fit_quietly(TabularMLPRegressor(**SMALL), X, y)
    given = fit_quietly(TabularMLPRegressor(**SMALL, recipe=REALMLP_TD), X, y)
    assert_array_equal(default.predict(X), given.predict(X))


@pytest.mark.parametrize("field", CHANGES)
def test_each_field_changes_the_model(field):
    recipe = dataclasses.replace(REALMLP_TD, **{field: CHANGES[field]})
    default = fit_quietly(TabularMLPRegressor(**SMALL), X, y)
    changed = fit_quietly(TabularMLPRegressor(**SMALL, recipe=recipe), X, y)
    assert not np.array_equal(default.predict(X), changed.predict(X))


def test_an_unclipped_recipe_predicts_unclipped_numbers():
    recipe = dataclasses.replace(REALMLP_TD, smooth_clip=False)
    model = fit_quietly(TabularMLPRegressor(**SMALL, recipe=recipe), X, y)
    Z = model.preprocessor_.transform(X)
    assert np.abs(Z[:, 1]).max() > 3  # the cubed exponential's outliers stay
    clipped = fit_quietly(TabularMLPRegressor(**SMALL), X, y)
    assert np.abs(clipped.preprocessor_.transform(X)[:, 1]).max() < 3


def test_a_model_with_a_recipe_pickles_clones_and_prints_its_changes():
    recipe = dataclasses.replace(REALMLP_TD, input_scaling=False, beta_2=0.9)
    model = fit_quietly(TabularMLPClassifier(**SMALL, recipe=recipe), X_codes, y > 0)
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict_proba(X_codes), model.predict_proba(X_codes))
    assert clone(model).recipe == recipe
    assert "recipe=Recipe(beta_2=0.9, input_scaling=False)" in repr(model)


def test_a_skops_file_of_a_model_with_a_recipe_names_the_recipe_to_trust():
    sio = pytest.importorskip("skops.io")
    recipe = dataclasses.replace(REALMLP_TD, data_init="hidden")
    model = fit_quietly(TabularMLPRegressor(**SMALL, recipe=recipe), X, y)
    data = sio.dumps(model)
    assert sorted(sio.get_untrusted_types(data=data)) == [
        "sklearn_scratchnn.tabular._estimators.TabularMLPRegressor",
        "sklearn_scratchnn.tabular._recipe.Recipe",
    ]
    loaded = sio.loads(data, trusted=[TabularMLPRegressor, Recipe])
    assert loaded.recipe == recipe
    assert_array_equal(loaded.predict(X), model.predict(X))


@pytest.mark.parametrize(
    "change, message",
    [({"parametrization": "muP"}, "parametrization must be one of"),
     ({"data_init": "rows"}, "data_init must be one of"),
     ({"beta_2": 1.0}, "beta_2 must be in")],
)  # fmt: skip
def test_a_bad_field_is_named(change, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(REALMLP_TD, **change)


def test_a_recipe_that_is_not_a_recipe_is_refused_with_sklearns_message():
    model = TabularMLPRegressor(**SMALL, recipe={"input_scaling": False})
    with pytest.raises(ValueError, match="'recipe' parameter .* must be an instance"):
        model.fit(X, y)
