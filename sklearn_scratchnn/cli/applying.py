"""``scratchnn predict``, ``evaluate`` and ``info``: a saved model applied to a
CSV file, scored on one, or described."""

import json
import sys
from pathlib import Path

from .fitting import is_blend, network_of
from .messages import CommandError, counted, readable_warnings
from .model_files import check_order, load_model
from .outputs import check_output
from .table_models import (
    column_descriptions,
    format_metrics,
    metrics,
    prepare_features,
    split_target,
    unseen_categories,
)
from .table_reading import read_csv, shown


def _rows_for(saved, path, frame, used=()):
    """The model's columns from the rows of a CSV file, prepared as in
    training.

    Other columns are ignored, and named on standard error unless they are
    the target, the identifiers fit dropped, or ``used`` by the command
    (``--id``); the Python API refuses them instead, as scikit-learn does."""
    missing = [c for c in saved["columns"] if c not in frame.columns]
    if missing:
        raise CommandError(
            f"{path} lacks column(s) the model was trained on: {', '.join(missing)}"
        )
    known = {*saved["columns"], *saved.get("dropped", {}), saved["target"], *used}
    extra = [str(c) for c in frame.columns if c not in known]
    if extra:
        print(
            f"note: column(s) the model does not use are ignored: {', '.join(extra)}",
            file=sys.stderr,
        )
    X, not_numbers = prepare_features(frame, saved)
    for column, values in not_numbers.items():
        print(
            f"warning: numeric column {column!r} has text ({shown(values, 5)}); "
            "those cells are predicted as missing",
            file=sys.stderr,
        )
    for column, values in unseen_categories(
        saved["model"], X, saved["categorical"]
    ).items():
        print(
            f"warning: column {column!r} has values not seen in training "
            f"({shown(values, 5)}); those rows are predicted as if the column "
            "were empty",
            file=sys.stderr,
        )
    return frame, X


def _load_for(args, command):
    check_order(Path(args.model), Path(args.data), command)
    return load_model(Path(args.model))


def predict_csv(args, out=sys.stdout):
    if args.output:
        check_output(
            args.output,
            option="--output",
            kind="table",
            reads={"model": args.model, "data file": args.data},
            force=args.force,
        )
    saved = _load_for(args, "predict")
    frame, _ = read_csv(args.data, args.encoding)
    # checked before any prediction: a long predict would end in this refusal
    if args.id and args.id not in frame.columns:
        raise CommandError(f"--id column {args.id!r} is not in {args.data}")
    if args.proba and saved["task"] != "classification":
        raise CommandError("--proba needs a classification model")
    frame, X = _rows_for(saved, args.data, frame, used=[args.id] if args.id else [])
    model = saved["model"]
    with readable_warnings():
        if args.proba:
            values = model.predict_proba(X)
            classes = network_of(model).classes_
            columns = {f"proba_{c}": values[:, i] for i, c in enumerate(classes)}
        else:
            columns = {saved["target"]: model.predict(X)}
    import pandas as pd

    result = pd.DataFrame(columns)
    if args.id:
        result.insert(0, args.id, frame[args.id].to_numpy())
    if args.output:
        result.to_csv(args.output, index=False)
        print(f"{len(result)} predictions written to {args.output}", file=out)
    else:
        # no float_format: pandas writes the shortest text that reads back
        # as the same float64, so nothing is rounded away
        result.to_csv(out, index=False)
    return result


def evaluate_csv(args, out=sys.stdout):
    saved = _load_for(args, "evaluate")
    frame, _ = read_csv(args.data, args.encoding)
    # the target checked first: a refusal says nothing of the other columns
    _, y = split_target(frame, args.target, args.data, args.drop_missing_target)
    frame, X = _rows_for(saved, args.data, frame.loc[y.index], used=[args.target])
    if saved["task"] == "classification" and y.nunique() == 1:
        print(
            f"note: {args.data} holds one class only ({y.iloc[0]!r}): accuracy is "
            "the share predicted as it, and balanced accuracy and macro F1 say "
            "no more",
            file=sys.stderr,
        )
    with readable_warnings():
        scores = metrics(saved["task"], y, saved["model"].predict(X))
    if args.json:
        print(json.dumps(scores, indent=2), file=out)
    else:
        print(f"scores on {len(X)} rows of {args.data}:", file=out)
        format_metrics(scores, out)
    return scores


def info(args, out=sys.stdout):
    saved = load_model(Path(args.model))
    model = saved["model"]
    network = network_of(model)
    shown = model if is_blend(model) else network
    print(f"{type(shown).__name__} predicting {saved['target']!r}", file=out)
    print(f"columns ({len(saved['columns'])}):", file=out)
    for column, kind in zip(saved["columns"], column_descriptions(saved), strict=True):
        print(f"  {column}: {kind}", file=out)
    for column, reason in saved.get("dropped", {}).items():
        print(f"  {column}: dropped, {reason}", file=out)
    if saved["task"] == "classification":
        classes = ", ".join(map(str, network.classes_))
        print(f"classes: {classes}", file=out)
    if is_blend(model):
        _blend_info(model, out)
    elif network is model:  # the tabular model: the network inside it
        _tabular_info(model, out)
    else:
        trained = network.network_
        units = " -> ".join(str(u) for u in trained.network.layer_units)
        hidden = trained.network.hidden.name
        print(
            f"layers: {units} ({hidden}, output {trained.out_activation_})",
            file=out,
        )
        print(
            f"training: {network.solver}, {len(network.loss_curve_)} epochs "
            f"recorded, final loss {network.loss_:.6g}",
            file=out,
        )
    saved_with = ", ".join(f"{k} {v}" for k, v in saved["versions"].items())
    print(f"saved with: {saved_with}", file=out)


def _blend_info(blend, out):
    network, hgb = blend.weights_
    print(
        f"blend: network {network:.2f}, HistGradientBoosting {hgb:.2f} (weights "
        "chosen on rows neither part trained on)",
        file=out,
    )
    print("network:", file=out)
    _tabular_info(blend.network_, out, indent="  ")
    trees = blend.hgb_
    categories = (
        int(trees.is_categorical_.sum()) if trees.is_categorical_ is not None else 0
    )
    print(
        f"HistGradientBoosting: {trees.n_iter_} iterations of trees of up to "
        f"{trees.max_leaf_nodes} leaves, {categories} column(s) split as "
        "categories",
        file=out,
    )


def _tabular_info(model, out, indent=""):
    inner = model.network_
    units = " -> ".join(str(u) for u in inner.network.layer_units)
    print(
        f"{indent}layers: {units} (parametric {inner.network.hidden.name}, NTK; "
        "periodic embeddings of the numbers, a scaling layer in front; output "
        f"{inner.out_activation_})",
        file=out,
    )
    best = model.best_epoch_
    restored = "the last kept" if best is None else f"epoch {best} restored"
    snapshots = model.n_snapshots_
    if snapshots:
        restored += f", averaged with {counted(snapshots, 'snapshot')}"
    print(
        f"{indent}training: adam on coslog4, {model.n_iter_} epochs, {restored}, final "
        f"loss {inner.loss_:.6g}",
        file=out,
    )
