#!/usr/bin/env bash
# One-time setup on a fresh machine: Debian's ffmpeg (ffmpeg + ffprobe) when missing, then the
# npm dependencies, then builds dist/. Used by the README's first command and by .ci/run.
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
if [ "${1:-}" = "--ci" ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
# The compiled package: library (dist/src, with declarations) and the CLI bundle (dist/cli/aigc.js),
# so `npx aigc` starts without compiling TypeScript.
npm run build --silent
echo "setup: done (node $(node --version), $(ffmpeg -version | head -n1 | cut -d' ' -f1-3))"
