#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when missing and we are allowed to;
# otherwise say so (those tests then skip, with this reason, unless E2E_REQUIRED=1).
set -uo pipefail
command -v chromium >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests…"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "Chromium is not installed: the browser tests will be skipped (sudo apt-get install chromium)." >&2
[ "${E2E_REQUIRED:-0}" = 1 ] && exit 1
exit 0
