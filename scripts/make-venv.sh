#!/usr/bin/env bash
# Create the virtual environment; on Debian/Ubuntu without python3-venv, install it first (as root).
set -euo pipefail
python="$1"; venv="$2"
[ -x "$venv/bin/python" ] && exit 0
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Lan Tỏa needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  exit 1
}
if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv "$venv"
  else
    echo "Cannot create a virtual environment: install python3-venv (sudo apt-get install python3-venv)." >&2
    exit 1
  fi
fi
