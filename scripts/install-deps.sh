#!/usr/bin/env bash
# Installs what building and testing CatChat needs on a fresh Debian 12 machine. Idempotent.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

# Tools the tests and the README's examples use; installed only when missing.
#   promtool (Debian's prometheus) checks /metrics; chromium runs the dashboard's browser tests;
#   node/npm install the redocly CLI that lints the OpenAPI document; redis-server is the load generator's reference
#   and joins CatChat nodes in the cluster tests; cc builds tests/tools/no-io-uring.c, which refuses io_uring as
#   Docker's default seccomp profile does; the python3 packages run the irctest suite (../shared/irctest) with
#   Debian's python3, as its NOTES.md lists; irssi and WeeChat (weechat-curses) are the real IRC clients the IRC
#   tests drive inside tmux; faketime runs the server's clock fast for irctest's LIST-by-age tests.
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v nc >/dev/null 2>&1 || need+=(netcat-openbsd)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools) # redis-cli --cluster create: the Redis Cluster tests
for package in python3-pytest python3-pytest-xdist python3-ecdsa python3-filelock python3-websockets python3-cryptography; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || need+=("$package")
done
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v faketime >/dev/null 2>&1 || need+=(faketime)
command -v irssi >/dev/null 2>&1 || need+=(irssi)
command -v weechat >/dev/null 2>&1 || need+=(weechat-curses)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Debian's prometheus, postgresql and redis-server packages may start their servers; the tests want only the
# binaries (each PostgreSQL test starts its own throwaway cluster; the bench tool and the cluster tests their own Redis).
for service in prometheus postgresql redis-server; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done

tools="$(cd "$(dirname "$0")/.." && pwd)/tests/tools"
if [ ! -x "$tools/node_modules/.bin/redocly" ]; then
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error)
fi
