#!/usr/bin/env bash
# Parse benchmark (issue 2): our header-only and full parse of a synthetic 300-slice 512×512 CT series beside
# DCMTK's dcmdump on the same files in the same run, with the ratio. Usage: benchmarks/parse.sh [WORK_DIR]
# The series is generated once into WORK_DIR/ct (default ${TMPDIR:-/tmp}/edgecancer-parse-bench) and reused.
# For BenchmarkDotNet's fuller statistics instead:
#   dotnet run -c Release --project benchmarks/Dicom.Benchmarks -- WORK_DIR/ct
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/edgecancer-parse-bench}"
series="$work/ct"
slices=300

if ! command -v dcmdump >/dev/null 2>&1; then
  echo "dcmdump is missing; install it with: sudo apt-get install dcmtk" >&2
  exit 2
fi

cd "$repo"
count=$(find "$series" -name '*.dcm' 2>/dev/null | wc -l || true)
if [ "$count" -ne "$slices" ]; then
  echo "Generating $slices slices into $series ..." >&2
  rm -rf "$series"
  dotnet run --project src/Host -c Release -- synth --out "$series" --patients 1 --slices "$slices" --body chest >&2
fi

echo "Building the benchmark (Release) ..." >&2
dotnet build benchmarks/Dicom.Benchmarks/EdgeCancer.Dicom.Benchmarks.csproj -c Release -v q -nologo >&2
dll=$(find benchmarks/Dicom.Benchmarks/bin/Release -name EdgeCancer.Dicom.Benchmarks.dll | head -n 1)
dotnet "$dll" --quick "$series"
