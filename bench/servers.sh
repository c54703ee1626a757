# Shared by bench/pages.sh and bench/plugin_cost.sh (sourced, not run): the two bench databases
# seeded, servers started under gunicorn, waited for, and the member logged in.
# Expects ROOT and BIN; sets tmp, pids, PORT, MASTER, COOKIE, POST_ID, AGENT and REAL.
REAL="reporting,helpcenter,mentorship,resources,conversations"

tmp=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

export COMMONGROUND_SECRET_KEY COMMONGROUND_MAIL_SPOOL_DIR="$tmp/mail" COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true
COMMONGROUND_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')
export BENCH_PLUGINS=real

seed_both() {  # the same data twice: no plugin enabled (none.sqlite), the real ones (real.sqlite);
  # BENCH_BLOCKS=N: on the real side the member blocks N people outside the group (bench.seed --blocks)
  COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$tmp/none.sqlite" "$BIN/python" -m bench.seed --enable "" >/dev/null 2>&1
  COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///$tmp/real.sqlite" "$BIN/python" -m bench.seed --enable "$REAL" \
    --blocks "${BENCH_BLOCKS:-0}" >/dev/null 2>&1
  POST_ID=$("$BIN/python" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select max(id) from posts').fetchone()[0])" "$tmp/none.sqlite")
}

free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A PORT MASTER COOKIE
serve() {  # serve NAME TREE APP [DBFILE [WORKERS [CPUS]]]: gunicorn (sync workers), on CPUS if given
  local port pin=()
  port=$(free_port)
  [ -n "${6:-}" ] && pin=(taskset -c "$6")
  (cd "$2" && COMMONGROUND_SQLALCHEMY_DATABASE_URI="sqlite:///${4:-$tmp/unused.sqlite}" \
    exec "${pin[@]}" "$BIN/gunicorn" -w "${5:-2}" --bind "127.0.0.1:$port" --log-level warning "$3") &
  pids+=($!); PORT[$1]=$port; MASTER[$1]=$!
}

wait_and_log_in() {  # wait_and_log_in NAME...: each server answers; the member logs in (not on hello)
  local name
  for name in "$@"; do
    for _ in $(seq 1 300); do
      "$BIN/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:${PORT[$name]}/" 2>/dev/null && break
      sleep 0.3
    done
    [ "$name" = hello ] || COOKIE[$name]=$("$BIN/python" bench/login.py "http://127.0.0.1:${PORT[$name]}")
  done
}

AGENT=$(cd "$ROOT" && "$BIN/python" -c "from bench.login import USER_AGENT; print(USER_AGENT)")  # the log-in's browser
