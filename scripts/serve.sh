#!/usr/bin/env bash
# README "Set-up", first command: installs what is missing, builds, and starts the server on
# the shipped models. Extra arguments go to vgpo-server (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --scratch-path "${SCRATCH:-.build}" --product vgpo-server
exec "${SCRATCH:-.build}/release/vgpo-server" --config configs/server.json "$@"
