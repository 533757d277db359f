"""A blend's HistGradientBoosting as ONNX nodes: the table as its trees read
it (:class:`~sklearn_scratchnn.tabular.TreeEncoder`, then HGB's own coding of
categories), one ``TreeEnsembleRegressor`` (``ai.onnx.ml``, version 3) of
every tree, and the link that turns its sum into probabilities or values,
all from :func:`~sklearn_scratchnn.tabular.fitted_trees`.

skl2onnx has a converter of HistGradientBoosting, but it writes every split
as a threshold on a number (``BRANCH_LEQ`` on ``num_threshold``; it never
reads ``is_categorical``), which is not what a categorical split does: on
a table of a 12-category column and a number, its graph (once the
``TypeError`` skl2onnx 1.20.0 raises beside onnx 1.23.2 is worked around,
booleans in an attribute of integers) gives HGB's label on 75% of the rows,
without a word. Here a categorical split is a chain of equality
tests (``_Ensemble``), with float64 thresholds and leaves.
"""

import numpy as np
from onnx import numpy_helper

from ._graph import DOUBLE
from ._table import TableExportError

OTHER = "(other)"


def tree_input(graph, encoder, trees, columns):
    """The float64 matrix HGB's trees read, from the graph's columns: the
    blend's codes (``encoder``) recoded as HGB coded them in fit, the columns
    in its order (``trees``, a :class:`~sklearn_scratchnn.tabular.FittedTrees`:
    categories first, where it has any)."""
    categories = dict(encoder.categories_)
    blocks = []
    for j in trees.order:
        if j in trees.codes:
            blocks.append(_codes(graph, columns[j], categories[j], trees.codes[j]))
        else:
            blocks.append(graph.cast(columns[j], DOUBLE))
    return blocks[0] if len(blocks) == 1 else graph.node("Concat", blocks, axis=1)


def _codes(graph, column, categories, coding):
    """A text column as HGB's codes: NaN where missing or unseen (where HGB
    sends missing values), the code of ``"(other)"`` for the rarer
    categories a column of many was grouped into."""
    if "" in categories:
        raise TableExportError(
            "a text column held empty strings in fit, which ONNX cannot tell "
            "from missing cells (it reads '' as missing); fill them in before "
            "fitting"
        )
    named = [c for c in categories if c != OTHER]
    keys = [*named, ""]
    values = [coding.get(float(categories.index(c)), np.nan) for c in named]
    values.append(np.nan)
    other = np.nan
    if categories[-1:] == [OTHER]:
        other = coding.get(float(len(categories) - 1), np.nan)
    code = graph.node(
        "LabelEncoder",
        [column],
        op_domain="ai.onnx.ml",
        keys_strings=keys,
        values_floats=values,
        default_float=other,
    )
    return graph.cast(code, DOUBLE)


def raw_predictions(graph, trees, E):
    """The sum over the trees, plus the baseline: ``(m, n_targets)``."""
    ensemble = _Ensemble()
    for target, nodes, bitsets in trees.trees:
        ensemble.add(nodes, bitsets, target)
    attributes = ensemble.attributes(len(trees.baseline))
    total = graph.node(
        "TreeEnsembleRegressor", [E], op_domain="ai.onnx.ml", op_version=3,
        **attributes,
    )  # fmt: skip
    total = graph.cast(total, DOUBLE)  # onnxruntime sums in float32
    baseline = graph.constant(trees.baseline.reshape(1, -1), np.float64)
    return graph.node("Add", [total, baseline])


def hgb_probabilities(graph, trees, E):
    """HGB's class probabilities, as ``predict_proba`` gives them."""
    raw = raw_predictions(graph, trees, E)
    if trees.link == "multinomial":
        return graph.node("Softmax", [raw], axis=1)
    p = graph.node("Sigmoid", [raw])
    q = graph.node("Sub", [graph.constant([[1.0]], np.float64), p])
    return graph.node("Concat", [q, p], axis=1)


def hgb_values(graph, trees, E):
    """HGB's predictions, as ``predict`` gives them: ``(m, 1)``."""
    raw = raw_predictions(graph, trees, E)
    if trees.link == "identity":
        return raw
    if trees.link == "log":  # poisson and gamma losses
        return graph.node("Exp", [raw])
    raise TableExportError(
        f"HistGradientBoosting's link {trees.link!r} does not export yet"
    )


class _Ensemble:
    """Every tree's nodes, as ``TreeEnsembleRegressor``'s attributes (one
    target per class of a multiclass model).

    A categorical split, ``category in S`` (left) or not (right), becomes a
    chain of equality tests that all lead left, the last one's failure
    right: the form onnxruntime itself gives a set-membership node. Missing
    values and unseen categories (NaN by then) go where HGB sends missing
    values: left at the first test, or through every test to the right.
    """

    def __init__(self):
        self.tree_ids, self.node_ids, self.features, self.modes = [], [], [], []
        self.values, self.true_ids, self.false_ids, self.missing_true = (
            [], [], [], [])  # fmt: skip
        self.leaf_trees, self.leaf_nodes, self.leaf_targets, self.leaf_weights = (
            [], [], [], [])  # fmt: skip
        self.n_trees = 0

    def add(self, nodes, bitsets, target):
        tree = self.n_trees
        self.n_trees += 1
        extra = len(nodes)  # the ids of the chains' further tests
        for i, node in enumerate(nodes):
            if node["is_leaf"]:
                self._node(tree, i, "LEAF", 0, 0.0, 0, 0, False)
                self.leaf_trees.append(tree)
                self.leaf_nodes.append(i)
                self.leaf_targets.append(target)
                self.leaf_weights.append(float(node["value"]))
                continue
            feature, left, right = int(node["feature_idx"]), node["left"], node["right"]
            missing_left = bool(node["missing_go_to_left"])
            if not node["is_categorical"]:
                self._node(tree, i, "BRANCH_LEQ", feature, node["num_threshold"],
                           left, right, missing_left)  # fmt: skip
                continue
            members = _bits(bitsets[node["bitset_idx"]])
            # a split may send missing values alone to the left: one test
            # that no code passes (codes are >= 0)
            members = members or [-1.0]
            ids = [i, *range(extra, extra + len(members) - 1)]
            extra += len(members) - 1
            for k, (at, member) in enumerate(zip(ids, members, strict=True)):
                otherwise = ids[k + 1] if k + 1 < len(ids) else right
                # missing values turn left at the first test, or never
                tracks = missing_left and k == 0
                self._node(tree, at, "BRANCH_EQ", feature, float(member), left,
                           otherwise, tracks)  # fmt: skip

    def _node(self, tree, at, mode, feature, value, true, false, missing_true):
        self.tree_ids.append(tree)
        self.node_ids.append(int(at))
        self.modes.append(mode)
        self.features.append(int(feature))
        self.values.append(float(value))
        self.true_ids.append(int(true))
        self.false_ids.append(int(false))
        self.missing_true.append(int(missing_true))

    def attributes(self, n_targets):
        def tensor(values):
            return numpy_helper.from_array(np.asarray(values, dtype=np.float64))

        return dict(
            aggregate_function="SUM",
            n_targets=n_targets,
            nodes_falsenodeids=self.false_ids,
            nodes_featureids=self.features,
            nodes_missing_value_tracks_true=self.missing_true,
            nodes_modes=self.modes,
            nodes_nodeids=self.node_ids,
            nodes_treeids=self.tree_ids,
            nodes_truenodeids=self.true_ids,
            nodes_values_as_tensor=tensor(self.values),
            post_transform="NONE",
            target_ids=self.leaf_targets,
            target_nodeids=self.leaf_nodes,
            target_treeids=self.leaf_trees,
            target_weights_as_tensor=tensor(self.leaf_weights),
        )


def _bits(bitset):
    """The categories a bitset of eight 32-bit words holds (bit c: category c)."""
    words = np.asarray(bitset, dtype=np.uint32)
    return [32 * w + b for w in range(len(words)) for b in range(32)
            if words[w] >> np.uint32(b) & np.uint32(1)]  # fmt: skip
