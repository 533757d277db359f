"""Model files of the command line: ``.skops`` (skops.io) or pickle.

A saved model is a dict: the fitted model, the columns it expects, the
target, the task and the versions it was saved with. A ``.skops`` file is
loaded only if it asks to trust nothing but our estimators (and two harmless
types that scikit-learn's preprocessing stores); loading a pickle reminds the
user that pickles run code.
"""

import importlib.util
import os
import pickle
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .messages import CommandError

_NEEDS_SKOPS = (
    ".skops model files need skops: pip install skops "
    '(or pip install "sklearn-scratchnn[persist]")'
)
# what the first bytes of our model files are: a zip archive (skops), or a
# pickle of protocol 2 or newer (pickle.dump's default is 4 or 5)
_ZIP, _PICKLE = b"PK\x03\x04", b"\x80"
_MODEL_SUFFIXES = (".skops", ".pkl", ".pickle", ".joblib")


def _skops_installed():
    """Whether skops can be imported, without importing it (that takes seconds)."""
    try:
        return importlib.util.find_spec("skops") is not None
    except (ImportError, ValueError):  # an import blocked, or a module stub
        return False


def _skops_io():
    if not _skops_installed():
        raise CommandError(_NEEDS_SKOPS)
    try:
        import skops.io
    except ImportError:
        raise CommandError(_NEEDS_SKOPS) from None
    return skops.io


def check_save_path(path):
    """Everything about ``--save`` that can fail, checked before training."""
    if path.suffix == ".skops" and not _skops_installed():
        raise CommandError(
            f"--save {path}: {_NEEDS_SKOPS}; or save a pickle (--save "
            f"{path.with_suffix('.pkl')})"
        )
    if path.is_dir():
        raise CommandError(f"--save {path} is a directory; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(f"--save {path}: the directory {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"--save {path}: the directory {folder} is not writable")


def looks_like_model(path):
    """Whether a file is one of our model files by its name or first bytes."""
    if path.suffix in _MODEL_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            start = f.read(4)
    except OSError:
        return False
    return start.startswith((_ZIP, _PICKLE))


def check_order(model, data, command):
    """``MODEL DATA`` the right way round, or an error saying they look swapped."""
    if not looks_like_model(model) and looks_like_model(data):
        raise CommandError(
            f"the arguments look swapped: {data} is a model file and {model} is "
            f"not; the model comes first: scratchnn {command} {data} {model}"
        )


@contextmanager
def written_beside(path):
    """A temporary path beside ``path``, renamed onto it when the block ends
    without error: a crash or Ctrl-C half-way leaves whatever was at ``path``
    as it was, and never a half-written file."""
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix
    )
    os.close(handle)
    try:
        yield Path(temporary)
        mask = os.umask(0)  # mkstemp's file is private: give it the usual mode
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def save_model(saved, path):
    """Save ``saved`` to ``path`` atomically (``written_beside``)."""
    with written_beside(path) as temporary:
        if path.suffix == ".skops":
            _skops_io().dump(saved, temporary)
        else:
            with temporary.open("wb") as f:
                pickle.dump(saved, f)


def _trusted_types():
    """What a model file of ours may ask to build: our estimators and the
    scikit-learn preprocessing around them (which skops trusts already)."""
    from .. import tabular
    from ..scratch import ScratchMLPClassifier, ScratchMLPRegressor

    ours = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in (
            ScratchMLPClassifier,
            ScratchMLPRegressor,
            tabular.TabularMLPClassifier,
            tabular.TabularMLPRegressor,
            tabular.TablePreprocessor,
        )
    }
    # what model files saved before the Scratch family moved to scratch/ name
    ours |= {
        "sklearn_scratchnn._classifier.ScratchMLPClassifier",
        "sklearn_scratchnn._regressor.ScratchMLPRegressor",
    }
    ours |= {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in (
            tabular.TabularBlendClassifier,
            tabular.TabularBlendRegressor,
            tabular.TreeEncoder,
        )
    }
    # a fitted SimpleImputer (--model pipeline) keeps its input's dtype;
    # scikit-learn 1.6's ColumnTransformer keeps a list subclass of its own;
    # a blend's HistGradientBoosting keeps its trees' predictors and, where it
    # has categories, its column transformer with a partial of check_array
    return ours | {
        "numpy.dtype",
        "sklearn.compose._column_transformer._RemainderColsList",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "functools.partial",
        "sklearn.utils.validation.check_array",
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
        with path.open("rb") as f:
            is_pickle = f.read(1) == _PICKLE
        if not is_pickle:
            raise CommandError(f"{path} is not a model file saved by 'fit --save'")
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
