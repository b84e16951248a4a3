#!/usr/bin/env python3
"""Paired PER difference between two models from `vgpo-train eval-base` JSONs.

    scripts/paired-per.py [--mode teacher_forced] OLD_SEED1.json NEW_SEED1.json [OLD_SEED2.json NEW_SEED2.json ...]

Each pair must come from the same command and seed (the same sentences, prompts and noise
seeds), so utterance i of one file matches utterance i of the other. Prints each model's
phoneme-weighted PER, the difference NEW − OLD in points and its standard error over the
utterances (ratio estimator: the errors' differences against the phoneme counts), overall
and by engine: free-running PER, or teacher-forced with `--mode teacher_forced`. An offline
comparison script: nothing in the server or trainer uses it.
"""
import json
import math
import sys


def utterances(path):
    with open(path) as f:
        return json.load(f)["per_utterance"]


def summary(rows):
    phonemes = sum(r["phonemes"] for r in rows)
    old = sum(r["old"] for r in rows) / phonemes
    new = sum(r["new"] for r in rows) / phonemes
    diff = new - old
    residual = sum((r["new"] - r["old"] - diff * r["phonemes"]) ** 2 for r in rows)
    return old, new, diff, math.sqrt(residual) / phonemes


def main(paths):
    key = "per_free_running"
    if paths[:1] == ["--mode"] and len(paths) > 1:
        key, paths = "per_" + paths[1], paths[2:]
    if len(paths) < 2 or len(paths) % 2:
        sys.exit(__doc__)
    rows = []
    for old_path, new_path in zip(paths[0::2], paths[1::2]):
        old, new = utterances(old_path), utterances(new_path)
        if [u["id"] for u in old] != [u["id"] for u in new]:
            sys.exit(f"{old_path} and {new_path} are not the same sentences in the same order")
        for a, b in zip(old, new):
            rows.append({"engine": a["engine"], "phonemes": a["phonemes"],
                         "old": a[key] * a["phonemes"], "new": b[key] * b["phonemes"]})
    groups = [("all", rows)] + [(e, [r for r in rows if r["engine"] == e]) for e in sorted({r["engine"] for r in rows})]
    for name, group in groups:
        old, new, diff, se = summary(group)
        print(f"{name:9s} {len(group):4d} utterances  old {100 * old:5.1f}%  new {100 * new:5.1f}%  "
              f"new − old {100 * diff:+5.1f} ± {100 * se:.1f} points")


if __name__ == "__main__":
    main(sys.argv[1:])
