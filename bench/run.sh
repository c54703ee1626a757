#!/usr/bin/env bash
# Throughput, side by side in one run, under gunicorn -w 2 on loopback (wrk as load generator):
#   hello    – a bare Flask "hello" (bench/hello_app.py), the baseline of the performance budget;
#   feed     – Common Ground's group page (20 posts), logged in, no plugin enabled;
#   plugins  – the same page with the example plugin and two no-op plugins enabled.
# Targets: feed >= 30% of hello; plugins cost < 10% against feed.
# Each database is seeded into a throwaway directory; every request goes to 127.0.0.1 and each
# measurement is bounded by BENCH_DURATION seconds. Results: stdout and bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN="$ROOT/.venv/bin"
DURATION=${BENCH_DURATION:-6}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
PLUGINS_ENABLED="hello,noop_site,noop_group"
FEED_PATH="/g/bench-group"

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)..."
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else sudo apt-get install -y wrk >/dev/null; fi
fi
# Plugins' German catalogs and the example distribution are what `make bench` prepares too.
"$BIN/python" -c "import commonground_hello" 2>/dev/null || "$BIN/pip" install --quiet -e examples/hello_plugin

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

export COMMONGROUND_SECRET_KEY
COMMONGROUND_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')
export COMMONGROUND_MAIL_SPOOL_DIR="$tmp/mail"
# Two workers counting rate limits in memory would not start (gunicorn.conf.py); the benchmark logs
# in once per server and measures pages, so per-process counters are what it wants.
export COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true

seed() {  # seed DBFILE [PLUGIN,...]
  COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$1" "$BIN/python" -m bench.seed --enable "${2:-}"
}
serve() {  # serve PORT APP [DBFILE]
  COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///${3:-$tmp/unused.sqlite}" \
    "$BIN/gunicorn" -w 2 --bind "127.0.0.1:$1" --chdir "$ROOT" --log-level warning "$2" &
  pids+=($!)
}
wait_for() {  # wait_for URL
  for _ in $(seq 1 300); do
    "$BIN/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "server at $1 did not start" >&2; exit 1
}
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "Seeding throwaway databases in $tmp ..."
seed "$tmp/none.sqlite"
seed "$tmp/plugins.sqlite" "$PLUGINS_ENABLED"

HELLO_PORT=$(free_port); serve "$HELLO_PORT" bench.hello_app:app; HELLO_PID=${pids[-1]}
NONE_PORT=$(free_port); serve "$NONE_PORT" bench.cg_app:app "$tmp/none.sqlite"; NONE_PID=${pids[-1]}
PLUGINS_PORT=$(free_port); serve "$PLUGINS_PORT" bench.cg_app:app "$tmp/plugins.sqlite"; PLUGINS_PID=${pids[-1]}
for port in "$HELLO_PORT" "$NONE_PORT" "$PLUGINS_PORT"; do wait_for "http://127.0.0.1:$port/"; done

# One User-Agent for the log-in and the load: Flask-Login ties a session to its browser, and a
# request from "another browser" makes it write the session cookie again on every response.
AGENT=$("$BIN/python" -c "from bench.login import USER_AGENT; print(USER_AGENT)")
NONE_COOKIE=$("$BIN/python" bench/login.py "http://127.0.0.1:$NONE_PORT")
PLUGINS_COOKIE=$("$BIN/python" bench/login.py "http://127.0.0.1:$PLUGINS_PORT")

# What is measured is what we think: 20 posts, logged in, plugin output present only where enabled.
"$BIN/python" - "$NONE_PORT" "$NONE_COOKIE" "$PLUGINS_PORT" "$PLUGINS_COOKIE" "$FEED_PATH" <<'PY'
import sys, urllib.request
none_port, none_cookie, plugins_port, plugins_cookie, path = sys.argv[1:]
def get(port, cookie):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    return urllib.request.urlopen(req, timeout=10).read().decode()
none, plugins = get(none_port, none_cookie), get(plugins_port, plugins_cookie)
for name, page in (("feed", none), ("plugins", plugins)):
    assert page.count("Weekly check-in #") == 20, f"{name}: expected 20 posts"
    assert "Log out" in page, f"{name}: not logged in"
assert 'href="/hello/"' not in none, "feed: the example plugin must be disabled"
assert 'href="/hello/"' in plugins, "plugins: the example plugin's nav item and footer link must show"
print("Checked: 20 posts on the logged-in group page; example plugin output only where enabled.")
PY

worker_ticks() {  # worker_ticks MASTER_PID -> CPU clock ticks its workers have used so far
  local total=0 pid stat f
  for pid in $(pgrep -P "$1"); do
    stat=$(<"/proc/$pid/stat"); stat=${stat##*) }
    read -r -a f <<<"$stat"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
TICK_MS=$((1000 / $(getconf CLK_TCK)))

run_wrk() {  # run_wrk PORT PATH MASTER_PID [COOKIE] -> "req/s server-CPU-ms-per-request"
  local args=(-t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s)
  [ -n "${4:-}" ] && args+=(-H "Cookie: $4" -H "User-Agent: $AGENT")
  local out before after
  before=$(worker_ticks "$3")
  out=$(wrk "${args[@]}" "http://127.0.0.1:$1$2")
  after=$(worker_ticks "$3")
  if grep -q "Non-2xx" <<<"$out"; then echo "errors from $2:" >&2; echo "$out" >&2; exit 1; fi
  awk -v ticks=$((after - before)) -v tick_ms="$TICK_MS" \
    '/requests in/ {n=$1} /Requests\/sec/ {rps=$2} END {printf "%s %.3f\n", rps, ticks * tick_ms / n}' <<<"$out"
}

echo "Warming up ..."
wrk -t1 -c4 -d2s "http://127.0.0.1:$HELLO_PORT/" >/dev/null
wrk -t1 -c4 -d2s -H "Cookie: $NONE_COOKIE" -H "User-Agent: $AGENT" "http://127.0.0.1:$NONE_PORT$FEED_PATH" >/dev/null
wrk -t1 -c4 -d2s -H "Cookie: $PLUGINS_COOKIE" -H "User-Agent: $AGENT" "http://127.0.0.1:$PLUGINS_PORT$FEED_PATH" >/dev/null

# Rounds rotate the order (hello-feed-plugins, feed-plugins-hello, ...) so that neither a slow
# start nor load from elsewhere on the machine always lands on the same page.
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw="bench/results/$stamp.tsv"
: >"$raw"
order=(hello feed plugins)
for round in $(seq 0 $((ROUNDS - 1))); do
  line="round $((round + 1)):"
  for i in 0 1 2; do
    page=${order[$(((i + round) % 3))]}
    case $page in
      hello) value=$(run_wrk "$HELLO_PORT" / "$HELLO_PID") ;;
      feed) value=$(run_wrk "$NONE_PORT" "$FEED_PATH" "$NONE_PID" "$NONE_COOKIE") ;;
      plugins) value=$(run_wrk "$PLUGINS_PORT" "$FEED_PATH" "$PLUGINS_PID" "$PLUGINS_COOKIE") ;;
    esac
    printf '%s\t%s\n' "$page" "${value// /$'\t'}" >>"$raw"
    line+="  $page ${value% *} req/s (${value#* } ms CPU)"
  done
  echo "$line"
done

"$BIN/python" bench/summarize.py "$raw" --duration "$DURATION" --connections "$CONNECTIONS" | tee "bench/results/$stamp.md"
echo "(saved to bench/results/$stamp.md)"
