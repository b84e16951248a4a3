#!/usr/bin/env bash
# How well the served base model speaks in each built-in voice: for every built-in voice of a running
# server, 4 everyday sentences × 2 seeds through /v1/tts, each clip scored against its text by
# the server's CTC recogniser (/v1/score); prints one JSON line per voice with the median PER.
#   scripts/voice-per.sh [http://localhost:8080] [temperature]   (default: the server's)
# Needs curl, jq and base64; the server must load a "ctc" reward model (configs/server.json does).
set -euo pipefail
server="${1:-http://localhost:8080}"
temperature="${2:-null}"
sentences=("The children played in the park until it was dark."
           "Please bring me a cup of hot coffee."
           "My brother found an old map in the attic."
           "We will meet at the station at noon.")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

voices="$(curl -sf "$server/v1/voices" | jq -r '.voices[] | select(.builtin) | .id')"
[ -n "$voices" ] || { echo "no voices at $server/v1/voices" >&2; exit 1; }
for voice in $voices; do
    pers=()
    for seed in 1 2; do
        for text in "${sentences[@]}"; do
            jq -n --arg text "$text" --arg voice "$voice" --argjson seed "$seed" --argjson temperature "$temperature" \
                '{text: $text, voice: $voice, seed: $seed} + (if $temperature == null then {} else {temperature: $temperature} end)' \
                > "$work/request.json"
            curl -sf "$server/v1/tts" -H 'Content-Type: application/json' -d @"$work/request.json" -o "$work/clip.wav"
            jq -n --arg text "$text" --rawfile audio <(base64 -w0 "$work/clip.wav") \
                '{audio: $audio, text: $text}' > "$work/score.json"
            pers+=("$(curl -sf "$server/v1/score" -H 'Content-Type: application/json' -d @"$work/score.json" | jq '.scores.per')")
        done
    done
    printf '%s\n' "${pers[@]}" | jq -sc --arg voice "$voice" \
        '{voice: $voice, median_per: (sort | (.[length / 2 - 1] + .[length / 2]) / 2), per: .}'
done
