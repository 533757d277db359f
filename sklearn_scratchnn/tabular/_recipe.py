"""RealMLP-TD's recipe as a value: the choices the tabular models make that
their parameters do not set, in one frozen dataclass.

A model reads its ``recipe`` (RealMLP-TD's, :data:`REALMLP_TD`, unless
given), so an ablation is a model with one field replaced, e.g.
``TabularMLPClassifier(recipe=dataclasses.replace(REALMLP_TD,
input_scaling=False))``: the benchmark's ablations are that, with no hook
overridden. The fields are RealMLP's defaults (Holzmüller et al., 2024,
pytabkit's ``RealMLP_TD``) but for ``data_init``, its data-dependent start,
off: it scored lower on our benchmark's tables.
"""

import dataclasses

from ..nn.schedules import SCHEDULES

# RealMLP-TD's learning-rate factors (pytabkit's defaults): biases and the
# parametric activations at a tenth of the rate, the scaling layer at six
# times it, the periodic embedding at a tenth
LR_FACTORS = (
    ("biases", 0.1),
    ("activations", 0.1),
    ("scales", 6.0),
    ("frequencies", 0.1),
    ("phases", 0.1),
    ("embedding_weights", 0.1),
    ("embedding_biases", 0.1),
)

_CHOICES = {
    "learning_rate": ("constant", *SCHEDULES),
    "dropout_schedule": ("constant", *SCHEDULES),
    "weight_decay_schedule": ("constant", *SCHEDULES),
    "parametrization": ("standard", "ntk"),
    "data_init": (None, "all", "hidden"),
}


@dataclasses.dataclass(frozen=True, repr=False)
class Recipe:
    """The tabular models' recipe beyond their parameters.

    Parameters
    ----------
    learning_rate : str, default="coslog4"
        The learning rate's plan over the fit's steps: "constant" or one of
        the planned schedules ("cosine", "warmup_cosine", "coslog4",
        "flat_cos").
    beta_2 : float, default=0.95
        Adam's second-moment decay (Adam's own default is 0.999).
    learning_rate_factors : tuple of (str, float) or None, default=LR_FACTORS
        A factor of the learning rate per parameter group (None: 1 for all).
    dropout_schedule, weight_decay_schedule : str, default="flat_cos"
        The plans of the dropout rate and the weight decay, as
        ``learning_rate``'s.
    periodic_embedding : bool, default=True
        A periodic embedding of the numeric columns, in front.
    input_scaling : bool, default=True
        A learnable scale per input of the first dense layer.
    parametric_activation : bool, default=True
        Hidden activations of the form ``z + w (f(z) - z)``.
    parametrization : {"ntk", "standard"}, default="ntk"
        The dense layers' parametrisation.
    smooth_clip : bool, default=True
        Smooth-clip the robust-scaled numbers to within +-3 (False: keep
        them as scaled; outliers then reach the network as they are).
    data_init : {None, "all", "hidden"}, default=None
        RealMLP's data-dependent start of the dense layers (all of them, or
        the hidden ones); None: the random start.

    Examples
    --------
    >>> import dataclasses
    >>> from sklearn_scratchnn.tabular import REALMLP_TD, TabularMLPClassifier
    >>> without_scaling = dataclasses.replace(REALMLP_TD, input_scaling=False)
    >>> model = TabularMLPClassifier(recipe=without_scaling)
    >>> model.recipe
    Recipe(input_scaling=False)
    >>> model.recipe.input_scaling, REALMLP_TD.input_scaling
    (False, True)
    """

    learning_rate: str = "coslog4"
    beta_2: float = 0.95
    learning_rate_factors: tuple | None = LR_FACTORS
    dropout_schedule: str = "flat_cos"
    weight_decay_schedule: str = "flat_cos"
    periodic_embedding: bool = True
    input_scaling: bool = True
    parametric_activation: bool = True
    parametrization: str = "ntk"
    smooth_clip: bool = True
    data_init: str | None = None

    def __post_init__(self):
        for name, choices in _CHOICES.items():
            if getattr(self, name) not in choices:
                raise ValueError(
                    f"Recipe's {name} must be one of {list(choices)}; got "
                    f"{getattr(self, name)!r}."
                )
        if not 0.0 <= self.beta_2 < 1.0:
            raise ValueError(f"Recipe's beta_2 must be in [0, 1); got {self.beta_2!r}.")

    def __repr__(self):
        # the fields that differ from RealMLP-TD's, as an ablation reads
        changed = [
            f"{field.name}={getattr(self, field.name)!r}"
            for field in dataclasses.fields(self)
            if getattr(self, field.name) != field.default
        ]
        return f"Recipe({', '.join(changed)})"

    @property
    def factors(self):
        """``learning_rate_factors`` as the dict the training plan takes."""
        if self.learning_rate_factors is None:
            return None
        return dict(self.learning_rate_factors)


#: RealMLP-TD's recipe, which the tabular models follow unless given another
REALMLP_TD = Recipe()
