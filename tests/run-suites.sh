#!/usr/bin/env bash
# The whole suite on SQLite and, when HRMS_TEST_DATABASE_URL is set, on PostgreSQL.
# The two runs share nothing (each its own temporary folder and pytest cache; the SQLite run
# never reads HRMS_TEST_DATABASE_URL), so they run side by side: on a two-core machine that
# takes about as long as the PostgreSQL run alone. Each run's output is printed when it ends.
set -uo pipefail
pytest=${1:?usage: run-suites.sh path/to/pytest}
runs=$(mktemp -d "${TMPDIR:-/tmp}/hrms-suites.XXXXXX")
trap 'rm -rf "$runs"' EXIT

suite() {  # name, then the environment command that runs pytest
  local name=$1
  shift
  "$@" "$pytest" --basetemp="$runs/$name/tmp" -o cache_dir="$runs/$name/cache" \
    >"$runs/$name.log" 2>&1
  echo $? >"$runs/$name.rc"
}

if [ -z "${HRMS_TEST_DATABASE_URL:-}" ]; then
  "$pytest"
  status=$?
  echo "HRMS_TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run always sets it)"
  exit $status
fi

echo "== the suite on SQLite and on PostgreSQL, side by side (each printed when it ends) =="
mkdir -p "$runs/sqlite" "$runs/postgresql"
suite sqlite env -u HRMS_TEST_DATABASE_URL &
suite postgresql env &
wait
status=0
for name in sqlite postgresql; do
  echo "== $name =="
  cat "$runs/$name.log"
  [ "$(cat "$runs/$name.rc")" = 0 ] || status=1
done
exit $status
