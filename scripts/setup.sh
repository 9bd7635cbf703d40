#!/usr/bin/env bash
# One-time setup on a fresh machine: the Debian packages below when missing, then the
# npm dependencies. Used by the README's first command and by .ci/run.
#   bash scripts/setup.sh [--ci]    (--ci: npm ci instead of npm install)
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the toolkit or its tests use, each installed only when its command is missing:
#   ffmpeg (ffmpeg, ffprobe); softhsm2 + opensc (a PKCS#11 token and pkcs11-tool for the HSM signer tests).
APT=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || APT+=(ffmpeg)
command -v softhsm2-util >/dev/null 2>&1 || APT+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || APT+=(opensc)
if [ "${#APT[@]}" -gt 0 ]; then
  echo "setup: installing from Debian: ${APT[*]}"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
fi
if [ "${1:-}" = "--ci" ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
# pkcs11js (the PKCS#11 binding) is a native add-on: build it from source against this Node's own
# headers (no download), whatever the user's npm ignore-scripts setting.
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -f "$NODE_PREFIX/include/node/node.h" ]; then export npm_config_nodedir="$NODE_PREFIX"; fi
npm rebuild pkcs11js --ignore-scripts=false >/dev/null
echo "setup: done (node $(node --version), $(ffmpeg -version | head -n1 | cut -d' ' -f1-3))"
