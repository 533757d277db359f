#!/usr/bin/env bash
# Every run behind results_tabular.md, then the page and its plot: one command.
#
#     bash benchmarks/tabular_all.sh            # about 3 hours on 2 cores
#
# Needs the bench and plot extras (pip install ".[bench,plot]"), and torch and pytabkit for
# RealMLP-TD (skipped without them). OpenBLAS picks its kernels for this CPU
# (the CI's forced Haswell kernels are unset here). The runs are sequential:
# two BLAS-threaded processes on two cores slow each other by up to 10x.
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/tabular_runs
mkdir -p "$out"
bench() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }
one() { bench OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$@"; }
SMALL=(credit_data mlc_churn HMDA spam7 Chile ames)
# the default of before the plan and precision followed the table's size
# (and of before 3 x 64 units: 3 x 128)
BEFORE="float64, fixed plan, no snapshots"
OLD="tabular, 128x3, $BEFORE"
# the default of the second and third sessions, before 3 x 64 units
WAS="tabular, 128x3"
MAIN=("$OLD" RealMLP-TD HGB linear "sklearn MLP" "scratch MLP")

# the second and third sessions' default (3 x 128) beside HGB, on every
# table: one thread, then two
one python benchmarks/tabular.py --threads 1 \
    --models "$WAS" "$WAS, no snapshots" HGB --out "$out/default_one_thread.json"
bench python benchmarks/tabular.py --threads 2 --tables "${SMALL[@]}" \
    --models "$WAS" HGB --out "$out/default_two_threads.json"
bench python benchmarks/tabular.py --threads 2 --seeds 0 --tables diamonds CPS1988 \
    --models "$WAS" HGB --out "$out/default_two_threads_large.json"
one python benchmarks/tabular.py --memory --threads 1 --seeds 0 --tables diamonds \
    --models "$WAS" --out "$out/default_memory.json"
# the ensembles on the six smaller tables (their own page): independently
# seeded members, and TabM-mini's members sharing one network
one python benchmarks/tabular.py --threads 1 --tables "${SMALL[@]}" \
    --models "$WAS" "$WAS, 3 members" "$WAS, 5 members" \
    "$WAS, 2 shared members" "$WAS, 4 shared members" \
    "$WAS, 8 shared members" HGB --out "$out/ensemble.json"
# sixteen tables: the eight and eight more never tuned on (--further), every
# ensemble kind and the time/score variants. The first run was recorded with
# the default of 3 x 128 units (its models renamed since: "tabular, 64x3" then
# is today's "tabular"); the second with today's, its ensembles again.
one python benchmarks/tabular.py --threads 1 --further \
    --models "tabular, 128x3" "tabular, 128x3, no snapshots" \
    "tabular, 128x3, 3 members" "tabular, 128x3, 4 shared members" \
    "tabular, 128x3, 48 epochs" "tabular, 128x3, 32 epochs" tabular \
    "tabular, 48 epochs" "tabular, 32 epochs" HGB linear "sklearn MLP" \
    --out "$out/sixteen.json"
one python benchmarks/tabular.py --threads 1 --further --models tabular \
    "tabular, no snapshots" "tabular, 3 members" "tabular, 4 shared members" \
    HGB --out "$out/sixteen_ensembles.json"
# RealMLP-TD and TabM-D: one seed, on at most 10,000 training rows, beside HGB,
# in parts run side by side (a TabM-D fit takes minutes here; on diamonds one
# ran over half an hour and was stopped: no TabM-D there)
# (stopped on diamonds: its records are those of the five tables before)
one python benchmarks/tabular.py --threads 1 --further --seeds 0 \
    --models TabM-D RealMLP-TD HGB --out "$out/sixteen_torch.json"
one python benchmarks/tabular.py --threads 1 --seeds 0 --tables diamonds CPS1988 \
    --models RealMLP-TD HGB --out "$out/sixteen_torch_large.json"
# TabM-D alone on CPS1988 (7 minutes); on diamonds it ran over 35 minutes
# and was stopped, with no record
one python benchmarks/tabular.py --threads 1 --seeds 0 --tables CPS1988 \
    --models TabM-D HGB --out "$out/sixteen_torch_tabm_CPS1988.json"
one python benchmarks/tabular.py --threads 1 --further --seeds 0 \
    --tables ames wa_churn hpc_data --models TabM-D RealMLP-TD HGB \
    --out "$out/sixteen_torch_mid.json"
one python benchmarks/tabular.py --threads 1 --further --seeds 0 \
    --tables email lending_club HealthInsurance --models TabM-D RealMLP-TD HGB \
    --out "$out/sixteen_torch_rest_a.json"
one python benchmarks/tabular.py --threads 1 --further --seeds 0 \
    --tables Computers SaratogaHouses deliveries --models TabM-D RealMLP-TD HGB \
    --out "$out/sixteen_torch_rest_b.json"
# what a cheaper step could come from: the periodic embedding's products,
# fresh temporaries
one python benchmarks/step_costs.py >benchmarks/results_step_costs.md
# fewer epochs than the default's 64, for the time target
one python benchmarks/tabular.py --threads 1 \
    --models "$WAS" "$WAS, 32 epochs" "$WAS, 48 epochs" HGB \
    --out "$out/epochs.json"
# RealMLP's start from the training rows, against the default's random one
one python benchmarks/tabular.py --threads 1 --tables "${SMALL[@]}" \
    --models "$WAS, data init" "$WAS, hidden data init" \
    --out "$out/data_init.json"
# which snapshots to average (its own page)
one python benchmarks/tabular_snapshots.py >benchmarks/results_tabular_snapshots.md
# fit time and score against the rows, the plan's alternatives and the
# default of before beside it
one python benchmarks/tabular_scaling.py --models HGB tabular "$WAS" \
    "tabular, fixed plan" "tabular, batch only" "tabular, epochs only" \
    --out "$out/scaling.json"

# the blend of the network and HGB (its own page): the default beside its
# parts, alone; every variant tried (equal weights, HGB not refitted, the
# network's epochs), with the linear model and scikit-learn's MLP; the
# variants' epochs again, alone, for their times; AutoGluon (medium_quality,
# 60 s a table, one CPU) from a venv of its own (autogluon.tabular with
# lightgbm, catboost and xgboost, no torch: AUTOGLUON_PYTHON); and the blend
# against the rows
one python benchmarks/tabular.py --threads 1 --further \
    --models blend tabular HGB --out "$out/blend_alone.json"
one python benchmarks/tabular.py --threads 1 --further \
    --models "blend, 64 epochs" "blend, 64 epochs, equal" \
    "blend, 64 epochs, no refit" "blend, 48 epochs" blend tabular HGB linear \
    "sklearn MLP" --out "$out/blend_variants.json"
one python benchmarks/tabular.py --threads 1 --further \
    --models blend "blend, 48 epochs" "blend, 64 epochs" HGB \
    --out "$out/blend_epochs.json"
if [ -n "${AUTOGLUON_PYTHON:-}" ]; then
    one "$AUTOGLUON_PYTHON" benchmarks/tabular.py --threads 1 --further --seeds 0 \
        --models AutoGluon HGB --out "$out/blend_autogluon.json"
fi
one python benchmarks/tabular_scaling.py --models HGB blend tabular \
    --out "$out/blend_scaling.json"

# the runs below were recorded before; their tabular models are named by
# the options that reproduce them today

# the main table: every model, every table, one thread
one python benchmarks/tabular.py --threads 1 --models "${MAIN[@]}" \
    --out "$out/one_thread.json"
# the same with two threads (for the times): the six smaller tables, 3 seeds;
# diamonds and CPS1988 with one seed (RealMLP-TD takes 4-9 minutes a fit)
bench python benchmarks/tabular.py --threads 2 --tables "${SMALL[@]}" \
    --models "${MAIN[@]}" --out "$out/two_threads.json"
bench python benchmarks/tabular.py --threads 2 --seeds 0 --tables diamonds CPS1988 \
    --models "${MAIN[@]}" --out "$out/two_threads_large.json"
# the time/score curve: RealMLP's sizes, float32, fewer epochs
one python benchmarks/tabular.py --threads 1 --tables "${SMALL[@]}" \
    --models "tabular, 256x3, 256 epochs, $BEFORE" "tabular, 256x3, $BEFORE" \
    "$WAS, 256 epochs, $BEFORE" "$WAS, float32, fixed plan, no snapshots" \
    "$WAS, 32 epochs, $BEFORE" --out "$out/variants.json"
one python benchmarks/tabular.py --threads 1 --tables diamonds CPS1988 \
    --models "tabular, 256x3, $BEFORE" "$WAS, float32, fixed plan, no snapshots" \
    "$WAS, 32 epochs, $BEFORE" --out "$out/variants_large.json"
# the ablation: one ingredient dropped at a time
ablation=()
for ingredient in "periodic embedding" "scaling layer" "parametric activation" \
    NTK dropout "weight decay" "label smoothing" "lr factors" coslog4 \
    "beta_2 0.95" "smooth clip" "category embedding"; do
    ablation+=("$WAS, no $ingredient, $BEFORE")
done
one python benchmarks/tabular.py --threads 1 --tables "${SMALL[@]}" \
    --models "${ablation[@]}" --out "$out/ablation.json"
# peak memory on the largest table
one python benchmarks/tabular.py --memory --threads 1 --seeds 0 --tables diamonds \
    --models "$OLD" HGB "scratch MLP" "sklearn MLP" --out "$out/memory.json"
# where a default fit's time goes
one python benchmarks/tabular_profile.py credit_data ames \
    >benchmarks/results_tabular_profile.md

python benchmarks/tabular.py --render $(ls "$out"/*.json | grep -v -e scaling -e ensemble -e sixteen -e blend) \
    --plot benchmarks/results_tabular.png >benchmarks/results_tabular.md
python benchmarks/tabular_scaling.py --render "$out/scaling.json" \
    --plot benchmarks/results_tabular_scaling.png >benchmarks/results_tabular_scaling.md
python benchmarks/tabular.py --render "$out/ensemble.json" \
    >benchmarks/results_tabular_ensemble.md
python benchmarks/tabular.py --render "$out"/sixteen*.json \
    --plot benchmarks/results_tabular_sixteen.png >benchmarks/results_tabular_sixteen.md
python benchmarks/tabular.py --render $(ls "$out"/blend_*.json | grep -v scaling) \
    "$out"/sixteen_torch*.json >benchmarks/results_tabular_blend.md
python benchmarks/tabular_scaling.py --render "$out/blend_scaling.json" \
    >benchmarks/results_tabular_blend_scaling.md
