#!/usr/bin/env bash
# The real plugins' cost in CPU per request, page by page, in alternating pairs (bench/plugin_cost.py):
# one gunicorn worker per side, both on CPU 1, the client on CPU 0. Rendered pages by default;
# BENCH_PAGE_CACHE=on measures pages as served (the page cache on). BENCH_ROUNDS rounds, each with a
# new pair of servers (the one started first alternates): fresh processes differ by more than a
# round's pairs do, so the summary's interval is over the rounds.
#   bash bench/plugin_cost.sh        (BENCH_ROUNDS=5 BENCH_PAIRS=100 BENCH_BATCH=10; BENCH_PAGES=post for the post page only;
#                                     BENCH_BLOCKS=2: the real side's member blocks two people outside the group)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BENCH_VENV:-$ROOT/.venv}/bin
[ "${BENCH_PAGE_CACHE:-off}" = on ] || export COMMONGROUND_PAGE_CACHE_BYTES=0
source bench/servers.sh

echo "load before: $(uptime)"
seed_both
pages=(--page "post page, 3 comments=/g/bench-group/p/$POST_ID")
[ "${BENCH_PAGES:-all}" = post ] || pages=(--page "group feed, 20 posts=/g/bench-group" "${pages[@]}"
  --page "directory search=/g/?q=bench" --page "search=/search?q=check")
echo "page cache: ${BENCH_PAGE_CACHE:-off}"
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
worker() { pgrep -P "${MASTER[$1]}"; }
raws=()
for round in $(seq 1 "${BENCH_ROUNDS:-5}"); do
  order=(none real)
  [ $((round % 2)) = 0 ] && order=(real none)
  for side in "${order[@]}"; do
    serve "$side" "$ROOT" bench.cg_app:app "$tmp/$side.sqlite" 1 1
  done
  wait_and_log_in none real
  raw="bench/results/plugin-cost-$stamp-round$round.tsv"
  raws+=("$raw")
  echo "round $round ($(date -u +%H:%M:%S), ${order[0]} started first)"
  taskset -c 0 "$BIN/python" -m bench.plugin_cost --raw "$raw" --pairs "${BENCH_PAIRS:-100}" \
    --batch "${BENCH_BATCH:-10}" "${pages[@]}" \
    --none "${PORT[none]}:$(worker none):${COOKIE[none]}" --real "${PORT[real]}:$(worker real):${COOKIE[real]}"
  kill "${MASTER[none]}" "${MASTER[real]}"
  wait "${MASTER[none]}" "${MASTER[real]}" 2>/dev/null || true
done
echo
"$BIN/python" -m bench.plugin_cost --summarize "${raws[@]}"
echo "load after: $(uptime)"
