#!/usr/bin/env bash
# Prints "N passed, N failed, N skipped" from the TRX files in a results folder (dotnet test does not print that form).
# Usage: summarize-trx.sh RESULTS_DIR [EXIT_STATUS_OF_DOTNET_TEST]
set -uo pipefail
results=${1:?results folder}; status=${2:-0}
passed=0; failed=0; skipped=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed); f=$(get failed); t=$(get total); x=$(get executed); e=$(get error); o=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${o:-0} + ${a:-0})); total=$((total + ${t:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done
# A build or runner failure that produced no result still counts as a failure.
if [ "$total" -eq 0 ] && [ "$status" -ne 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
