#!/usr/bin/env bash
# Regenerates the README's pictures of the --html reports (docs/html-*.png) from the bundled sample data:
# writes each report, then has headless Chromium (Debian's chromium; CHROMIUM=/path overrides) photograph it.
# Usage: docs/screenshots.sh            (builds bin/leakscope.jar first when it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
[ -n "$browser" ] || { echo "docs/screenshots.sh: no chromium (apt-get install chromium)" >&2; exit 2; }
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin/logscan testdata/dbgview/resmon_soak_leaking.log testdata/dbgview/resmon_user_x64_exit_report.log \
  --html "$work/logscan.html" > /dev/null
bin/leakdiff testdata/umdh/leaky_1.log testdata/umdh/leaky_2.log testdata/umdh/leaky_3_restarted_crlf.log --trend \
  --html "$work/leakdiff-trend.html" > /dev/null
bin/leakdiff testdata/umdh/leaky_1.log testdata/umdh/leaky_2.log --html "$work/leakdiff.html" > /dev/null
bin/dumpscan testdata/minidump/sample.dmp --symbols-path testdata/minidump/symbols --html "$work/dumpscan.html" \
  > /dev/null

# name:height in CSS pixels (the top of each page: what a reader sees first)
for shot in logscan:1500 leakdiff-trend:1000 leakdiff:700 dumpscan:1200; do
  name=${shot%%:*}
  "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking \
    --user-data-dir="$work/profile" --window-size=1200,"${shot##*:}" --screenshot="docs/html-$name.png" \
    "file://$work/$name.html" > /dev/null 2>&1
  echo "docs/html-$name.png"
done
