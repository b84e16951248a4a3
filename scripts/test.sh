#!/usr/bin/env bash
# README "Set-up", second command: installs what is missing (the corpus engines too: the tests
# build a tiny corpus), builds, and runs the whole test suite. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --corpus
# Optimised: the numerical tests train small models. -enable-testing keeps @testable working.
flags=(-c release -Xswiftc -enable-testing --scratch-path "${SCRATCH:-.build}")
swift build --build-tests "${flags[@]}"
swift test "${flags[@]}" "$@"
