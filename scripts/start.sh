#!/usr/bin/env bash
# Starts Learning Center on a fresh machine: installs the Node packages, builds, and serves on
# http://127.0.0.1:3000 with the embedded SQLite database in ./data (the demo library is added
# on first start). As root it also installs ffmpeg and poppler-utils, which the demo video and
# the background jobs (240p video, audio-only, PDF text for search, thumbnails) need.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ] && { ! command -v ffmpeg >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! command -v weasyprint >/dev/null 2>&1; }; then
  (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends ffmpeg poppler-utils weasyprint fonts-noto-core >/dev/null) ||
    echo "Could not install ffmpeg, poppler-utils and weasyprint: no demo video, no PDF text in search, no PDF agendas or certificates." >&2
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build >/dev/null
exec npm start --silent
