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

# the blends' parameters and attributes, for TabularBlendClassifier ("Classifier")
# and TabularBlendRegressor ("Regressor"); ``{loss}``: what weighs them
_BLEND_PARAMS = """\
    network : TabularMLP{kind} or None, default=None
        The network (unfitted; a copy is fitted). None: its defaults but for
        ``max_iter=32`` (on our sixteen benchmark tables the blend scores as
        well with 32 epochs as with 64, in 0.61 of the time). Its parameters
        are the blend's too, as ``network__max_iter`` (for ``set_params`` and
        ``GridSearchCV``), where one is given.
    hgb : HistGradientBoosting{kind} or None, default=None
        The gradient boosting (unfitted; copies are fitted), taking the
        table's categories natively: leave its ``categorical_features`` at
        ``"from_dtype"``, the blend sets it. None: its defaults.
    selection : {{"greedy", "equal"}}, default="greedy"
        How the weights are chosen on the held-out rows: Caruana's greedy
        selection with replacement (twenty places, so weights in steps of
        0.05; a part that does not help gets 0), or 0.5 each.
    refit : bool, default=True
        After the weights are chosen, fit HGB again on every row (the held-out
        ones included). The network keeps the fit whose epoch those rows chose.
    validation_fraction : float in (0, 1), default=0.2
        Share of the rows held out to choose the weights (and the network's
        epoch). Where that share is under 10 rows (fewer than 50 rows at 0.2),
        both parts fit every row and the weights are 0.5 each.
"""

BLEND_TAIL = """\
    n_jobs : int or None, default=None
        Fit the network and HGB side by side (2 is enough); None is 1, as in
        joblib.
    random_state : int, RandomState instance or None, default=None
        Seeds the split, and each part whose own ``random_state`` is None.
    verbose : bool, default=False
        Print each part's fit time, the held-out losses and the weights.
"""

_BLEND_ATTRIBUTES = """\
    network_ : TabularMLP{kind}
        The fitted network (on the rows not held out).
    hgb_ : HistGradientBoosting{kind}
        The fitted gradient boosting (on every row, with ``refit``), reading
        ``encoder_``'s output.
    encoder_ : TreeEncoder
        The table as ``hgb_`` reads it: numbers, and codes of categories.
    weights_ : ndarray of shape (2,)
        The weights of the network and of HGB, summing to 1.
    validation_loss_ : dict or None
        The held-out loss ({loss}) of the ``"network"``, of ``"hgb"`` (fitted
        on the other rows) and of the ``"blend"``; None where no rows were
        held out.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.
"""


def blend_docs(kind, loss):
    """The blend's shared blocks for ``kind``, "Classifier" or "Regressor"."""
    return {
        "blend_params": _BLEND_PARAMS.format(kind=kind),
        "blend_tail": BLEND_TAIL,
        "blend_attributes": _BLEND_ATTRIBUTES.format(kind=kind, loss=loss),
    }
