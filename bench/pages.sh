#!/usr/bin/env bash
# Every logged-in page against a bare Flask hello, with no plugin and with the real built-in plugins
# enabled (reporting, helpcenter, mentorship, resources, conversations), side by side in one run:
# gunicorn -w 2 (sync) per server on 127.0.0.1, wrk -t2 -c16, rounds in rotating order; req/s and
# the server workers' CPU per request (from /proc). Optional: BENCH_BEFORE=/path/to/an/older/tree
# serves the same databases from that tree too ("before" columns).
#   bash bench/pages.sh        (BENCH_DURATION=5 BENCH_ROUNDS=3 BENCH_CONNECTIONS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BENCH_VENV:-$ROOT/.venv}/bin
DURATION=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
BEFORE=${BENCH_BEFORE:-}
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
source bench/servers.sh

echo "load before: $(uptime)"
echo "Seeding ..."
seed_both
servers=(hello none real)
serve hello "$ROOT" bench.hello_app:app
serve none "$ROOT" bench.cg_app:app "$tmp/none.sqlite"
serve real "$ROOT" bench.cg_app:app "$tmp/real.sqlite"
if [ -n "$BEFORE" ]; then
  for side in none real; do  # the older tree does not know this tree's newest migrations: same data, its head
    "$BIN/python" - "$tmp/$side.sqlite" "$tmp/before-$side.sqlite" "$BEFORE" <<'PY'
import pathlib, re, sqlite3, sys
source, db, tree = sys.argv[1:]
sqlite3.connect(source).backup(sqlite3.connect(db))  # WAL included
known = {re.search(r"^revision = ['\"](.+?)['\"]", p.read_text(), re.M).group(1)
         for p in pathlib.Path(tree, "core/migrations/versions").glob("*.py")}
con = sqlite3.connect(db)
for (rev,) in con.execute("select version_num from alembic_version").fetchall():
    if rev.startswith("core_") and rev not in known:
        con.execute("update alembic_version set version_num='core_scale_indexes' where version_num=?", (rev,))
con.commit()
PY
    serve "before-$side" "$BEFORE" bench.cg_app:app "$tmp/before-$side.sqlite"
  done
  servers+=(before-none before-real)
fi
wait_and_log_in "${servers[@]}"

declare -A PATHS=([feed]="/g/bench-group" [post]="/g/bench-group/p/$POST_ID" [directory]="/g/?q=bench" [search]="/search?q=check")
# What is measured is what we think: logged in, 20 posts, the plugins' output only where enabled.
"$BIN/python" - "${PORT[none]}" "${COOKIE[none]}" "${PORT[real]}" "${COOKIE[real]}" <<'PY'
import sys, urllib.request
none_port, none_cookie, real_port, real_cookie = sys.argv[1:]
def get(port, cookie, path="/g/bench-group"):
    from bench.login import USER_AGENT
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    return urllib.request.urlopen(req, timeout=30).read().decode()
none, real = get(none_port, none_cookie), get(real_port, real_cookie)
for name, page in (("none", none), ("real", real)):
    assert page.count("Weekly check-in #") == 20 and "Log out" in page, name
assert "/messages" not in none and "/messages" in real, "conversations' nav item only where enabled"
assert "Bench Group" in get(none_port, none_cookie, "/g/?q=bench")
assert "check" in get(none_port, none_cookie, "/search?q=check").lower()
print("Checked: logged in, 20 posts, plugin output only where enabled, directory search and search find.")
PY

worker_ticks() { local total=0 pid stat f; for pid in $(pgrep -P "$1"); do stat=$(<"/proc/$pid/stat"); stat=${stat##*) }; read -r -a f <<<"$stat"; total=$((total + f[11] + f[12])); done; echo "$total"; }
TICK_MS=$((1000 / $(getconf CLK_TCK)))
run_wrk() {  # run_wrk SERVER PATH -> "req/s cpu-ms"
  local args=(-t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s) out before after
  [ -n "${COOKIE[$1]:-}" ] && args+=(-H "Cookie: ${COOKIE[$1]}" -H "User-Agent: $AGENT")
  before=$(worker_ticks "${MASTER[$1]}"); out=$(wrk "${args[@]}" "http://127.0.0.1:${PORT[$1]}$2"); after=$(worker_ticks "${MASTER[$1]}")
  if grep -q "Non-2xx" <<<"$out"; then echo "errors from $1 $2:" >&2; echo "$out" >&2; exit 1; fi
  awk -v ticks=$((after - before)) -v tick_ms="$TICK_MS" '/requests in/ {n=$1} /Requests\/sec/ {rps=$2} END {printf "%s %.3f\n", rps, ticks * tick_ms / n}' <<<"$out"
}

jobs=("hello /")
for page in feed post directory search; do for name in "${servers[@]:1}"; do jobs+=("$name $page"); done; done
for job in "${jobs[@]}"; do set -- $job; wrk -t1 -c4 -d1s ${COOKIE[$1]:+-H "Cookie: ${COOKIE[$1]}" -H "User-Agent: $AGENT"} "http://127.0.0.1:${PORT[$1]}${PATHS[$2]:-/}" >/dev/null; done

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ); raw="bench/results/pages-$stamp.tsv"; : >"$raw"
n=${#jobs[@]}
for round in $(seq 0 $((ROUNDS - 1))); do
  echo "round $((round + 1)) ($(uptime | sed 's/.*load/load/'))"
  for i in $(seq 0 $((n - 1))); do
    set -- ${jobs[$(((i + round * 5) % n))]}
    value=$(run_wrk "$1" "${PATHS[$2]:-/}")
    printf '%s\t%s\t%s\n' "$1" "$2" "${value// /$'\t'}" >>"$raw"
  done
done
echo "load after: $(uptime)"
"$BIN/python" bench/pages_summary.py "$raw" | tee "bench/results/pages-$stamp.md"
