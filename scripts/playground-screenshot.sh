#!/usr/bin/env bash
# Starts vgpo-server on a free port, opens the playground (public/index.html) in headless
# Chromium, saves a screenshot and checks that it is a PNG that is not blank; stops the server.
# Issue 7, "must show" 5.
#
#   scripts/playground-screenshot.sh [OUT.png] [QUERY]
#     OUT.png  where the screenshot goes (default /tmp/playground.png)
#     QUERY    query string that fills the form (see prefill in public/playground.js); with
#              `run` the page also synthesises before the shot, e.g.
#              'text=Hello there.&seed=1&max_seconds=1.5&k=2&reward=f0v&run'
#   environment: SCRATCH (build folder, default .build), CONFIG (default configs/server.json),
#                BUDGET_MS (page time before the shot, default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-/tmp/playground.png}"
query="${2:-}"
scratch="${SCRATCH:-.build}"
config="${CONFIG:-configs/server.json}"
budget_ms="${BUDGET_MS:-20000}"

# Headless Chromium from Debian, installed only when missing.
scripts/install-deps.sh --also chromium >/dev/null

server="$scratch/release/vgpo-server"
[[ -x "$server" ]] || swift build -c release --scratch-path "$scratch" --product vgpo-server

source scripts/lib/server.sh
# Ready means models loaded, so the page can list them (the page itself waits too).
start_vgpo_server playground-screenshot "$server" "$(mktemp -d)" --config "$config" --port 0
echo "playground-screenshot: server ready at $url"

page="$url/"
[[ -n "$query" ]] && page="$url/?${query// /%20}"
rm -f "$out"
# --no-sandbox: Chromium's sandbox refuses to run as root. Virtual time stands still while
# fetches are pending, so the budget is page time beyond waiting for the server.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions \
  --user-data-dir="$work/profile" --window-size=1280,1100 --virtual-time-budget="$budget_ms" \
  --screenshot="$out" "$page" >"$work/chromium.log" 2>&1 \
  || { cat "$work/chromium.log" >&2; echo "playground-screenshot: chromium failed" >&2; exit 1; }

[[ -s "$out" ]] || { echo "playground-screenshot: no screenshot written" >&2; exit 1; }
[[ $(head -c 8 "$out" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] \
  || { echo "playground-screenshot: $out is not a PNG" >&2; exit 1; }

if command -v python3 >/dev/null; then
  # Count the distinct colours (standard library only: zlib and the PNG filters of RFC 2083).
  python3 - "$out" <<'PY' || { echo "playground-screenshot: $out looks blank" >&2; exit 1; }
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
        assert depth == 8 and colour in (2, 6), f"unexpected PNG format: depth {depth}, colour type {colour}"
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
raw, stride = zlib.decompress(idat), width * bpp
previous, colours = bytearray(stride), set()
for y in range(height):
    kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b = previous[i]
        c = previous[i - bpp] if i >= bpp else 0
        if kind == 1: row[i] = (row[i] + a) & 255
        elif kind == 2: row[i] = (row[i] + b) & 255
        elif kind == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    colours.update(bytes(row[i:i + bpp]) for i in range(0, stride, bpp))
    previous = row
print(f"playground-screenshot: {width}x{height}, {len(colours)} distinct colours")
sys.exit(0 if len(colours) > 16 else 1)
PY
else
  # Without Python, a rendered page of text and form controls compresses far worse than a blank one.
  size=$(stat -c %s "$out")
  echo "playground-screenshot: $size bytes (no python3 to count colours)"
  ((size > 20000)) || { echo "playground-screenshot: $out looks blank" >&2; exit 1; }
fi
echo "playground-screenshot: wrote $out"
