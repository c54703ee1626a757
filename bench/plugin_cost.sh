#!/usr/bin/env bash
# The real plugins' cost in CPU per request, page by page, in alternating pairs (bench/plugin_cost.py):
# one gunicorn worker per side, both on CPU 1, the client on CPU 0. Rendered pages by default;
# BENCH_PAGE_CACHE=on measures pages as served (the page cache on).
#   bash bench/plugin_cost.sh        (BENCH_PAIRS=150 BENCH_BATCH=10)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BENCH_VENV:-$ROOT/.venv}/bin
[ "${BENCH_PAGE_CACHE:-off}" = on ] || export COMMONGROUND_PAGE_CACHE_BYTES=0
source bench/servers.sh

echo "load before: $(uptime)"
seed_both
serve none "$ROOT" bench.cg_app:app "$tmp/none.sqlite" 1 1
serve real "$ROOT" bench.cg_app:app "$tmp/real.sqlite" 1 1
wait_and_log_in none real
worker() { pgrep -P "${MASTER[$1]}"; }
echo "page cache: ${BENCH_PAGE_CACHE:-off}"
mkdir -p bench/results
raw="bench/results/plugin-cost-$(date -u +%Y%m%dT%H%M%SZ).tsv"
taskset -c 0 "$BIN/python" -m bench.plugin_cost --raw "$raw" --pairs "${BENCH_PAIRS:-150}" --batch "${BENCH_BATCH:-10}" \
  --none "${PORT[none]}:$(worker none):${COOKIE[none]}" --real "${PORT[real]}:$(worker real):${COOKIE[real]}" \
  --page "group feed, 20 posts=/g/bench-group" --page "post page, 3 comments=/g/bench-group/p/$POST_ID" \
  --page "directory search=/g/?q=bench" --page "search=/search?q=check"
echo "load after: $(uptime)"
