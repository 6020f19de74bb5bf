#!/usr/bin/env bash
# Runs every EdgeCancer test against real peers. Installs what the tests need from Debian when missing,
# starts a throwaway PostgreSQL, runs `dotnet test` on the solution and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

need_apt=()
command -v dcmdump   >/dev/null || need_apt+=(dcmtk)
command -v dciodvfy  >/dev/null || need_apt+=(dicom3tools)
[ -d /usr/lib/python3/dist-packages/pydicom ] || need_apt+=(python3-pydicom)
command -v Orthanc   >/dev/null || [ -x /usr/sbin/Orthanc ] || need_apt+=(orthanc)
command -v gdcmconv  >/dev/null || need_apt+=(libgdcm-tools)
[ -x /usr/bin/chromium ]          || need_apt+=(chromium)   # Browser.Tests: Playwright drives Debian's chromium
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing from Debian: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null || { echo "apt-get install failed"; exit 1; }
fi

# Throwaway PostgreSQL (initdb refuses root, so it runs as the postgres user).
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${EDGECANCER_PGPORT:-55432}
PGTMP=$(mktemp -d)
chown postgres:postgres "$PGTMP"; chmod 700 "$PGTMP"
stop_pg() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$PGTMP"; }
trap stop_pg EXIT
if runuser -u postgres -- "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --no-locale >"$PGTMP/initdb.log" 2>&1 \
   && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP" start >/dev/null \
   && runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres edgecancer_test; then
  export EDGECANCER_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=edgecancer_test"
  echo "PostgreSQL started on 127.0.0.1:$PGPORT"
else
  echo "PostgreSQL could not be started; PostgreSQL tests will fail"; cat "$PGTMP/initdb.log" 2>/dev/null | tail -5
fi

export TCP_NODELAY=1   # DCMTK peers otherwise leave Nagle on (ENVIRONMENT.md)
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
dotnet build EdgeCancer.sln -c Release -v q -nologo || { echo "build failed"; "$ROOT/scripts/summarize-trx.sh" "$RESULTS" 1; exit 1; }
dotnet test EdgeCancer.sln -c Release --no-build -nologo -v q \
  --logger "trx" --results-directory "$RESULTS" "$@"
status=$?

"$ROOT/scripts/summarize-trx.sh" "$RESULTS" "$status"
