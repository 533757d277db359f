"""Docstrings written once for the estimators of a family: shared blocks of
text filled into each class's docstring."""


def fill_docstring(**blocks):
    """A class decorator that replaces each ``    {name}`` line of the class
    docstring by ``blocks[name]`` (numpydoc text, indented by four spaces).

    A placeholder the docstring lacks is an error, so a renamed block can
    never leave a class documented without it.
    """

    def fill(cls):
        doc = cls.__doc__
        for name, text in blocks.items():
            slot = f"    {{{name}}}"
            if slot not in doc:
                raise ValueError(f"{cls.__name__}'s docstring has no {slot.strip()}")
            doc = doc.replace(slot, text.rstrip("\n"))
        cls.__doc__ = doc
        return cls

    return fill
