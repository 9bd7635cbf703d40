#!/usr/bin/env bash
# One-time setup on a fresh machine: Debian's ffmpeg (ffmpeg + ffprobe) and redis-server (the job
# queue of `aigc serve --queue`, started by its tests) when missing, then the npm dependencies. Used by the README's first command and by .ci/run.
#   bash scripts/setup.sh [--ci]    (--ci: npm ci instead of npm install)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  echo "setup: installing ffmpeg from Debian (apt-get install ffmpeg)"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq ffmpeg >/dev/null
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "setup: installing redis-server from Debian (apt-get install redis-server)"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq redis-server >/dev/null
fi
if [ "${1:-}" = "--ci" ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
echo "setup: done (node $(node --version), $(ffmpeg -version | head -n1 | cut -d' ' -f1-3), $(redis-server --version | cut -d' ' -f1-3))"
