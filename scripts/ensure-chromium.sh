#!/bin/sh
# The browser tests (tests/test_web.py) drive Debian's Chromium through Playwright; nothing is
# downloaded by Playwright. Install the distribution's package when it is missing.
set -eu
if [ -n "${MATCHER_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "make test: installing Debian's chromium for the browser tests" >&2
  $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null 2>&1; } || true
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "make test: Chromium is needed for the browser tests and could not be installed here;" \
       "install it (apt-get install chromium) or set MATCHER_CHROMIUM to a Chromium binary" >&2
  exit 1
fi
