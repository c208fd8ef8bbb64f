#!/usr/bin/env bash
# The real-browser check of the evidence base: installs Debian's chromium and the pinned
# playwright-core (driver only; it uses the system chromium) when missing, then opens the report.
#   scripts/browser-check.sh [REPORT_HTML] [SCREENSHOT_PNG]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
report="$(realpath "${1:-$root/reports/evidence-base.html}")"
screenshot="$(realpath -m "${2:-${TMPDIR:-/tmp}/saferstats-evidence-base.png}")"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cd "$root/scripts/browser-check"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --silent
fi
node check.mjs "$report" "$screenshot"
