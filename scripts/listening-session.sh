#!/usr/bin/env bash
# A listener session driven through the listening-test page (issue 8, must show 3): starts
# vgpo-server on a free port with a scratch database, creates a naturalness test from two of
# the built-in voices' WAVs (uploaded audio, no model needed), opens public/listen.html in
# headless Chromium as listener "chromium-1" with `autorate`, so the page loads the pair and
# submits a rating without playing anything, then checks through the API that the rating is
# in the test's results, and saves a screenshot of the results page.
#
#   scripts/listening-session.sh [OUT.png]      (default /tmp/listening-results.png)
#   environment: SCRATCH (build folder, default .build)
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-/tmp/listening-results.png}"
scratch="${SCRATCH:-.build}"
scripts/install-deps.sh --also chromium >/dev/null
server="$scratch/release/vgpo-server"
[[ -x "$server" ]] || swift build -c release --scratch-path "$scratch" --product vgpo-server

work=$(mktemp -d)
key="session-$$"
cat >"$work/server.json" <<JSON
{"host": "127.0.0.1", "port": 0, "admin_api_key": "$key", "models": [],
 "listening_database": "$work/listening.sqlite", "voices_dir": "$work/voices"}
JSON
source scripts/lib/server.sh
start_vgpo_server listening-session "$server" "$work" --config "$work/server.json"
echo "listening-session: server ready at $url"

a=$(base64 -w0 voices/builtin/slt.wav)
b=$(base64 -w0 voices/builtin/awb.wav)
cat >"$work/test.json" <<JSON
{"name": "Session check", "kind": "naturalness", "system_a": {"label": "slt"}, "system_b": {"label": "awb"},
 "items": [{"text": "The page submits one rating.", "audio_a": ["$a"], "audio_b": ["$b"]}]}
JSON
created=$(curl -sf -H "Authorization: Bearer $key" -H "Content-Type: application/json" --data @"$work/test.json" \
  "$url/v1/listening-tests")
id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$created")
[[ -n "$id" ]] || { echo "listening-session: could not create the test: $created" >&2; exit 1; }

chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --user-data-dir="$work/profile" \
  --virtual-time-budget=15000 --dump-dom "$url/listen.html?test=$id&listener=chromium-1&autorate=1" >"$work/dom.html" 2>"$work/chromium.log" \
  || { cat "$work/chromium.log" >&2; echo "listening-session: chromium failed" >&2; exit 1; }
grep -q 'data-state="done"' "$work/dom.html" \
  || { echo "listening-session: the page did not reach the end of the test" >&2; exit 1; }

results=$(curl -sf "$url/v1/listening-tests/$id/results")
echo "listening-session: results $results"
grep -q '"ratings":1' <<<"$results" || { echo "listening-session: the rating is not in the results" >&2; exit 1; }
grep -q '"cmos":-1' <<<"$results" || grep -q '"cmos":1' <<<"$results" \
  || { echo "listening-session: the rating's score is not ±1" >&2; exit 1; }

chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --user-data-dir="$work/profile" \
  --virtual-time-budget=10000 --window-size=1000,500 --screenshot="$out" "$url/results.html" >/dev/null 2>&1 || true
echo "listening-session: ok (test $id: 1 rating through the page; results page screenshot $out)"
