#!/usr/bin/env bash
# Instructions per request (valgrind callgrind) of the scale run's pages on an already seeded database,
# rendered (page cache off) and cached: load-independent, unlike the CPU times of bench/scale.py.
#   bash bench/scale_instructions.sh DATABASE_URL POSTS ["feed, cursor deep"]   (BENCH_REQUESTS=20)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_VENV:-$(pwd)/.venv}/bin
DB=$1 POSTS=$2 PAGE=${3:-} REQUESTS=${BENCH_REQUESTS:-20}
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export PYTHONHASHSEED=0
echo "load before: $(uptime)"
printf 'database\tposts\tpage\tmode\tmillion instructions per request\n'
for mode in rendered cached; do
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \
    --callgrind-out-file="$tmp/cg.out" "$BIN/python" -m bench.scale --measure-only --database "$DB" \
    --posts "$POSTS" --page "$PAGE" --cache "$mode" --instructions "$REQUESTS" >"$tmp/out" 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  [ "$(wc -l <"$tmp/out")" = 1 ] || { echo "select exactly one page (got: $(cut -f3 "$tmp/out" | tr '\n' ','))" >&2; exit 1; }
  total=$(grep -E "^(summary|totals):" "$tmp/cg.out" | tail -1 | awk '{print $2}')
  printf '%s\t%.2f\n' "$(cut -f1-4 "$tmp/out")" "$(echo "$total / $REQUESTS / 1000000" | bc -l)"
done
echo "load after: $(uptime)"
