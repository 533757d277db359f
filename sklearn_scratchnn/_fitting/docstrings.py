"""Docstrings written once for the estimators of a family: shared blocks of
text filled into each class's docstring."""

import re
import textwrap


def fill_docstring(**blocks):
    """A class decorator that replaces each ``{name}`` line of the class
    docstring by ``blocks[name]`` (numpydoc text, written indented by four
    spaces), at the placeholder's own indentation.

    The placeholder's indentation is the docstring's: four spaces as written,
    none from Python 3.13 on, which strips the common indentation of every
    docstring when it compiles it. A placeholder the docstring lacks is an
    error, so a renamed block can never leave a class documented without it.
    """

    def fill(cls):
        doc = cls.__doc__
        for name, text in blocks.items():
            slot = re.search(rf"^([ \t]*)\{{{name}\}}[ \t]*$", doc, flags=re.M)
            if slot is None:
                raise ValueError(f"{cls.__name__}'s docstring has no {{{name}}}")
            body = textwrap.indent(textwrap.dedent(text).rstrip("\n"), slot.group(1))
            doc = doc[: slot.start()] + body + doc[slot.end() :]
        cls.__doc__ = doc
        return cls

    return fill
