"""The core's old module paths, for pickles that name them.

Before the core moved into ``nn/``, its modules were ``sklearn_scratchnn._network``
and so on, and a pickle saved before model format 1 holds the core's objects
under those names. This finder answers for the old names with the modules as
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
