#!/usr/bin/env bash
# An issued report's PDF is rendered by Debian's LibreOffice (Writer, without its GUI) in
# Liberation Serif 2, which has Times New Roman's metrics and the Vietnamese letters. Install
# them when missing and we are allowed to; otherwise say so (the PDF tests then skip, with this
# reason, unless PDF_REQUIRED=1).
set -uo pipefail
PACKAGES="libreoffice-writer-nogui fonts-liberation2"
ready() {
  command -v soffice >/dev/null && fc-list ':lang=vi' family | grep -q "Liberation Serif"
}
ready && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing LibreOffice and Liberation Serif 2 for the PDF tests…"
  apt-get update -qq && apt-get install -y -qq $PACKAGES >/dev/null && ready && exit 0
fi
echo "LibreOffice with Liberation Serif 2 is not installed: the PDF tests will be skipped (sudo apt-get install $PACKAGES)." >&2
[ "${PDF_REQUIRED:-0}" = 1 ] && exit 1
exit 0
