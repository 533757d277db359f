"""Model files of the command line: ``.skops`` (skops.io) or pickle.

A saved model is a dict: the fitted Pipeline, the columns it expects, the
target, the task and the versions it was saved with. A ``.skops`` file is
loaded only if it asks to trust nothing but our estimators (and two harmless
types that scikit-learn's preprocessing stores); loading a pickle reminds the
user that pickles run code.
"""

import pickle
import sys

from ._cli import CommandError


def _skops_io():
    try:
        import skops.io
    except ImportError:
        raise CommandError(
            ".skops model files need skops: pip install skops "
            '(or pip install "sklearn-scratchnn[persist]")'
        ) from None
    return skops.io


def save_model(saved, path):
    if path.suffix == ".skops":
        _skops_io().dump(saved, path)
    else:
        with path.open("wb") as f:
            pickle.dump(saved, f)


def _trusted_types():
    """What a model file of ours may ask to build: our estimators and the
    scikit-learn preprocessing around them (which skops trusts already)."""
    from ._classifier import ScratchMLPClassifier
    from ._regressor import ScratchMLPRegressor

    ours = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in (ScratchMLPClassifier, ScratchMLPRegressor)
    }
    # OneHotEncoder's ``dtype`` parameter (np.float64) is stored as a dtype;
    # scikit-learn 1.6's ColumnTransformer keeps a list subclass of its own
    return ours | {
        "numpy.dtype",
        "sklearn.compose._column_transformer._RemainderColsList",
    }


def load_model(path):
    if not path.is_file():
        raise CommandError(f"no such model file: {path}")
    if path.suffix == ".skops":
        sio = _skops_io()
        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception:
            message = f"{path} is not a model file saved by 'fit --save'"
            raise CommandError(message) from None
        unexpected = sorted(set(untrusted) - _trusted_types())
        if unexpected:
            raise CommandError(
                f"{path} holds types that a model of ours never needs: {unexpected}; "
                "if you trust the file, load it in Python with skops.io.load(..., "
                "trusted=...)"
            )
        saved = sio.load(path, trusted=untrusted)
    else:
        print(
            f"note: {path.name} is a pickle, and loading a pickle runs whatever code "
            "it holds; load only files you trust, and prefer 'fit --save "
            "model.skops' (needs skops) for files you share",
            file=sys.stderr,
        )
        try:
            with path.open("rb") as f:
                saved = pickle.load(f)
        except Exception:
            message = f"{path} is not a model file saved by 'fit --save'"
            raise CommandError(message) from None
    if not isinstance(saved, dict) or not {"model", "columns", "task"} <= set(saved):
        raise CommandError(f"{path} is not a model file saved by 'fit --save'")
    return saved
