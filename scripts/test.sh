#!/usr/bin/env bash
# The whole suite: ruff, import contracts, then pytest on SQLite (browser tests included) and, side by
# side with it, pytest on PostgreSQL when one is reachable. Extra arguments go to both pytest runs (e.g. `-k groups`).
# Under CI=true PostgreSQL is required and a skipped test fails the run (.ci/run installs everything).
# PYTEST_WORKERS=0 runs without pytest-xdist (default: 2 workers).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# Compiled modules are kept (in __pycache__, which git ignores) instead of compiled again in every
# process: each pytest worker, and each flask, pip and pytest subprocess the tests start, spent
# seconds of CPU compiling core, the plugins and the tests from source (7 s in a collection alone).
unset PYTHONDONTWRITEBYTECODE
started=$(date +%s)
workers=${PYTEST_WORKERS:-2}
ci=${CI:-}
pg_url=${COMMONGROUND_TEST_DATABASE_URL:-}
unset COMMONGROUND_TEST_DATABASE_URL  # the first run is the SQLite one
total_passed=0
total_failed=0
total_skipped=0
status=0

since() { echo "$(( $(date +%s) - $1 ))s"; }

echo "== ruff"
$BIN/ruff check .
echo "== import contracts"
$BIN/lint-imports --no-cache --no-logo

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_pytest LABEL ARGS...: one pytest run; its output goes to $tmp/LABEL.log, its exit code and
# seconds to $tmp/LABEL.rc (run in the background, so nothing here may touch the totals).
run_pytest() {
  local label=$1 t0 rc
  shift
  t0=$(date +%s)
  local args=(-q -rfEs --durations=5)
  # worksteal: each worker starts on its own half of the suite, in file order, and takes tests
  # off the other's end when it runs out; with the default (load) both workers got tests of
  # nearly every module, so each built the apps of nearly every module (a 400-test slice: 31
  # builds instead of 24, 12 instead of 9 CPU seconds), and the last chunks set the tail.
  [ "$workers" != "0" ] && args+=(-n "$workers" --dist worksteal)
  [ "$ci" = "true" ] && args+=(-W error::pytest.PytestUnraisableExceptionWarning)
  set +e
  $BIN/pytest "${args[@]}" "$@" >"$tmp/$label.log" 2>&1
  rc=$?
  set -e
  echo "$rc $(( $(date +%s) - t0 ))" >"$tmp/$label.rc"
}

# report LABEL: prints a finished run's output and adds its counts to the totals.
report() {
  local label=$1 rc seconds summary passed failed errors skipped
  read -r rc seconds <"$tmp/$label.rc"
  echo "== pytest on $label"
  cat "$tmp/$label.log"
  summary=$(grep -E '(passed|failed|error|skipped|no tests ran).* in [0-9.]+s' "$tmp/$label.log" | tail -n 1 || true)
  count() { grep -oE "[0-9]+ $1" <<<"$summary" | grep -oE '^[0-9]+' || echo 0; }
  passed=$(count passed); failed=$(count failed); errors=$(count 'errors?'); skipped=$(count skipped)
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed + errors))
  total_skipped=$((total_skipped + skipped))
  echo "-- $label: ${summary:-no summary} (exit $rc, ${seconds}s)"
  if [ "$rc" -eq 5 ] && [ "$label" = PostgreSQL ]; then
    echo "-- $label: nothing selected (browser and database_independent tests run on SQLite only)"
  elif [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ]; then
    status=1
  fi
  if [ "$ci" = "true" ] && [ "$skipped" -ne 0 ]; then
    echo "-- $label: $skipped test(s) skipped; nothing may be skipped under CI" >&2
    status=1
  fi
}

if [ -z "$pg_url" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_url=postgresql://postgres@127.0.0.1:5432/postgres
fi
labels=(SQLite)
if [ -n "$pg_url" ]; then
  labels+=(PostgreSQL)
elif [ "$ci" = "true" ]; then
  echo "PostgreSQL is required under CI: set COMMONGROUND_TEST_DATABASE_URL" >&2
  status=1
else
  echo "(PostgreSQL not reachable: set COMMONGROUND_TEST_DATABASE_URL to run the suite against it too)"
fi

# The two databases' runs go side by side: each alone leaves a core idle for long stretches (browser
# tests waiting on Chromium, subprocess suites, PostgreSQL's own work), so together they take much
# less than one after the other. TEST_DATABASES_IN_TURN=1 runs them in turn (e.g. to time one).
echo "== pytest on ${labels[*]}$([ ${#labels[@]} -gt 1 ] && [ -z "${TEST_DATABASES_IN_TURN:-}" ] && echo ' side by side'); each run's output follows when it ends"
run_pytest SQLite "$@" &
sqlite_run=$!
if [ -n "${TEST_DATABASES_IN_TURN:-}" ]; then
  wait "$sqlite_run" || true
fi
if [ -n "$pg_url" ]; then
  # Browser tests drive pages, not SQL, and a database_independent test (a subprocess suite, a pure
  # function) proves nothing about the database: the SQLite run covers them; this run deselects them.
  COMMONGROUND_TEST_DATABASE_URL=$pg_url run_pytest PostgreSQL -m "not browser and not database_independent" "$@" &
fi
wait
for label in "${labels[@]}"; do
  report "$label"
done

echo "== make test took $(since "$started")"
echo "total: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit $status
