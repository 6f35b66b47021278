#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_web_browser.py drive it with
# Playwright). Playwright's own browser download does not work on these machines, so the
# tests use /usr/bin/chromium. Idempotent: does nothing when it is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-browser.sh: $CHROMIUM is missing and installing it needs root;" >&2
  echo "  run as root, or install sudo, or run: apt-get install -y chromium" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser.sh: $CHROMIUM is missing and apt-get is not available;" >&2
  echo "  install Chromium so that $CHROMIUM exists (the browser tests need it)" >&2
  exit 1
fi

echo "install-browser.sh: installing chromium (for the browser tests)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "install-browser.sh: chromium was installed but $CHROMIUM is still missing" >&2
  exit 1
fi
