#!/usr/bin/env bash
# Instructions per request under valgrind (callgrind), for hello and for each page with no plugin and
# with the real built-in plugins enabled. Counts do not depend on the machine's load.
#   bash bench/instructions.sh         (BENCH_REQUESTS=200; BENCH_PAGES="/g/bench-group ...")
# BENCH_BLOCKS=2 adds a third side, "block": the real plugins for a member who blocks two people
# outside the group (the same posts on the page, plus the block filter in its SQL).
# 200 requests, not a handful: Python's full garbage collection costs ~9 M instructions and runs
# every few hundred requests, so a count of 10 requests either caught one (+0.9 M per request) or
# did not – that alone made search look 29 % dearer with the plugins. The last column is the
# collector's share (callgrind's inclusive count of gc_collect_main), the same on both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_VENV:-$(pwd)/.venv}/bin
REQUESTS=${BENCH_REQUESTS:-200}
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export COMMONGROUND_SECRET_KEY=bench COMMONGROUND_MAIL_SPOOL_DIR="$tmp/mail" COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true
export BENCH_PLUGINS=real PYTHONHASHSEED=0
COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$tmp/none.sqlite" "$BIN/python" -m bench.seed --enable "" >/dev/null 2>&1
COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$tmp/real.sqlite" "$BIN/python" -m bench.seed \
  --enable reporting,helpcenter,mentorship,resources,conversations >/dev/null 2>&1
BLOCKS=${BENCH_BLOCKS:-0}
if [ "$BLOCKS" -gt 0 ]; then
  COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$tmp/block.sqlite" "$BIN/python" -m bench.seed \
    --enable reporting,helpcenter,mentorship,resources,conversations --blocks "$BLOCKS" >/dev/null 2>&1
fi
count() {  # count LABEL DB APP PATH
  COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$tmp/$2.sqlite" valgrind --tool=callgrind --collect-atstart=no \
    --toggle-collect=functools_reduce --callgrind-out-file="$tmp/cg.out" \
    "$BIN/python" -m bench.instructions --app "$3" --path "$4" --requests "$REQUESTS" >/dev/null 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  local total gc
  total=$(grep -E "^(summary|totals):" "$tmp/cg.out" | tail -1 | awk '{print $2}')
  # awk reads to the end: leaving early would kill callgrind_annotate with SIGPIPE, and pipefail the script
  gc=$(callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null | awk '/gcmodule.c:gc_collect_main / && !n++ {gsub(",","",$1); print $1}')
  printf '%s\t%s\t%.2f\t%.2f\n' "$1" "$4" "$(echo "$total / $REQUESTS / 1000000" | bc -l)" \
    "$(echo "${gc:-0} / $REQUESTS / 1000000" | bc -l)"
}
echo "load before: $(uptime)"
printf 'side\tpage\tmillion instructions per request\tof which garbage collection\n'
count hello none hello /
for page in ${BENCH_PAGES:-/g/bench-group}; do
  count none none cg "$page"
  count real real cg "$page"
  if [ "$BLOCKS" -gt 0 ]; then count block block cg "$page"; fi
done
echo "load after: $(uptime)"
