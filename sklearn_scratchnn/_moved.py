"""Old module paths, for pickles that name them.

Before the core moved into ``nn/``, its modules were ``sklearn_scratchnn._network``
and so on, and a pickle saved before model format 1 holds the core's objects
under those names. Before the tabular estimators moved into ``tabular/``,
a saved tabular model named ``sklearn_scratchnn._tabular_mlp`` (answered by
``_tabular_legacy``, which also has the networks that early files hold) and
``sklearn_scratchnn._table``. This finder answers for the old names with the modules as
they are now; a name is looked up only when something imports it, so it costs
nothing otherwise.
"""

import importlib
import importlib.abc
import importlib.util

MOVED = {
    f"sklearn_scratchnn._{name}": f"sklearn_scratchnn.nn.{name}"
    for name in (
        "activations",
        "arrays",
        "epochs",
        "losses",
        "network",
        "optimizers",
        "split",
        "training",
    )
}
MOVED.update(
    {
        "sklearn_scratchnn._tabular_mlp": "sklearn_scratchnn._tabular_legacy",
        "sklearn_scratchnn._tabular_network": "sklearn_scratchnn._tabular_legacy",
        "sklearn_scratchnn._table": "sklearn_scratchnn.tabular._preprocessing",
    }
)


class MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old module path as the module that now holds its names."""

    def find_spec(self, name, path=None, target=None):
        if name in MOVED:
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module):
        pass  # the module it stands for has run already


def install(meta_path):
    if not any(isinstance(finder, MovedModules) for finder in meta_path):
        meta_path.append(MovedModules())
