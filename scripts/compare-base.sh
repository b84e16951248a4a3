#!/usr/bin/env bash
# A candidate base model against the shipped one, as issue 10 measures them: eval-base as served
# (T = 0.7) on the 100 held-out sentences and all 39 unseen voices, seeds 1, 2 and 3 (a line of
# figures each), then the paired free-running and teacher-forced PER differences
# (scripts/paired-per.py) and the SIM ratio by voice group (scripts/sim-by-group.py) against the
# step-13800 evaluations in docs/results/base.
#   scripts/compare-base.sh MODEL_FOLDER OUT_FOLDER [EVAL-BASE OPTIONS…]
# Seeds already evaluated in OUT_FOLDER (seedN.json) are not run again. ~3 min a seed on 2 cores.
set -euo pipefail
model="$1"; out="$2"; shift 2
train=".build/release/vgpo-train"
[ -x "$train" ] || { echo "build first: swift build -c release" >&2; exit 1; }
mkdir -p "$out"
for seed in 1 2 3; do
    [ -f "$out/seed$seed.json" ] || "$train" eval-base --model "$model" --ctc models/ctc --speaker models/speaker \
        --count 100 --unseen-count 40 --temperature 0.7 --seed "$seed" --out "$out/seed$seed.json" "$@" >&2
done
for seed in 1 2 3; do
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
keys = ["per_free_running", "per_teacher_forced", "per_vocoded_reference", "sim_ratio", "stopped_fraction",
        "duration_within_25pct_fraction"]
print("seed %s: free-running %.1f%%, teacher-forced %.1f%%, vocoder floor %.1f%%, SIM ratio %.2f, stopped %.0f%%, "
      "durations within 25%% %.0f%%" % (sys.argv[2], *[d[k] * (1 if k == "sim_ratio" else 100) for k in keys]))' \
        "$out/seed$seed.json" "$seed"
done
base=docs/results/base
pairs=("$base/eval-step-13800-n100-t0.7.json" "$out/seed1.json"
       "$base/eval-step-13800-n100-seed2-t0.7.json" "$out/seed2.json"
       "$base/eval-step-13800-n100-seed3-t0.7.json" "$out/seed3.json")
echo "free-running, paired against step 13800:"
python3 scripts/paired-per.py "${pairs[@]}"
echo "teacher-forced, paired against step 13800:"
python3 scripts/paired-per.py --mode teacher_forced "${pairs[@]}"
sim="$base/eval-step-13800-sim39-seed"
python3 scripts/sim-by-group.py "step 13800=${sim}1-t0.7.json,${sim}2-t0.7.json,${sim}3-t0.7.json" \
    "$(basename "$out")=$out/seed1.json,$out/seed2.json,$out/seed3.json"
