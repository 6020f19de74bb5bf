#!/usr/bin/env bash
# Inference benchmark (issue 4), loopback only, in one run:
#   1. per-image latency (p50/p95/mean) and images/s of the classifier at batch 1 (every active model: ResNet18
#      backbone + body-part + chest-malignancy heads), on chest and head images, in-process (ingest-tools inference);
#   2. time from the last slice of a 300-slice chest series (sent by storescu) to its "AI series summary" SR, as seen
#      by findscu, on a node running `serve --roles scp,worker`, with the node's per-stage time breakdown (from its
#      "Inference queue drained" log lines), images/s, peak RSS up to the summary, and the background heatmaps made
#      afterwards.
#
#   benchmarks/inference/run.sh            # about 5-15 minutes on 2 cores
#
# Environment (all optional):
#   SLICES=300           slices of the chest series (512x512 CT from `edgecancer synth --body chest --seed 5`)
#   HEAD_SLICES=40       slices of the head series used for the head latency figure (0: skip)
#   N=100                images timed per series in the latency part (after 5 warm-up calls)
#   QUIET=10             Inference:QuietPeriodSeconds of the node
#   GIVE_UP=1200         seconds to wait for the summary SR before giving up
#   WORKERS=             Inference:Workers of the node (default: the node's default, the processor count)
#   HEATMAP_WAIT=120     seconds to wait after the summary for the background heatmaps (0: don't wait)
#   BASE_PORT=21400      DICOM port BASE_PORT+1 on 127.0.0.1
#   BENCH_DIR=DIR        work folder (default /tmp/edgecancer-ibench); generated series are kept and reused, the node's
#                        data folder is new each run and removed at the end unless KEEP=1
#   SKIP_BUILD=1 SKIP_LATENCY=1 SKIP_SUMMARY=1   skip a part
#
# Needs: dotnet SDK, DCMTK (storescu, findscu, echoscu, dcmdump), sqlite3, the models/ folder of this repository (the ResNet18
# ONNX is found in the NuGet package folder, as `edgecancer models verify` does).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SLICES=${SLICES:-300}
HEAD_SLICES=${HEAD_SLICES:-40}
N=${N:-100}
QUIET=${QUIET:-10}
WORKERS=${WORKERS:-}
HEATMAP_WAIT=${HEATMAP_WAIT:-120}
GIVE_UP=${GIVE_UP:-1200}
BASE_PORT=${BASE_PORT:-21400}
PORT=$((BASE_PORT + 1))
AE=EDGECANCER
MODELS="$ROOT/models"
WORK=${BENCH_DIR:-/tmp/edgecancer-ibench}

EDGECANCER="$ROOT/src/Host/bin/Release/net10.0/linux-x64/edgecancer"
TOOLS="$ROOT/benchmarks/Ingest.Tools/bin/Release/net10.0/linux-x64/ingest-tools"

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo MISS; }

for tool in storescu findscu echoscu dcmdump; do command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dcmtk)"; done
mkdir -p "$WORK"

NODE_PID=""
NODE_DIR=""
cleanup() {
  if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
  if [ -n "$NODE_DIR" ] && [ -z "${KEEP:-}" ]; then rm -rf "$NODE_DIR"; fi
}
trap cleanup EXIT
stop_node() {
  local i
  [ -n "$NODE_PID" ] || return 0
  kill "$NODE_PID" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=""
}

# ---- build --------------------------------------------------------------------------------------------------------
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building Release (src/Host, benchmarks/Ingest.Tools)"
  dotnet build "$ROOT/src/Host" -c Release -v q -nologo >/dev/null || die "build of src/Host failed"
  dotnet build "$ROOT/benchmarks/Ingest.Tools" -c Release -v q -nologo >/dev/null || die "build of benchmarks/Ingest.Tools failed"
fi
[ -x "$EDGECANCER" ] || die "$EDGECANCER not built"
[ -x "$TOOLS" ] || die "$TOOLS not built"

# ---- series -------------------------------------------------------------------------------------------------------
synth() { # DIR BODY SLICES SEED
  local dir=$1 body=$2 slices=$3 seed=$4
  if [ "$(find "$dir" -name '*.dcm' 2>/dev/null | wc -l)" -ne "$slices" ]; then
    log "generating a $slices-slice $body series in $dir"
    rm -rf "$dir"
    "$EDGECANCER" synth --out "$dir" --patients 1 --slices "$slices" --body "$body" --seed "$seed" >/dev/null
  fi
}
CHEST="$WORK/chest-$SLICES"
synth "$CHEST" chest "$SLICES" 5
HEAD=""
if [ "$HEAD_SLICES" -gt 0 ]; then HEAD="$WORK/head-$HEAD_SLICES"; synth "$HEAD" head "$HEAD_SLICES" 6; fi

# ---- latency ------------------------------------------------------------------------------------------------------
if [ -z "${SKIP_LATENCY:-}" ]; then
  log "latency: $N chest images${HEAD:+ and $(( N < HEAD_SLICES ? N : HEAD_SLICES )) head images}, batch 1, 5 warm-up calls, one at a time"
  read -r L_CHEST_P50 L_CHEST_P95 L_CHEST_MEAN L_CHEST_IPS L_CHEST_COUNT L_CHEST_LABELS < <("$TOOLS" inference --models "$MODELS" --files "$CHEST" --n "$N") \
    || die "ingest-tools inference (chest) failed"
  if [ -n "$HEAD" ]; then
    read -r L_HEAD_P50 L_HEAD_P95 L_HEAD_MEAN L_HEAD_IPS L_HEAD_COUNT L_HEAD_LABELS < <("$TOOLS" inference --models "$MODELS" --files "$HEAD" --n "$N") \
      || die "ingest-tools inference (head) failed"
  fi
fi

# ---- last slice to summary SR ---------------------------------------------------------------------------------------
if [ -z "${SKIP_SUMMARY:-}" ]; then
  FIRST=$(find "$CHEST" -name '*.dcm' | sort | head -n 1)
  STUDY=$(dcmdump +P StudyInstanceUID "$FIRST" | sed -n 's/.*\[\(.*\)\].*/\1/p' | head -n 1)
  [ -n "$STUDY" ] || die "no StudyInstanceUID in $FIRST"
  NODE_DIR=$(mktemp -d "$WORK/node.XXXXXX")
  log "summary: starting serve --roles scp,worker on 127.0.0.1:$PORT, quiet period $QUIET s (log: $NODE_DIR/node.log)"
  env EDGECANCER_Inference__QuietPeriodSeconds="$QUIET" EDGECANCER_Logging__LogLevel__Default=Warning \
    "EDGECANCER_Logging__LogLevel__EdgeCancer.Inference.Pipeline=Information" ${WORKERS:+EDGECANCER_Inference__Workers=$WORKERS} \
    "$EDGECANCER" serve --roles scp,worker --data "$NODE_DIR/data" --dicom-port "$PORT" --models "$MODELS" >"$NODE_DIR/node.log" 2>&1 &
  NODE_PID=$!
  for i in $(seq 1 150); do
    if TCP_NODELAY=1 echoscu -aec "$AE" 127.0.0.1 "$PORT" >/dev/null 2>&1; then break; fi
    kill -0 "$NODE_PID" 2>/dev/null || die "the node exited; see $NODE_DIR/node.log"
    sleep 0.2
  done
  log "summary: sending $SLICES slices with storescu"
  SEND_START=$(date +%s.%N)
  TCP_NODELAY=1 storescu -aec "$AE" +sd +r +sp '*.dcm' 127.0.0.1 "$PORT" "$CHEST" >"$NODE_DIR/storescu.log" 2>&1 \
    || die "storescu failed; see $NODE_DIR/storescu.log"
  SENT=$(date +%s.%N)
  SEND_SECONDS=$(calc "$SENT - $SEND_START" 1)
  log "summary: storescu finished in $SEND_SECONDS s; polling findscu every second for \"AI series summary\""
  SUMMARY_SECONDS=""
  while :; do
    now=$(date +%s.%N)
    if awk "BEGIN { exit !($now - $SENT > $GIVE_UP) }"; then break; fi
    if TCP_NODELAY=1 findscu -S -aec "$AE" -k QueryRetrieveLevel=SERIES -k StudyInstanceUID="$STUDY" -k SeriesDescription \
         127.0.0.1 "$PORT" 2>&1 | grep -q 'AI series summary'; then
      SUMMARY_SECONDS=$(calc "$(date +%s.%N) - $SENT" 1)
      break
    fi
    sleep 1
  done
  NODE_RSS=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$NODE_PID/status" 2>/dev/null || echo "?")
  SR_COUNT=$(TCP_NODELAY=1 findscu -S -aec "$AE" -k QueryRetrieveLevel=IMAGE -k StudyInstanceUID="$STUDY" -k SeriesInstanceUID -k Modality=SR -k SOPInstanceUID \
               127.0.0.1 "$PORT" 2>&1 | grep -c 'SOPInstanceUID' || true)
  # Background heatmaps: one per image at or above the malignancy threshold, made once the series is done.
  HEATMAPS=0
  HEATMAP_SECONDS=""
  if [ -n "$SUMMARY_SECONDS" ] && [ "$HEATMAP_WAIT" -gt 0 ]; then
    HSTART=$(date +%s.%N)
    while :; do
      HEATMAPS=$({ find "$NODE_DIR/data/heatmaps" -name '*.pgm' 2>/dev/null || true; } | wc -l)
      QUEUED=$(sqlite3 "$NODE_DIR/data/index.db" "SELECT COUNT(*) FROM work_queue WHERE kind = 'heatmap'" 2>/dev/null || echo "?")
      OPEN=$(sqlite3 "$NODE_DIR/data/index.db" "SELECT COUNT(*) FROM work_queue WHERE kind = 'heatmap' AND state IN ('pending','claimed')" 2>/dev/null || echo "?")
      if [ "$OPEN" = "0" ]; then HEATMAP_SECONDS=$(calc "$(date +%s.%N) - $HSTART" 1); break; fi
      if awk "BEGIN { exit !($(date +%s.%N) - $HSTART > $HEATMAP_WAIT) }"; then break; fi
      sleep 1
    done
  fi
  NODE_RSS_END=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$NODE_PID/status" 2>/dev/null || echo "?")
  stop_node
  MEMORY=$(grep -o 'memory rss=.*' "$NODE_DIR/node.log" | tail -n 1 || true)
  # Per-stage breakdown: sum of the node's "Inference queue drained: images=N wall=Ws … stage=MEANms/TOTALs …" lines.
  STAGES=$(grep -o 'Inference queue drained: .*' "$NODE_DIR/node.log" | awk '
    { for (i = 4; i <= NF; i++) { split($i, kv, "="); k = kv[1]; v = kv[2]
        if (k == "images") images += v; else if (k == "wall") { sub("s", "", v); wall += v }
        else if (v ~ /ms\//) { split(v, p, "/"); sub("s", "", p[2]); tot[k] += p[2]; if (!(k in seen)) { seen[k] = 1; order[++n] = k } } } }
    END { if (images == 0) { print "no drained line in the node log"; exit }
          printf "%d images in %.1f s of busy wall time (%.1f images/s); per image (summed over workers):", images, wall, images / wall
          for (j = 1; j <= n; j++) printf " %s %.1f ms", order[j], tot[order[j]] * 1000 / images
          printf "\n" }')
fi

# ---- report -------------------------------------------------------------------------------------------------------
echo
echo "EdgeCancer inference benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(uname -r), loopback"
if [ -z "${SKIP_LATENCY:-}" ]; then
  echo "Classifier.Predict per image (open + decode + HU + windows + resize + ResNet18 + heads), batch 1, after 5 warm-up calls:"
  echo "  chest ($L_CHEST_COUNT of $SLICES slices): p50 $L_CHEST_P50 ms  p95 $L_CHEST_P95 ms  mean $L_CHEST_MEAN ms  $L_CHEST_IPS images/s   [predicted body part=p50/p95/mean: $L_CHEST_LABELS]"
  if [ -n "$HEAD" ]; then
    echo "  head  ($L_HEAD_COUNT of $HEAD_SLICES slices): p50 $L_HEAD_P50 ms  p95 $L_HEAD_P95 ms  mean $L_HEAD_MEAN ms  $L_HEAD_IPS images/s   [predicted body part=p50/p95/mean: $L_HEAD_LABELS]"
  fi
  echo "  batched: not supported — the ResNet18 ONNX (CNTK export) has a fixed batch dimension of 1; no batched figure"
  echo "  <= 30 ms per image (chest p50): $(verdict "$L_CHEST_P50 <= 30")"
fi
if [ -z "${SKIP_SUMMARY:-}" ]; then
  echo "Last slice to summary SR ($SLICES-slice chest series, storescu took $SEND_SECONDS s, quiet period $QUIET s, serve --roles scp,worker):"
  if [ -n "$SUMMARY_SECONDS" ]; then
    echo "  summary SR found by findscu $SUMMARY_SECONDS s after storescu finished ($SR_COUNT SR instances in the study; node peak RSS $NODE_RSS MB up to the summary)"
    echo "  <= quiet + 10 s ($((QUIET + 10)) s): $(verdict "$SUMMARY_SECONDS <= $QUIET + 10")"
  else
    echo "  no summary SR within $GIVE_UP s ($SR_COUNT SR instances in the study)"
    echo "  <= quiet + 10 s ($((QUIET + 10)) s): MISS"
  fi
  echo "  node stages: $STAGES"
  echo "  node ${MEMORY:-memory: no drained line} (at the last drained queue)"
  echo "  background heatmaps: $HEATMAPS written of ${QUEUED:-?} queued (images at or above the malignancy threshold)${HEATMAP_SECONDS:+, all done $HEATMAP_SECONDS s after the summary}; node peak RSS at the end $NODE_RSS_END MB"
  echo "  peak RSS < 300 MB (up to the summary): $(verdict "${NODE_RSS:-9999} < 300")"
fi
echo "total run time: $SECONDS s; load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
