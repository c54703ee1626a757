#!/usr/bin/env bash
# Instructions per request (valgrind callgrind) of the scale run's pages on an already seeded database,
# rendered (page cache off) and cached: load-independent, unlike the CPU times of bench/scale.py.
#   bash bench/scale_instructions.sh DATABASE_URL POSTS [PAGE]   (PAGE: part of a label, e.g. "cursor deep";
#   BENCH_REQUESTS=20 per page and mode; BENCH_CACHE=both|rendered|cached)
# One valgrind run: each page and mode's requests run inside one functools.reduce (counted) after a
# math.fsum marker (a new callgrind part), so part k+1 holds the k-th page and mode.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_VENV:-$(pwd)/.venv}/bin
DB=$1 POSTS=$2 PAGE=${3:-} REQUESTS=${BENCH_REQUESTS:-20}
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export PYTHONHASHSEED=0
echo "load before: $(uptime)"
valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce --dump-before=math_fsum \
  --callgrind-out-file="$tmp/cg.out" "$BIN/python" -m bench.scale --measure-only --database "$DB" \
  --posts "$POSTS" --page "$PAGE" --cache "${BENCH_CACHE:-both}" --instructions "$REQUESTS" \
  >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
printf 'database\tposts\tpage\tmode\tmillion instructions per request\n'
part=1
while IFS= read -r line; do
  part=$((part + 1))
  total=$(grep -E "^(summary|totals):" "$tmp/cg.out.$part" | tail -1 | awk '{print $2}')
  printf '%s\t%.2f\n' "$(printf '%s' "$line" | cut -f1-4)" "$(echo "$total / $REQUESTS / 1000000" | bc -l)"
done <"$tmp/out"
echo "load after: $(uptime)"
