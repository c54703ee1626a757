#!/usr/bin/env bash
# Two app instances ("hosts") on different loopback ports, sharing one PostgreSQL database and one
# Redis, behind nginx (Debian package) as a round-robin proxy; then bench/hosts_check.py shows that
# sessions, rate limits, plugin state and what pages show stay consistent whichever host answers.
#   bash bench/hosts.sh    (BENCH_DATABASE_SERVER=postgresql://postgres@127.0.0.1:5432  BENCH_REDIS_URL=redis://127.0.0.1:6379/4)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BENCH_VENV:-$ROOT/.venv}/bin
SERVER=${BENCH_DATABASE_SERVER:-postgresql://postgres@127.0.0.1:5432}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}
command -v nginx >/dev/null || apt-get install -y nginx >/dev/null || { apt-get update >/dev/null && apt-get install -y nginx >/dev/null; }

tmp=$(mktemp -d); chmod 755 "$tmp"
name="cg_hosts_$$"
pids=()
cleanup() {
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
psql "$SERVER/postgres" -qc "CREATE DATABASE $name" >/dev/null

# What every host shares: the database, Redis (rate limits, jobs), the secret key.
export COMMONGROUND_SQLALCHEMY_DATABASE_URI="$SERVER/$name"
export COMMONGROUND_RATELIMIT_STORAGE_URI="$REDIS" COMMONGROUND_RATELIMIT_KEY_PREFIX="$name"
export COMMONGROUND_JOBS_URL="$REDIS" COMMONGROUND_JOBS_NAME="$name"
export COMMONGROUND_SECRET_KEY COMMONGROUND_MAIL_SPOOL_DIR="$tmp/mail" COMMONGROUND_PROXY_COUNT=0
COMMONGROUND_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')
export BENCH_PLUGINS=real
"$BIN/python" -m bench.seed --enable reporting,helpcenter,conversations >/dev/null 2>&1

free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
A=$(free_port); B=$(free_port); PROXY=$(free_port)
for port in "$A" "$B"; do
  "$BIN/gunicorn" -w 2 --bind "127.0.0.1:$port" --chdir "$ROOT" --log-level warning bench.cg_app:app &
  pids+=($!)
done
cat >"$tmp/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $tmp/access.log;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  upstream commonground { server 127.0.0.1:$A; server 127.0.0.1:$B; }
  server {
    listen 127.0.0.1:$PROXY;
    location / {
      proxy_pass http://commonground;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
NGINX
nginx -c "$tmp/nginx.conf" &
pids+=($!)
for port in "$A" "$B" "$PROXY"; do
  for _ in $(seq 1 300); do
    "$BIN/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$port/" 2>/dev/null && break
    sleep 0.3
  done
done
echo "load: $(uptime)"
"$BIN/python" -m bench.hosts_check "http://127.0.0.1:$A" "http://127.0.0.1:$B" "http://127.0.0.1:$PROXY"
