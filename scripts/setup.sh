#!/usr/bin/env bash
# Set up geomap on a fresh Debian machine: system packages, a virtualenv in .venv with the
# CPU build of torch (constraints.txt), the map's JavaScript from npm (node_modules/).
# Idempotent: a second run only checks what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium for the browser tests and screenshots, Noto fonts for Arabic, npm for the map's JavaScript
missing=()
for pkg in chromium fonts-noto-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: please install with apt: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -c constraints.txt -e '.[test,scale]'
if .venv/bin/pip list 2>/dev/null | grep -qi -E '^nvidia-|cuda'; then
  echo "setup: a CUDA package was installed; check constraints.txt" >&2
  exit 1
fi
npm ci --silent --no-audit --no-fund
