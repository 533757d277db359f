"""The parameter and attribute descriptions both Scratch estimators share,
filled into their docstrings by :func:`~.._fitting.docstrings.fill_docstring`."""

SHARED_PARAMETERS = """\
    hidden_layer_sizes : int or array-like of int, default=(100,)
        Units in each hidden layer; ``(7, 5)`` is two hidden layers.
    activation : {"logistic", "tanh", "relu", "identity", "selu", "mish", \
"gelu"}, default="logistic"
        Hidden activation: the sigmoid ``1 / (1 + exp(-z))`` (the article's),
        ``tanh(z)``, ``max(z, 0)`` or ``z``, as scikit-learn has them; or
        SELU ``lambda z`` for ``z > 0`` and ``lambda alpha (exp(z) - 1)``
        otherwise (Klambauer et al., 2017), Mish ``z tanh(log(1 + exp(z)))``
        (Misra, 2019), GELU in its tanh form ``z/2 (1 + tanh(sqrt(2/pi) (z +
        0.044715 z^3)))`` (Hendrycks & Gimpel, 2016; PyTorch's
        ``approximate="tanh"``). Their weights start as scikit-learn's do for
        relu (Glorot uniform, factor 6).
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        ``"sgd"``: mini-batch gradient descent with (Nesterov) momentum;
        ``"adam"``: Adam; ``"lbfgs"``: full-batch L-BFGS-B from
        :func:`scipy.optimize.minimize` on the flat parameter vector.
    alpha : float, default=0.0001
        Strength of the L2 penalty ``alpha / (2 * sum(sample_weight)) *
        sum(W ** 2)`` on the weights (not the biases).
    batch_size : int or "auto", default="auto"
        Rows per mini-batch for sgd and adam; ``"auto"`` is
        ``min(200, n_samples)``. lbfgs always uses every row.
    learning_rate : {"constant", "invscaling", "adaptive", "cosine", \
"warmup_cosine", "coslog4", "flat_cos"}, default="constant"
        Schedule of the step size. scikit-learn's three, for sgd only (adam
        ignores them, as in scikit-learn): constant; ``learning_rate_init /
        (t + 1) ** power_t`` after ``t`` samples seen; or divided by 5 each
        time ``n_iter_no_change`` epochs pass without ``tol`` improvement
        (training stops once it falls below 1e-6). The others, for sgd and
        adam, are planned over the fit's ``max_iter`` epochs and set every
        batch's rate to ``learning_rate_init`` times a factor of ``t``, the
        share of the planned batches done: ``"cosine"`` ``(1 + cos(pi t)) /
        2``; ``"warmup_cosine"`` linear from 0 over the first 5% of the
        batches, then cosine; ``"coslog4"`` RealMLP's four cycles ``(1 -
        cos(2 pi log2(1 + 15 t))) / 2``; ``"flat_cos"`` 1 for the first half,
        then cosine. A warm start plans anew; ``partial_fit`` has no plan and
        is not available with them.
    learning_rate_init : float, default=0.001
        Initial step size of sgd and adam.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=200
        Epochs for sgd and adam (passes over the data); iterations for lbfgs.
    shuffle : bool, default=True
        Whether sgd and adam shuffle the rows before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the validation split and the shuffling.
        The same integer gives bit-identical parameters.
    tol : float, default=1e-4
        sgd/adam stop once the training loss (the validation score, with
        early stopping) has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive epochs; lbfgs stops once the largest
        gradient entry is below ``tol``.
    verbose : bool, default=False
        Print the loss after each epoch (and the validation score, with early
        stopping; each iteration for lbfgs).
    warm_start : bool, default=False
        Start ``fit`` from the previous fit's weights instead of new ones.
    momentum : float, default=0.9
        Momentum of sgd, in [0, 1].
    nesterovs_momentum : bool, default=True
        Whether sgd uses Nesterov's momentum.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data, stop when its
        score stops improving, and keep the weights of the best epoch. The
        split never separates identical rows and respects ``sample_weight``;
        it is stratified by class for single-output classification. Applies
        to ``fit`` with sgd or adam; ``partial_fit`` trains on every row it is
        given.
    validation_fraction : float, default=0.1
        Share of the training data (by weight) held out for early stopping.
    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimate, in [0, 1).
    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimate, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Epochs without ``tol`` improvement before sgd/adam stop.
    max_fun : int, default=15000
        Most loss evaluations lbfgs may make."""

NEW_PARAMETERS = """\
    weight_decay : float, default=0.0
        Decoupled weight decay (Loshchilov & Hutter, 2019; PyTorch's
        ``AdamW(weight_decay=)``): before each sgd or adam step, every weight
        (not the biases) shrinks by ``learning_rate * weight_decay`` of itself.
        Unlike ``alpha``, it is not part of the loss, so it does not pass
        through Adam's moments. lbfgs takes no such step: a non-zero value
        with ``solver="lbfgs"`` is an error. 0 is scikit-learn's behaviour.
    dropout : float in [0, 1), default=0.0
        Inverted dropout after every hidden activation while training with
        sgd or adam (scikit-learn #6175): each hidden unit's output is left
        out of a mini-batch with this probability and the others are scaled
        by ``1 / (1 - dropout)``, so that prediction, which uses every unit,
        sees the same expected activations. The masks come from
        ``random_state``. Without early stopping, the ``tol`` /
        ``n_iter_no_change`` rule then watches the training loss without the
        masks (one forward pass an epoch), which dropout's noise does not
        hide. lbfgs takes none (an error); 0 is scikit-learn's.
    dropout_schedule : {"constant", "cosine", "warmup_cosine", "coslog4", \
"flat_cos"}, default="constant"
        How the dropout rate varies over the fit's planned batches, with the
        factors of ``learning_rate``'s planned schedules: RealMLP's
        ``"flat_cos"`` keeps ``dropout`` for the first half of the fit, then
        lowers it to 0 along a cosine. Used when ``dropout > 0``; a planned
        schedule hides ``partial_fit``.
    weight_decay_schedule : {"constant", "cosine", "warmup_cosine", \
"coslog4", "flat_cos"}, default="constant"
        The same for ``weight_decay``. Used when ``weight_decay > 0``.
    learning_rate_factors : dict or None, default=None
        A learning rate per group of parameters, as a factor of the one the
        schedule sets: ``{group: factor}`` with the groups ``"weights"``,
        ``"biases"``, ``"activations"`` (``parametric_activation``),
        ``"scales"`` (``input_scaling``), ``"frequencies"``, ``"phases"``,
        ``"embedding_weights"``, ``"embedding_biases"``
        (``periodic_embedding``); groups not named keep factor 1. RealMLP's
        are ``{"biases": 0.1, "activations": 0.1, "scales": 6.0}`` and 0.1
        for the embedding's groups. For sgd and adam (an error with lbfgs).
    input_scaling : bool, default=False
        A learnable factor per input column in front of the first dense
        layer (RealMLP's scaling layer), starting at 1: each feature gets a
        learning rate of its own through it, before the features mix.
    periodic_embedding : bool, default=False
        Embed every input column ``x`` as ``[x, cos(2 pi c x + p) V + beta]``
        with 16 learnable frequencies ``c`` (drawn from N(0, 0.1^2)) and
        phases ``p`` and a learnable linear map ``V`` to 3 values, its own
        per column (RealMLP's PBLD embedding; Gorishniy et al., 2022), so
        the first layer reads 4 values per column. It lets a network fit
        sharp and periodic shapes along one feature; the features should be
        scaled (e.g. by ``StandardScaler``). Sparse input is densified.
    parametric_activation : bool, default=False
        Hidden activations in RealMLP's parametric form ``z + w (f(z) - z)``,
        with one learnable ``w`` per unit starting at 1 (plain ``f``): each
        unit learns how far from linear to be.
    parametrization : {"standard", "ntk"}, default="standard"
        ``"standard"``: weights drawn as scikit-learn draws them. ``"ntk"``:
        the NTK parametrisation of RealMLP, weights drawn from N(0, 1) and
        multiplied by ``1 / sqrt(fan_in)`` in the forward pass (``coefs_``
        holds them unscaled), biases and the whole last layer starting at 0.
        It keeps the steps of every layer on one scale whatever its width,
        and suits larger learning rates (RealMLP uses 0.04 with Adam)."""

SHARED_ATTRIBUTES = """\
    network_ : TrainedNetwork
        The fitted network (``network_.network``: its layers;
        ``network_.params``: the flat parameter vector), as the tabular
        models hold theirs; read by the ONNX converters and ``scratchnn
        info``.
    coefs_ : list of ndarray
        ``coefs_[i]`` is the ``(fan_in, fan_out)`` weight matrix of layer
        ``i``: a view of the flat parameter vector, so writing into it
        changes the model.
    intercepts_ : list of ndarray
        Bias vectors, views like ``coefs_``.
    loss_ : float
        Training loss (with the L2 penalty) after the last epoch/iteration.
    loss_curve_ : list of float
        Training loss after each epoch (each iteration for lbfgs).
    best_loss_ : float or None
        Lowest training loss seen by sgd/adam; None for lbfgs and with early
        stopping.
    validation_scores_ : list of float or None
        Validation score after each epoch, with early stopping.
    validation_loss_curve_ : list of float or None
        Validation loss (without the L2 penalty) after each epoch, with early
        stopping.
    best_validation_score_ : float or None
        Best validation score, with early stopping.
    n_iter_ : int
        Epochs (sgd, adam) or iterations (lbfgs) run by the last call.
    t_ : int
        Training samples seen by the optimizer (sgd, adam).
    n_layers_ : int
        Layers, input and output included.
    n_outputs_ : int
        Output units.
    out_activation_ : str
        Activation of the output layer.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Feature names seen in fit, when X had string column names."""
