#!/usr/bin/env bash
# Runs irctest's selection against the reference IRC servers, ngIRCd and InspIRCd (Debian packages), and against
# CatChat, one after another, and prints a table: server, passed, failed, skipped. For people repeating issue 16's
# comparison in one sitting; CI runs only CatChat (scripts/irctest.sh). Takes about half an hour on 2 cores.
#
#   scripts/irc-reference.sh [RESULTS_DIR] [-- PYTEST_ARGS...]
#     RESULTS_DIR   where each run's JUnit XML, log and counts go (default TestResults/irc-reference)
#     PYTEST_ARGS   passed to every run, e.g. -- -k Lusers to try the script quickly
# Installs what is missing with apt-get (so run it as root on a fresh machine): the servers and irctest's python3
# packages. Debian starts the servers' own services; they are stopped, as they serve nothing here.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/TestResults/irc-reference"
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; pytest_args=("$@"); break ;;
    -*) echo "irc-reference.sh: unknown option $1" >&2; exit 2 ;;
    *) case "$1" in /*) out="$1" ;; *) out="$PWD/$1" ;; esac ;;
  esac
  shift
done

need=()
for package in ngircd inspircd python3-pytest python3-pytest-xdist python3-ecdsa python3-filelock python3-websockets \
  python3-cryptography; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || need+=("$package")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null || { echo "irc-reference.sh: apt-get failed" >&2; exit 2; }
fi

# irctest starts its own server per test on ports of its own; the packages' services would only hold a core and
# port 6667, so stop them (systemd, or the init scripts where no systemd runs, as in a container).
for service in ngircd inspircd; do
  if [ -d /run/systemd/system ]; then
    systemctl is-active --quiet "$service" 2>/dev/null && systemctl stop "$service"
  elif [ -x "/etc/init.d/$service" ] && service "$service" status >/dev/null 2>&1; then
    service "$service" stop >/dev/null
  fi
done

# irctest's InspIRCd configuration includes examples/helpop.conf.example, which Debian keeps among the docs.
if [ ! -e /etc/inspircd/examples ]; then
  ln -s /usr/share/doc/inspircd/examples /etc/inspircd/examples
fi

mkdir -p "$out"
rows=()
for server in ngircd inspircd catchat; do
  case "$server" in
    ngircd) controller=irctest.controllers.ngircd; binary=ngircd; name="$(ngircd --version 2>/dev/null | head -n 1 | sed 's/^ngIRCd \([0-9.]*\).*/ngIRCd \1/')" ;;
    inspircd) controller=irctest.controllers.inspircd; binary=inspircd; name="$(inspircd --version 2>/dev/null | head -n 1 | sed 's/^InspIRCd-\([0-9.]*\).*/InspIRCd \1/')" ;;
    catchat) controller=catchat_controller; binary=""; name="CatChat $(git -C "$repo" rev-parse --short HEAD)" ;;
  esac
  echo "running irctest against $name ..."
  start=$SECONDS
  before=" $([ -n "$binary" ] && pgrep -x "$binary" | tr '\n' ' ') "
  bash "$repo/scripts/irctest.sh" --controller "$controller" "$out/$server.xml" -- "${pytest_args[@]}"
  # irctest stops a server in the test's tearDown, which unittest skips when setUp raises after the server started
  # (bot_mode.py does when ISUPPORT lacks BOT): stop what this run left, never a server that ran before it.
  if [ -n "$binary" ]; then
    for pid in $(pgrep -x "$binary"); do
      case "$before" in *" $pid "*) ;; *) kill "$pid" ;; esac
    done
  fi
  counts="$(cat "$out/$server.counts" 2>/dev/null)"
  field() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$counts"; }
  rows+=("$(printf '%-24s %7s %7s %8s %6s %6s' "$name" "$(field passed)" "$(field suite_failed)" "$(field skipped)" \
    "$(field total)" "$(((SECONDS - start) / 60))m")")
done

echo
printf '%-24s %7s %7s %8s %6s %6s\n' server passed failed skipped of time
printf '%s\n' "${rows[@]}"
echo "(selection: not services and not implementation-specific and not deprecated and not strict; xfailed counted as"
echo " skipped; each run's JUnit XML and log are in $out)"
