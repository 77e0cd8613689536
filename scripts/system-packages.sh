#!/usr/bin/env bash
# Install Chromium (browser tests) and gettext (translations) from Debian's packages when missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium chromium-driver)
command -v msgfmt >/dev/null || missing+=(gettext)
# Japanese glyphs for the screenshots the browser tests save (real cardholders have their own fonts).
[ -d /usr/share/fonts/opentype/ipafont-gothic ] || missing+=(fonts-ipafont-gothic)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Please install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
