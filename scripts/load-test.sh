#!/usr/bin/env bash
# Load test of vgpo-server with wrk (issue 7, "must show" 3): CLIENTS concurrent connections
# POST /v1/tts (short texts, built-in voices, scripts/load-test.lua) for SECONDS. Reports
# requests/s, status counts, latency percentiles and the server's resident memory (VmRSS)
# before and after. Fails on any 5xx other than 503 with Retry-After, on socket errors or
# timeouts, if the server dies, or if its RSS after the run is more than 10% above before it.
#
#   scripts/load-test.sh [-c CLIENTS] [-d SECONDS] [--max-seconds S] [--warmup SECONDS]
#                        [--url URL [--pid PID]]
#   -c 16, -d 60        concurrency and duration (the issue's numbers are the defaults)
#   --max-seconds 1     longest audio each request may ask for (short texts stop sooner)
#   --warmup 10         an unmeasured run first, at the same concurrency, so that buffers the
#                       server allocates once (sampler batch, KV caches) are in the "before"
#   --url URL           a running server; its PID is found from the listening port, or given
#                       with --pid. Without --url, a server is started on a free port with
#                       configs/server.json (built in ${SCRATCH:-.build}) and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=16 duration=60 max_seconds=1 warmup=10 url="" pid=""
while (($#)); do
  case "$1" in
    -c|--clients) clients="$2"; shift 2 ;;
    -d|--duration) duration="$2"; shift 2 ;;
    --max-seconds) max_seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --url) url="${2%/}"; shift 2 ;;
    --pid) pid="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "load-test: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# wrk from Debian, installed only when missing.
scripts/install-deps.sh --also wrk >/dev/null

work=$(mktemp -d)
started=""
cleanup() {
  if [[ -n "$started" ]]; then kill -TERM "$started" 2>/dev/null && wait "$started" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$url" ]]; then
  server="${SCRATCH:-.build}/release/vgpo-server"
  [[ -x "$server" ]] || swift build -c release --scratch-path "${SCRATCH:-.build}" --product vgpo-server
  "$server" --config "${CONFIG:-configs/server.json}" --port 0 2>"$work/server.log" &
  started=$! pid=$!
  for _ in $(seq 1 600); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { cat "$work/server.log" >&2; echo "load-test: the server did not start" >&2; exit 1; }
fi

if [[ -z "$pid" ]]; then
  # The process holding the listening socket: its inode in /proc/net/tcp{,6}, then whose fd it is.
  port_hex=$(printf '%04X' "${url##*:}")
  inode=$(awk -v p=":$port_hex" '$2 ~ p"$" && $4 == "0A" { print $10; exit }' /proc/net/tcp /proc/net/tcp6)
  if [[ -n "$inode" ]]; then
    # find complains about processes that end while it looks: only its output counts.
    pid=$( (find /proc/[0-9]*/fd -lname "socket:\[$inode\]" 2>/dev/null || true) | head -n 1 | cut -d/ -f3)
  fi
  [[ -n "$pid" ]] || { echo "load-test: cannot find the server's PID for $url; pass --pid" >&2; exit 1; }
fi

for _ in $(seq 1 600); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$url/health") == 200 ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "load-test: the server (PID $pid) exited" >&2; exit 1; }
  sleep 0.5
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "$url/health") == 200 ]] || { echo "load-test: $url is not ready" >&2; exit 1; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
threads=$((clients < 2 ? clients : 2))
run_wrk() {  # seconds, output file
  # --timeout: a synthesis waits in the queue behind others; wrk's default of 2 s is far too short.
  wrk -t "$threads" -c "$clients" -d "${1}s" --timeout 120s -s scripts/load-test.lua "$url" -- "$max_seconds" >"$2" 2>&1 \
    || { cat "$2" >&2; echo "load-test: wrk failed" >&2; exit 1; }
}

echo "load-test: $url (PID $pid), $clients clients, ${duration} s, audio up to ${max_seconds} s per request"
rss_cold=$(rss_kib)
if ((warmup > 0)); then
  echo "load-test: warm-up ${warmup} s (not measured)"
  run_wrk "$warmup" "$work/warmup.txt"
fi
rss_before=$(rss_kib)
run_wrk "$duration" "$work/run.txt"
sleep 1  # let the last connections close
kill -0 "$pid" 2>/dev/null || { echo "load-test: FAIL: the server died during the run" >&2; exit 1; }
rss_after=$(rss_kib)
health=$(curl -s -o /dev/null -w '%{http_code}' "$url/health")

value() { awk -v k="$1" '$1 == k { print $2 }' "$work/run.txt"; }
echo "requests:          $(value requests) in $(value duration_s) s = $(value requests_per_s) requests/s"
echo "status codes:      $(awk '$1 ~ /^status_[0-9]+$/ { sub("status_", "", $1); printf "%s=%s ", $1, $2 }' "$work/run.txt")"
echo "socket errors:     $(value socket_errors_detail)"
echo "latency (ms):      p50 $(value latency_p50_ms), p90 $(value latency_p90_ms), p99 $(value latency_p99_ms), max $(value latency_max_ms)"
echo "server RSS (MiB):  cold $((rss_cold / 1024)), before $((rss_before / 1024)), after $((rss_after / 1024))"
echo "health after:      $health"

failed=0
bad5xx=$(awk '$1 ~ /^status_5[0-9][0-9]$/ && $1 != "status_503" { n += $2 } END { print n + 0 }' "$work/run.txt")
((bad5xx == 0)) || { echo "load-test: FAIL: $bad5xx responses with a 5xx status other than 503" >&2; failed=1; }
(($(value status_503_without_retry_after) == 0)) || { echo "load-test: FAIL: 503 without Retry-After" >&2; failed=1; }
(($(value socket_errors) == 0)) || { echo "load-test: FAIL: socket errors or timeouts" >&2; failed=1; }
(($(value requests) > 0)) || { echo "load-test: FAIL: no request completed" >&2; failed=1; }
[[ "$health" == 200 ]] || { echo "load-test: FAIL: /health answers $health after the run" >&2; failed=1; }
((rss_after * 10 <= rss_before * 11)) \
  || { echo "load-test: FAIL: RSS grew by more than 10% ($rss_before -> $rss_after KiB)" >&2; failed=1; }
((failed == 0)) && echo "load-test: PASS"
exit "$failed"
