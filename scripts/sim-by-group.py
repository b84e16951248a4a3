#!/usr/bin/env python3
"""Zero-shot SIM ratio by voice group, from eval-base JSONs (`sim_per_voice`).

Usage: scripts/sim-by-group.py LABEL=FILE[,FILE...] [LABEL=FILE[,FILE...] ...]

Each label's files (one per seed) are pooled; a group's ratio is its mean generated similarity
over its mean real-pair similarity, the way eval-base's `sim_ratio` pools all voices. Groups:
espeak-ng variants never heard (in any accent), heard variants in the accent never heard, and
each unseen flite / festival voice.
"""
import json
import sys


NEW_ESPEAK_VARIANTS = {"f4", "m3", "m6"}


def group(voice):
    if voice.startswith("espeak"):   # espeak-<accent>-<variant>-p<pitch>-r<rate>
        if voice.split("-")[-3] in NEW_ESPEAK_VARIANTS:
            return "espeak-ng variants never heard (f4, m3, m6), any accent"
        return "espeak-ng variants heard, in the accent never heard (gbcwmd)"
    return voice.rsplit("-", 1)[0]   # flite / festival: one group for the three speaking rates


def pooled(files):
    sums = {}
    for path in files:
        for entry in json.load(open(path))["sim_per_voice"]:
            g = sums.setdefault(group(entry["voice"]), [0.0, 0.0, 0])
            g[0] += entry["sim_generated"]
            g[1] += entry["sim_real"]
            g[2] += 1
    return sums


def main():
    columns = []
    for arg in sys.argv[1:]:
        label, _, files = arg.partition("=")
        columns.append((label, pooled(files.split(","))))
    groups = sorted({g for _, sums in columns for g in sums})
    print("| group | " + " | ".join(label for label, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for g in groups + ["all"]:
        cells = []
        for _, sums in columns:
            entries = sums.values() if g == "all" else [sums.get(g, [0, 0, 0])]
            gen = sum(e[0] for e in entries)
            real = sum(e[1] for e in entries)
            count = sum(e[2] for e in entries)
            cells.append(f"{gen / real:.2f} (n = {count})" if real else "-")
        print(f"| {g} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
