#!/usr/bin/env python3
"""Where a base model's phoneme errors are: substitutions, deletions and insertions per mode
(vocoded corpus audio, teacher-forced, free-running) and engine, and the most frequent
confusions, from eval-base reports (per_utterance with the phonemes heard).

    scripts/phoneme-errors.py REPORT.json [REPORT.json ...] [--engine espeak] [--top 15]

Several reports (e.g. seeds 1-3) are pooled. Offline analysis only; nothing here runs in the
server or the trainer."""
import argparse
import collections
import json

MODES = ["vocoded", "teacher_forced", "free_running"]


def alignment(hyp, ref):
    """One minimal edit script turning hyp into ref: (kind, reference symbol, heard symbol)."""
    n, m = len(hyp), len(ref)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j - 1] + (hyp[i - 1] != ref[j - 1]), d[i - 1][j] + 1, d[i][j - 1] + 1)
    edits, i, j = [], n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (hyp[i - 1] != ref[j - 1]):
            if hyp[i - 1] != ref[j - 1]:
                edits.append(("sub", ref[j - 1], hyp[i - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            edits.append(("ins", None, hyp[i - 1]))
            i -= 1
        else:
            edits.append(("del", ref[j - 1], None))
            j -= 1
    return edits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reports", nargs="+")
    parser.add_argument("--engine", help="only utterances of this engine (espeak, flite, festival)")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    counts = {mode: collections.Counter() for mode in MODES}
    confusions = {mode: collections.Counter() for mode in MODES}
    phonemes = 0
    for path in args.reports:
        for u in json.load(open(path))["per_utterance"]:
            if args.engine and u["engine"] != args.engine:
                continue
            if "phonemes_reference" not in u:
                raise SystemExit(f"{path}: no phonemes heard in the report (eval-base before they were recorded)")
            ref = u["phonemes_reference"].split()
            phonemes += len(ref)
            for mode in MODES:
                for kind, want, got in alignment(u["phonemes_" + mode].split(), ref):
                    counts[mode][kind] += 1
                    confusions[mode][(kind, want, got)] += 1
    print(f"{phonemes} reference phonemes" + (f" ({args.engine})" if args.engine else ""))
    for mode in MODES:
        c = counts[mode]
        total = sum(c.values())
        print(f"{mode:15s} PER {100 * total / phonemes:5.1f}%: substitutions {100 * c['sub'] / phonemes:4.1f}%, "
              f"deletions {100 * c['del'] / phonemes:4.1f}%, insertions {100 * c['ins'] / phonemes:4.1f}%")
    extra = confusions["free_running"] - confusions["teacher_forced"]
    print(f"\nconfusions free-running has more of than teacher-forced (top {args.top}; per 1,000 phonemes):")
    for (kind, want, got), k in extra.most_common(args.top):
        print(f"  {kind} {want or '-'} -> {got or '-'}: +{1000 * k / phonemes:.1f}")


if __name__ == "__main__":
    main()
