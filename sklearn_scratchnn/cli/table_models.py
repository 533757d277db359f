"""Tabular data for the command line: features, a preprocessing Pipeline, scores.

A model saved by ``scratchnn fit`` is a plain dict: the fitted model (a
tabular estimator, which preprocesses the raw columns itself, or with
``--model pipeline`` a ``Pipeline`` of imputation and scaling of numeric
columns, one-hot encoding of the others, then the network), the columns it
expects and which of them are categorical (the others are read as numbers),
the columns it dropped as identifiers, the target's name, the task, and the
library versions it was saved with. So it takes raw rows, as the CSV file has
them (``table_reading.py`` reads them)."""

import sys
import warnings

import numpy as np

from .messages import CommandError, score_text
from .table_reading import shown as listed


def _rows_named(frame, positions):
    """Rows as a user finds them: their lines in the file where the reader
    recorded them, else their rows counted from 1 below the header."""
    lines = frame.attrs.get("lines")
    if lines is not None:
        return f"on line(s) {listed([lines[i] for i in positions], 5)}"
    return f"in data row(s) {listed([int(i) + 1 for i in positions], 5)} (from 1)"


def split_target(frame, target, path, drop_missing=False):
    """``(X, y)``: the feature columns and the target column, checked; with
    ``drop_missing``, the rows whose target is empty left out (and named on
    standard error)."""
    if target not in frame.columns:
        columns = [str(c) for c in frame.columns]
        shown = ", ".join(columns[:8]) + (
            f", ... ({len(columns)} in all)" if len(columns) > 8 else ""
        )
        raise CommandError(f"column {target!r} is not in {path}; columns: {shown}")
    X = frame.drop(columns=[target])
    if X.shape[1] == 0:
        raise CommandError(f"{path} has no feature column besides {target!r}")
    y = frame[target]
    empty = np.flatnonzero(y.isna().to_numpy())
    if empty.size:
        where = f"{empty.size} empty value(s), {_rows_named(frame, empty)}"
        if not drop_missing:
            raise CommandError(
                f"the target column {target!r} has {where}; "
                "--drop-missing-target leaves those rows out, or fill them in"
            )
        print(
            f"note: left out {empty.size} row(s) whose target {target!r} is "
            f"empty ({_rows_named(frame, empty)}; --drop-missing-target)",
            file=sys.stderr,
        )
        keep = y.notna().to_numpy()
        X, y = X[keep], y[keep]
        if len(y) == 0:
            raise CommandError(f"the target column {target!r} is entirely empty")
    if y.dtype.kind == "f":
        infinite = int(np.isinf(y.to_numpy()).sum())
        if infinite:
            raise CommandError(
                f"the target column {target!r} has {infinite} infinite "
                "value(s); remove those rows or replace them with numbers"
            )
    return X, y


def check_columns(X, path):
    """Every column must have at least one value."""
    empty = [str(c) for c in X.columns if X[c].isna().all()]
    if empty:
        raise CommandError(
            f"column(s) {', '.join(map(repr, empty))} of {path} are entirely empty; "
            "drop them or fill them in"
        )


def infer_task(y, regression, classification):
    """ "regression" or "classification": from the flags, or from the target."""
    if regression and classification:
        raise CommandError("--regression and --classification exclude each other")
    if regression:
        return "regression"
    if classification:
        return "classification"
    from sklearn.utils.multiclass import type_of_target

    with np.errstate(invalid="ignore"):  # its cast of a huge float to int64
        kind = type_of_target(np.asarray(y))
    if kind.startswith("continuous"):
        return "regression"
    # Whole numbers are "multiclass" to scikit-learn, but a number column with
    # many values (prices, counts, scores) is not a set of classes.
    if kind == "multiclass" and y.dtype.kind in "iuf" and y.nunique() > 20:
        return "regression"
    return "classification"


def check_classes(y, target):
    """Every class needs two rows for a stratified held-out share; a column of
    whole numbers read as classes is more often a count, so say so."""
    counts = y.value_counts()
    rare = counts[counts < 2]
    if rare.empty:
        return
    shown = ", ".join(repr(v) for v in rare.index[:5].tolist())
    more = f" and {len(rare) - 5} more" if len(rare) > 5 else ""
    advice = (
        "; if it is a count or a measurement, use --regression"
        if y.dtype.kind in "iuf"
        else ""
    )
    raise CommandError(
        f"the target column {target!r} was read as {len(counts)} classes, and "
        f"{len(rare)} of them have a single row ({shown}{more}): holding out a "
        f"share of every class needs two{advice}, or drop those rows"
    )


def column_kinds(X):
    """``(numeric, categorical)`` column names, by the tabular models' one
    rule (``tabular.table_columns``): numbers and booleans are numbers
    (imputed and standardised by the pipeline), text and categories are
    categories (one-hot encoded)."""
    from ..tabular import table_columns

    names, columns = table_columns(X)
    kinds = [categorical for _, categorical in columns]
    numeric = [name for name, kind in zip(names, kinds, strict=True) if not kind]
    categorical = [name for name, kind in zip(names, kinds, strict=True) if kind]
    return numeric, categorical


def build_pipeline(X, estimator):
    """Raw rows in, predictions out: preprocessing, then ``estimator``."""
    from sklearn.base import is_regressor
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric, categorical = column_kinds(X)
    transformers = []
    if numeric:
        numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        transformers.append(("numeric", numbers, numeric))
    if categorical:
        categories = make_pipeline(
            SimpleImputer(strategy="constant", fill_value="(missing)"),
            OneHotEncoder(handle_unknown="ignore"),
        )
        transformers.append(("categorical", categories, categorical))
    preprocess = ColumnTransformer(transformers)
    if is_regressor(estimator):
        # the network learns the target standardised and predicts in its
        # units: a raw target of salaries or prices is far from the outputs
        # its initialisation and learning rate are made for
        estimator = TransformedTargetRegressor(estimator, transformer=StandardScaler())
    return Pipeline([("preprocess", preprocess), ("network", estimator)])


def as_model_input(X, categorical):
    """The columns as both models read them: categorical ones as strings
    (numbers in them included, NaN kept), booleans as 0.0 and 1.0 (the
    pipeline's imputer takes no booleans; the tabular model reads them as
    those numbers anyway)."""
    X = X.copy()
    for column in X.columns:
        if column in categorical:
            X[column] = X[column].map(lambda v: v if v != v else str(v))  # NaN != NaN
        elif X[column].dtype.kind == "b":
            X[column] = X[column].astype(float)
    return X


def _known_categories(model, categorical):
    """The categories each of the ``categorical`` columns had in training."""
    if hasattr(model, "encoder_"):  # a blend: what either part saw
        by_index = dict(model.encoder_.categories_)
        columns = list(model.feature_names_in_)
        return [by_index[columns.index(c)] for c in categorical]
    steps = getattr(model, "named_steps", None)
    if steps is None:  # the tabular model: its own preprocessing
        encodings = model.preprocessor_.column_encodings()
        columns = list(model.feature_names_in_)
        return [encodings[columns.index(c)][1] for c in categorical]
    encoder = steps["preprocess"].named_transformers_["categorical"][-1]
    return list(encoder.categories_)


def unseen_categories(model, X, categorical):
    """``{column: sorted values}`` of categories that training never saw."""
    if not categorical:
        return {}
    unseen = {}
    known_lists = _known_categories(model, categorical)
    for column, known in zip(categorical, known_lists, strict=True):
        values = X[column].dropna()
        new = sorted(set(values) - set(known))
        if new:
            unseen[column] = new
    return unseen


def column_descriptions(saved):
    """What the saved model does with each of its columns, as a user reads it."""
    categorical = set(saved["categorical"])
    model = saved["model"]
    if getattr(model, "named_steps", None) is not None:
        return [
            "categorical (one-hot)" if c in categorical else "numeric (scaled)"
            for c in saved["columns"]
        ]
    described = []
    model = getattr(model, "network_", model) if hasattr(model, "hgb") else model
    clipped = ", smooth-clipped" if model.preprocessor_.smooth_clip else ""
    for kind, categories in model.preprocessor_.column_encodings():
        if kind == "numeric":
            described.append(f"numeric (robust-scaled{clipped})")
        else:
            described.append(f"categorical ({kind}, {len(categories)} categories)")
    return described


def numeric_target(y, target):
    """A regression target as numbers, or an error naming the first that is not."""
    import pandas as pd

    numbers = pd.to_numeric(y, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise CommandError(
            f"regression needs numbers, but the target column {target!r} holds "
            f"text: {y.iloc[row]!r} in data row {row + 1}; drop --regression to "
            "classify it instead"
        )
    return numbers


def prepare_features(frame, saved):
    """The model's columns from ``frame``, read as they were in training.

    Returns the features and ``{column: values}`` of text in numeric columns,
    which is treated as missing.
    """
    import pandas as pd

    X = frame[saved["columns"]].copy()
    categorical = saved["categorical"]
    not_numbers = {}
    for column in X.columns:
        if column in categorical or X[column].dtype.kind in "iufb":
            continue
        numbers = pd.to_numeric(X[column], errors="coerce")
        text = X[column][numbers.isna() & X[column].notna()]
        if len(text):
            not_numbers[column] = sorted(set(text.astype(str)))
        X[column] = numbers
    return as_model_input(X, categorical), not_numbers


def metrics(task, y_true, y_pred):
    """The held-out scores a user reads: a dict of plain numbers and lists."""
    from sklearn import metrics as m

    if task == "regression":
        return _regression_scores(np.asarray(y_true, float), np.asarray(y_pred, float))
    labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    values, counts = np.unique(np.asarray(y_true), return_counts=True)
    with warnings.catch_warnings():
        # a file of one class: evaluate says so in words of its own
        warnings.filterwarnings("ignore", "y_pred contains classes not in y_true")
        balanced = float(m.balanced_accuracy_score(y_true, y_pred))
    return {
        "accuracy": float(m.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": balanced,
        "macro_f1": float(m.f1_score(y_true, y_pred, average="macro")),
        # what always predicting the most common class scores
        "majority_class": str(values[np.argmax(counts)]),
        "majority_class_accuracy": float(counts.max() / counts.sum()),
        "labels": [str(label) for label in labels],
        "confusion_matrix": m.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def _regression_scores(y_true, y_pred, unit=1.0):
    """R^2, MAE and RMSE; for values whose squares overflow (past about
    1e154), computed in units of the largest magnitude and scaled back."""
    from sklearn import metrics as m

    with np.errstate(over="ignore", invalid="ignore"):
        scores = {
            "r2": float(m.r2_score(y_true, y_pred)),
            "mae": unit * float(m.mean_absolute_error(y_true, y_pred)),
            "rmse": unit * float(np.sqrt(m.mean_squared_error(y_true, y_pred))),
        }
    if unit == 1.0 and not np.isfinite(list(scores.values())).all():
        unit = float(max(np.abs(y_true).max(), np.abs(y_pred).max()))
        return _regression_scores(y_true / unit, y_pred / unit, unit)
    return scores


# A target is imbalanced when its largest class has this many times the rows
# of its smallest: accuracy then rewards predicting the largest class.
IMBALANCE_RATIO = 2.0


def is_imbalanced(scores):
    true_counts = [sum(row) for row in scores["confusion_matrix"] if sum(row)]
    return max(true_counts) >= IMBALANCE_RATIO * min(true_counts)


def format_metrics(scores, out):
    """The scores as a user reads them, on ``out``."""
    if "r2" in scores:
        for name, key in (("R2", "r2"), ("MAE", "mae"), ("RMSE", "rmse")):
            print(f"  {name:<5} {score_text(scores[key])}", file=out)
        return
    accuracy = f"  accuracy           {scores['accuracy']:.4f}"
    balanced = f"  balanced accuracy  {scores['balanced_accuracy']:.4f}"
    # always beside accuracy: what predicting the most common class scores,
    # the baseline that a 62/38 table's 0.62 must be read against
    majority = scores["majority_class"]
    accuracy += f"  (always {majority!r}: {scores['majority_class_accuracy']:.4f})"
    if is_imbalanced(scores):
        # balanced accuracy first: the mean recall over classes, which
        # predicting the largest class cannot inflate
        print(balanced, file=out)
        print(accuracy, file=out)
    else:
        print(accuracy, file=out)
        print(balanced, file=out)
    print(f"  macro F1           {scores['macro_f1']:.4f}", file=out)
    labels = scores["labels"]
    width = max(8, *(len(label) for label in labels))
    print("  confusion matrix (rows: true, columns: predicted)", file=out)
    print(
        "  " + " " * width + "".join(f" {label:>{width}}" for label in labels), file=out
    )
    for label, row in zip(labels, scores["confusion_matrix"], strict=True):
        cells = "".join(f" {count:>{width}d}" for count in row)
        print(f"  {label:>{width}}{cells}", file=out)


def versions():
    """The versions a saved model records."""
    import sklearn

    import sklearn_scratchnn

    return {
        "sklearn-scratchnn": sklearn_scratchnn.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }
