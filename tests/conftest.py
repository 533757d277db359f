"""The test suite's shared setup. Its folders follow the package's:
``nn/`` (the core), ``scratch/`` and ``tabular/`` (the two families, each with
its estimator-check module), ``fitting/`` (what both families share), ``cli/``
and ``onnx/``; the package-wide tests (documentation, imports, packaging,
reliability, scale) at the top. This file's folder is on ``sys.path``, so
every test imports ``helpers`` from here."""
