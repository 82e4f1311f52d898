#!/usr/bin/env bash
# Installs the Debian packages the test suite (and the demo video) need, when they are missing.
# Needs root for apt-get; without root it only says what is missing.
set -euo pipefail
packages=(chromium ffmpeg poppler-utils weasyprint fonts-noto-core sqlite3 postgresql-client zim-tools kiwix-tools libxml2-utils jing nginx-light python3-swift age)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
