#!/usr/bin/env bash
# One-time setup on a fresh machine: the Debian packages below when missing, then the
# npm dependencies. Used by the README's first command and by .ci/run.
#   bash scripts/setup.sh [--ci]    (--ci: npm ci instead of npm install)
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the toolkit or its tests use, each installed only when its command is missing:
#   ffmpeg (ffmpeg, ffprobe); softhsm2 + opensc (a PKCS#11 token and pkcs11-tool for the HSM signer tests);
#   chromium (PDF reports, and the report tests drive it through puppeteer-core).
APT=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || APT+=(ffmpeg)
command -v softhsm2-util >/dev/null 2>&1 || APT+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || APT+=(opensc)
command -v chromium >/dev/null 2>&1 || APT+=(chromium)
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
# Native add-ons, built from source against this Node's own headers (no download: build-from-source
# stops better-sqlite3's prebuild step from fetching a binary), whatever the npm ignore-scripts setting:
#   pkcs11js (the PKCS#11 signer), better-sqlite3 (the manifest repository's index).
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -f "$NODE_PREFIX/include/node/node.h" ]; then export npm_config_nodedir="$NODE_PREFIX"; fi
export npm_config_build_from_source=true
check_pkcs11js="new (require('pkcs11js').PKCS11)()"
check_better_sqlite3="new (require('better-sqlite3'))(':memory:').close()"
for addon in pkcs11js better-sqlite3; do
  check="check_${addon//-/_}"
  if ! node -e "${!check}" >/dev/null 2>&1; then
    echo "setup: building $addon from source"
    npm rebuild "$addon" --ignore-scripts=false >/dev/null
  fi
done
echo "setup: done (node $(node --version), $(ffmpeg -version | head -n1 | cut -d' ' -f1-3))"
