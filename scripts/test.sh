#!/usr/bin/env bash
# The whole suite: lint, SQLite run (with browser tests), then the PostgreSQL run.
# Under CI=true nothing may be skipped: PostgreSQL and Chromium must be there (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYTHONDONTWRITEBYTECODE=1
$BIN/ruff check .
$BIN/lint-imports
extra=()
if [ "${CI:-}" = "true" ]; then extra+=(-W error::pytest.PytestUnraisableExceptionWarning); export COMMONGROUND_TEST_NO_SKIP=1; fi
echo "== SQLite"
$BIN/pytest -n 2 -q "${extra[@]}" "$@"
PG_URL="${COMMONGROUND_TEST_DATABASE_URL:-}"
if [ -z "$PG_URL" ] && pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  PG_URL="postgresql://postgres@127.0.0.1:5432/postgres"
fi
if [ -n "$PG_URL" ]; then
  echo "== PostgreSQL"
  COMMONGROUND_TEST_DATABASE_URL="$PG_URL" $BIN/pytest -n 2 -q --ignore=tests/browser "${extra[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required under CI" >&2
  exit 1
else
  echo "(PostgreSQL not reachable: set COMMONGROUND_TEST_DATABASE_URL to run the suite against it too)"
fi
