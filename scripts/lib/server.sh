# Sourced by the scripts that drive a real vgpo-server (playground-screenshot, listening-session).
#
#   start_vgpo_server NAME SERVER WORK ARGS...
# runs SERVER ARGS... in the background with stderr in WORK/server.log, stops it and removes
# WORK on exit, and returns once the server is ready (/health answers 200: models loaded,
# every route served). Sets `pid` and `url`; NAME prefixes the error messages.
start_vgpo_server() {
  local name=$1 server=$2
  work=$3
  shift 3
  "$server" "$@" 2>"$work/server.log" &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  url=""
  # Port 0: the kernel picks a free port, and the server says which on stderr.
  for _ in $(seq 1 600); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)
    [[ -n "$url" ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' "$url/health") == 200 ]] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "$name: the server exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name: the server did not become ready" >&2
  exit 1
}
