#!/usr/bin/env bash
# Render a scored workbook to PDF and PNG pages to look at it as a person would (not part of CI).
#   tools/render_workbook.sh [OUT_DIR]
# Needs LibreOffice and poppler (Debian: libreoffice-calc poppler-utils; fonts-noto-cjk for Chinese).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/scoring-render}
mkdir -p "$out"
python3 -m scoring examples/shanghai-2026/targets.json examples/shanghai-2026/actuals.json -o "$out/result.xlsx" || true
soffice --headless --convert-to pdf --outdir "$out" "$out/result.xlsx" >/dev/null
pdftoppm -png -r 70 "$out/result.pdf" "$out/page"
ls "$out"/page*.png
