"""The parameter descriptions both tabular estimators share, filled into
their docstrings by :func:`~.._fitting.docstrings.fill_docstring`."""

# the training plan's parameters, the same in both estimators
PLAN_PARAMS = """\
    max_iter : int, default=64
        Epochs on a table of up to 10,000 rows; a larger table of ``n`` rows
        trains ``ceil(max_iter / s)`` epochs of a batch ``s`` times larger,
        ``s = sqrt(n / 10,000)``, so that its gradient steps stay as many as
        10,000 rows get and the fit's time grows as ``sqrt(n)``, not ``n``
        (``budget="fixed"`` turns this off). The learning-rate plan covers
        every epoch, and the best is kept. RealMLP trains 256; on our
        benchmark tables 256 scored lower on 5 of 6, in 4.3 times the time
        (see the "Tabular models" page). The name is scikit-learn's, as the
        Scratch estimators have it.
    batch_size : int or "auto", default="auto"
        Rows per mini-batch (all of them for smaller tables): "auto" is 256,
        grown by ``s`` past 10,000 rows as ``max_iter`` says; an integer is
        used as given.
    budget : {"rows", "fixed"}, default="rows"
        "rows" sets the plan from the table's size as ``max_iter`` says;
        "fixed" trains ``max_iter`` epochs of ``batch_size`` (256 for
        "auto") rows on any table, as models saved before this parameter
        existed did.
"""

DTYPE_PARAM = """\
    dtype : {"auto", "float64", "float32"}, default="auto"
        Precision of the network's arithmetic. "auto" is float32 (RealMLP's)
        for tables of 1,000 rows or more, where it fits in about half of
        float64's time at the same scores on our benchmark tables, and
        float64 below, where a fit takes a second or less either way. In
        float32 a row of weight 2 trains only to within float32's rounding
        (1e-7) of two copies of it; scikit-learn's checks ask for that to
        1e-7 exactly, and float64 gives it. As HistGradientBoosting's
        ``early_stopping="auto"``, the choice follows the table's size.
"""

# the parameters both estimators end their docstrings with
SHARED_TAIL = """\
    random_state : int, RandomState instance or None, default=None
        The same integer gives the same model, bit for bit.
    verbose : bool, default=False
        Print the loss and validation score of every epoch.
    n_ensemble : int, default=1
        Members of the ensemble, whose predictions are averaged; 1 is the
        model without an ensemble, bit for bit. How they are made is
        ``ensemble``'s choice.
    ensemble : {"independent", "shared"}, default="independent"
        "independent": ``n_ensemble`` networks, each seeded apart from
        ``random_state`` (its own initial weights, validation split,
        shuffling and dropout); training costs ``n_ensemble`` times one
        network's, in ``n_jobs`` at once. "shared": TabM-mini (Gorishniy et
        al., 2025), one network whose ``n_ensemble`` members share every
        hidden layer and differ in a scale of their input (random signs at
        the start) and in their output layer; each step trains them all on
        ``n_ensemble`` copies of the batch, which the hidden layers pay for,
        and ``n_jobs`` has no members to spread. The "Tabular models" page
        compares both on the time/score curve.
    snapshots : bool, default=True
        Average, with each network's restored best epoch, the network at the
        ends of ``coslog4``'s four learning-rate cycles (epochs 4, 13, 30 and
        64 of 64; a snapshot ensemble, Huang et al., 2017): no extra
        training, up to five forward passes a prediction. On our benchmark
        tables it scored higher than the best epoch alone (the "Tabular
        models" page). False predicts with the best epoch alone.
    n_jobs : int or None, default=None
        Independent members trained at once, through joblib (``-1``: every
        core; None: 1 unless in a ``joblib.parallel_backend`` context, where
        a dask or ray backend spreads them over a cluster). The members, and
        so the predictions, are the same for any value.
    recipe : Recipe or None, default=None
        The choices beyond these parameters (the learning-rate plan, Adam's
        ``beta_2``, the front layers, parametric activations, NTK, smooth
        clipping, the start): None is RealMLP-TD's,
        :data:`~sklearn_scratchnn.tabular.REALMLP_TD`. An ablation replaces
        one field, e.g. ``recipe=dataclasses.replace(REALMLP_TD,
        input_scaling=False)``.
"""
