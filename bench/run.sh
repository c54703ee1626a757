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

HELLO_PORT=$(free_port); serve "$HELLO_PORT" bench.hello_app:app
NONE_PORT=$(free_port); serve "$NONE_PORT" bench.cg_app:app "$tmp/none.sqlite"
PLUGINS_PORT=$(free_port); serve "$PLUGINS_PORT" bench.cg_app:app "$tmp/plugins.sqlite"
for port in "$HELLO_PORT" "$NONE_PORT" "$PLUGINS_PORT"; do wait_for "http://127.0.0.1:$port/"; done

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

run_wrk() {  # run_wrk PORT PATH [COOKIE] -> prints req/s
  local args=(-t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s)
  [ -n "${3:-}" ] && args+=(-H "Cookie: $3")
  local out
  out=$(wrk "${args[@]}" "http://127.0.0.1:$1$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx responses from $2:" >&2; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

echo "Warming up ..."
wrk -t1 -c4 -d2s "http://127.0.0.1:$HELLO_PORT/" >/dev/null
wrk -t1 -c4 -d2s -H "Cookie: $NONE_COOKIE" "http://127.0.0.1:$NONE_PORT$FEED_PATH" >/dev/null
wrk -t1 -c4 -d2s -H "Cookie: $PLUGINS_COOKIE" "http://127.0.0.1:$PLUGINS_PORT$FEED_PATH" >/dev/null

# Rounds rotate the order (hello-feed-plugins, feed-plugins-hello, ...) so that neither a slow
# start nor load from elsewhere on the machine always lands on the same page.
declare -A result
order=(hello feed plugins)
for round in $(seq 0 $((ROUNDS - 1))); do
  for i in 0 1 2; do
    page=${order[$(((i + round) % 3))]}
    case $page in
      hello) value=$(run_wrk "$HELLO_PORT" /) ;;
      feed) value=$(run_wrk "$NONE_PORT" "$FEED_PATH" "$NONE_COOKIE") ;;
      plugins) value=$(run_wrk "$PLUGINS_PORT" "$FEED_PATH" "$PLUGINS_COOKIE") ;;
    esac
    result[$page]="${result[$page]:-} $value"
  done
  echo "round $((round + 1)): hello ${result[hello]##* }  feed ${result[feed]##* }  plugins ${result[plugins]##* } req/s"
done
hello=(${result[hello]}); feed=(${result[feed]}); plugins=(${result[plugins]})

mkdir -p bench/results
report="bench/results/$(date -u +%Y%m%dT%H%M%SZ).md"
"$BIN/python" - "${hello[*]}" "${feed[*]}" "${plugins[*]}" "$DURATION" "$CONNECTIONS" <<'PY' | tee "$report"
import os, platform, statistics, subprocess, sys
hello, feed, plugins = ([float(x) for x in arg.split()] for arg in sys.argv[1:4])
duration, connections = sys.argv[4:6]
med = {name: statistics.median(v) for name, v in (("hello", hello), ("feed", feed), ("plugins", plugins))}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
import gunicorn
print(f"Machine: {os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python {platform.python_version()}, "
      f"gunicorn {gunicorn.__version__} (-w 2, sync), {wrk.split(' [')[0]} -t2 -c{connections} -d{duration}s, "
      f"load average at the end {os.getloadavg()[0]:.2f}")
print()
print("| page | req/s (median) | rounds |")
print("|---|---:|---|")
for name, label in (("hello", "bare Flask hello"), ("feed", "group feed, 20 posts, logged in, no plugins enabled"),
                    ("plugins", "same page, example plugin + 2 no-op plugins enabled")):
    values = {"hello": hello, "feed": feed, "plugins": plugins}[name]
    print(f"| {label} | {med[name]:.0f} | {', '.join(f'{v:.0f}' for v in values)} |")
print()
ratio = med["feed"] / med["hello"]
cost = 1 - med["plugins"] / med["feed"]
print(f"feed / hello = {ratio:.1%} (target >= 30%): {'met' if ratio >= 0.30 else 'NOT met'}")
print(f"plugins cost = {cost:.1%} (target < 10%): {'met' if cost < 0.10 else 'NOT met'}")
PY
echo "(saved to $report)"
