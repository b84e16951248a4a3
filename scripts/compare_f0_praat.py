#!/usr/bin/env python3
"""Issue 3, "Must show 2": our F0 tracker and F0V reward against Praat on speech-like audio.

Synthesises utterances with several espeak-ng and flite voices, runs our tracker (through
`vgpo-train f0`) and Praat's autocorrelation
tracker (praat-parselmouth, pitch floor 50 Hz, ceiling 500 Hz, 10 ms step), and reports:
  - per-utterance mean F0 (over the voiced frames kept by that same cleaning) agreement: |ours / Praat - 1| <= 3% for >= 95% of utterances;
  - Pearson r between our F0V and a Praat-based F0V computed with the same post-processing
    (short voiced runs and octave errors dropped, log-F0 gap bridging, 0.2-5 Hz zero-phase Butterworth band-pass,
    std in Hz), re-implemented below step by step from Sources/Audio/Pitch/F0Variance.swift.

Needs: espeak-ng, flite (apt), praat-parselmouth and numpy (pip), swift.
Usage: swift build -c release --product vgpo-train && python3 scripts/compare_f0_praat.py [--work DIR]
"""
import argparse, json, math, os, subprocess, sys, tempfile

import numpy as np
import parselmouth

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Would you like a cup of tea before we leave for the station?",
    "I never said she stole my money, but somebody certainly did.",
    "Turn left at the second light, then keep going until you see the river.",
    "Seven hundred people gathered in the square on a cold winter morning.",
    "Is this really the best we can do, or should we try again tomorrow?",
    "The results were surprising: the smaller model learned faster than the larger one.",
    "Please remember to lock the door, switch off the lights, and feed the cat.",
]
ESPEAK_VOICES = [  # (voice, pitch 0-99): accents and pitch settings give different F0 ranges
    ("en-us", 50), ("en-gb", 35), ("en-us+f3", 60), ("en-gb-scotland", 45),
    ("en-029", 55), ("en+m3", 30), ("en-gb-x-rp+f2", 70),
]
FLITE_VOICES = ["kal", "awb", "rms", "slt"]

# The F0V post-processing of Sources/Audio/Pitch/F0Variance.swift.
BAND = (0.2, 5.0)
MIN_RUN, MIN_VOICED, PAD, OCTAVE_LIMIT = 3, 10, 100, 0.7


def biquad_lowpass(fc, fs):
    k, q = math.tan(math.pi * fc / fs), 1 / math.sqrt(2)
    n = 1 / (1 + k / q + k * k)
    return (k * k * n, 2 * k * k * n, k * k * n, 2 * (k * k - 1) * n, (1 - k / q + k * k) * n)


def biquad_highpass(fc, fs):
    k, q = math.tan(math.pi * fc / fs), 1 / math.sqrt(2)
    n = 1 / (1 + k / q + k * k)
    return (n, -2 * n, n, 2 * (k * k - 1) * n, (1 - k / q + k * k) * n)


def biquad_apply(section, x):
    b0, b1, b2, a1, a2 = section
    gain = (b0 + b1 + b2) / (1 + a1 + a2)
    z2 = (b2 - a2 * gain) * x[0]
    z1 = (b1 - a1 * gain) * x[0] + z2
    y = np.empty_like(x)
    for i, v in enumerate(x):
        out = b0 * v + z1
        z1 = b1 * v - a1 * out + z2
        z2 = b2 * v - a2 * out
        y[i] = out
    return y


def filtfilt(x, sections, padding):
    n = len(x)
    if n < 2:
        return x
    pad = min(padding, n - 1)
    ext = np.concatenate([x[pad:0:-1], x, x[n - 2:n - 2 - pad:-1] if pad > 0 else []])
    for s in sections:
        ext = biquad_apply(s, ext)
    ext = ext[::-1].copy()
    for s in sections:
        ext = biquad_apply(s, ext)
    return ext[::-1][pad:pad + n]


def remove_short_runs(voiced):
    voiced = voiced.copy()
    i = 0
    while i < len(voiced):  # drop voiced runs shorter than MIN_RUN frames
        if not voiced[i]:
            i += 1
            continue
        j = i
        while j < len(voiced) and voiced[j]:
            j += 1
        if j - i < MIN_RUN:
            voiced[i:j] = False
        i = j
    return voiced


def f0v(freqs, voiced, frame_rate=100.0):
    voiced = remove_short_runs(voiced)
    if voiced.any():  # octave errors: frames more than OCTAVE_LIMIT octaves from the median
        median = np.median(freqs[voiced])
        voiced &= np.abs(np.log2(np.where(freqs > 0, freqs, 1) / median)) <= OCTAVE_LIMIT
        voiced = remove_short_runs(voiced)
    idx = np.flatnonzero(voiced)
    mean = float(np.mean(freqs[idx])) if len(idx) else None
    if len(idx) < MIN_VOICED:
        return 0.0, mean
    t = np.arange(idx[0], idx[-1] + 1)
    contour = np.exp(np.interp(t, idx, np.log(freqs[idx])))  # log-F0 bridging
    centred = contour - contour.mean()
    sections = [biquad_lowpass(BAND[1], frame_rate), biquad_highpass(BAND[0], frame_rate)]
    return float(np.std(filtfilt(centred, sections, PAD))), mean


def praat_f0(path):
    pitch = parselmouth.Sound(path).to_pitch(time_step=0.01, pitch_floor=50.0, pitch_ceiling=500.0)
    freqs = pitch.selected_array["frequency"]
    return f0v(freqs, freqs > 0)


def synthesise(work):
    paths = []
    for v, (voice, pitch) in enumerate(ESPEAK_VOICES):
        for s, text in enumerate(SENTENCES):
            if (v + s) % 8 >= 6:  # 6 of 8 sentences per voice keeps the run short
                continue
            path = os.path.join(work, f"espeak_{voice}_{s}.wav")
            subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-w", path, text], check=True)
            paths.append(path)
    for voice in FLITE_VOICES:
        for s, text in enumerate(SENTENCES):
            path = os.path.join(work, f"flite_{voice}_{s}.wav")
            subprocess.run(["flite", "-voice", voice, "-t", text, "-o", path], check=True)
            paths.append(path)
    return paths


def ours(paths, trainer):
    out = subprocess.run([trainer, "f0", *paths], check=True, capture_output=True, text=True).stdout
    return {row["path"]: row for row in map(json.loads, out.splitlines())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default=None, help="folder for the synthesised WAVs (default: a temp dir)")
    parser.add_argument("--trainer", default=".build/release/vgpo-train", help="the vgpo-train executable")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="vgpo-f0-")
    os.makedirs(work, exist_ok=True)
    paths = synthesise(work)
    mine = ours(paths, args.trainer)

    rows = []
    for path in paths:
        praat_v, praat_mean = praat_f0(path)
        row = mine[path]
        rows.append((os.path.basename(path), row["meanF0Hz"], praat_mean, row["f0vHz"], praat_v))
    print(f"{'utterance':36s} {'ours F0':>8s} {'Praat F0':>8s} {'rel.err':>8s} {'ours F0V':>8s} {'Praat F0V':>9s}")
    within = 0
    for name, m, p, v, pv in rows:
        err = abs(m / p - 1) if m and p else float("inf")
        within += err <= 0.03
        print(f"{name:36s} {m or 0:8.1f} {p or 0:8.1f} {100 * err:7.2f}% {v:8.2f} {pv:9.2f}")
    ours_v = np.array([r[3] for r in rows])
    praat_v = np.array([r[4] for r in rows])
    r = float(np.corrcoef(ours_v, praat_v)[0, 1])
    errors = sorted(abs(m / p - 1) for _, m, p, _, _ in rows if m and p)
    print()
    print(f"utterances: {len(rows)} ({len(ESPEAK_VOICES)} espeak-ng voices, {len(FLITE_VOICES)} flite voices)")
    print(f"mean F0 within 3% of Praat: {within}/{len(rows)} = {100 * within / len(rows):.1f}% (target >= 95%)")
    print(f"median |relative error| of mean F0: {100 * errors[len(errors) // 2]:.2f}%, worst {100 * errors[-1]:.2f}%")
    print(f"F0V Pearson r (ours vs Praat, same filter): {r:.3f} (target >= 0.9)")
    print(f"F0V mean: ours {ours_v.mean():.2f} Hz, Praat {praat_v.mean():.2f} Hz")
    ok = within / len(rows) >= 0.95 and r >= 0.9
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
