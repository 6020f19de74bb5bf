#!/usr/bin/env bash
# Viewer benchmark (issue 5), loopback only: time to the first image drawn and scrolling speed of the browser viewer
# on a 300-slice 512x512 chest CT series, with Debian's chromium driven by Playwright (nothing downloaded).
#
#   benchmarks/viewer/run.sh [--slices 300] [--matrix 512] [--runs 5] [--work DIR] [--trace DIR] [--no-scroll]
#
# --trace DIR: a Chrome trace of each opening (DIR/open-N.json); --no-scroll: the first-image runs only.
#
# Needs: dotnet SDK, chromium (apt-get install chromium), DCMTK storescu. The series is generated once into
# /tmp/edgecancer-vbench (or --work DIR) and reused. SKIP_BUILD=1 skips the Release build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
command -v storescu >/dev/null || { echo "run.sh: storescu is missing (apt-get install dcmtk)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "run.sh: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build "$ROOT/benchmarks/Viewer.Bench" -c Release -v q -nologo >/dev/null
fi
exec "$ROOT/benchmarks/Viewer.Bench/bin/Release/net10.0/linux-x64/viewer-bench" "$@"
