#!/usr/bin/env bash
# Installs the Debian packages the project needs (README "Set-up"), only those missing.
#   scripts/install-deps.sh            build + runtime libraries (server, trainer, benchmarks)
#   scripts/install-deps.sh --corpus   also the TTS engines and texts the corpus is made from
#                                      (the test suite builds a tiny corpus, so tests need them)
#   scripts/install-deps.sh --also P   also package P (the scripts' tools: chromium, wrk)
# Swift 6.3 itself is expected on PATH (swift.org toolchain for Debian 12).
set -euo pipefail

build_packages=(
  pkg-config
  libopenblas-dev        # BLAS: every matrix product
  libmicrohttpd-dev      # HTTP server
  libsndfile1-dev        # WAV/FLAC/OGG decode and encode
  libsamplerate0-dev     # resampling uploads to 16 kHz
  libespeak-ng-dev       # text -> phonemes
  libsqlite3-dev         # listening tests (ratings survive crashes)
  libfftw3-dev           # FFTs of the STFT, Griffin-Lim and the pitch tracker
)
corpus_packages=(
  espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts fortunes fortunes-min
)

packages=("${build_packages[@]}")
while (($#)); do
  case "$1" in
    --corpus) packages+=("${corpus_packages[@]}") ;;
    --also) shift; packages+=("${1:?--also needs a package name}") ;;
    *) echo "install-deps: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
