"""What both estimator families need between scikit-learn and the core.

The families (the Scratch estimators, ``tabular/``) import from here; this
package imports from ``nn/`` and scikit-learn, never from a family.
"""
