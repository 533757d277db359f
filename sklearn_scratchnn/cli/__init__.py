"""The command line: ``scratchnn`` (or ``python -m sklearn_scratchnn``).

It stands on the estimators, never the other way round, and imports
scikit-learn, pandas and skops only in the commands that need them, so that
``--help`` answers at once:

- ``commands.py``: the parser (every subcommand and option) and the entry point;
- ``options.py``: fit's options as an estimator, and the defaults help states;
- ``fitting.py``: ``fit`` (held-out scores, ``--cv``, saving);
- ``applying.py``: ``predict``, ``evaluate`` and ``info`` on a saved model;
- ``export.py``: ``export``, a saved model as an ONNX graph;
- ``table_reading.py``: CSV files as tables (delimiter, missing-value
  markers, numbers written as text, identifier columns);
- ``tabular.py``: features and target, the preprocessing Pipeline, scores;
- ``messages.py``: what it shows besides results (errors, warnings, progress);
- ``model_files.py``: ``.skops`` and pickle model files;
- ``demos.py``: the article's network and the digits grid search.
"""

from .commands import main

__all__ = ["main"]
