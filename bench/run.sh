#!/usr/bin/env bash
# The standard benchmark matrix: CatChat beside Redis pub/sub, interleaved, each point 3 times.
#   bench/run.sh           the full matrix, then idle at N=50,000 on CatChat (about 13 minutes on 2 cores)
#   bench/run.sh --quick   N=100, one repeat (about a minute)
#   bench/run.sh --rooms   many rooms: 1,000 rooms of 10 (one sender each) closed loop and at 2,000 and 10,000 msg/s,
#                          then the scale checks, 10,000 rooms of 1 and 1 room of 10,000, and fanout and idle at N=10,000
#                          without rooms beside them; 3 repeats (about 20 minutes)
#   bench/run.sh --irc     CatChat's IRC port beside InspIRCd and ngIRCd (Debian packages, installed if missing), one channel
#                          of 1,000 clients with 10 senders: closed loop and 50/400/800 lines/s, then idle memory per
#                          IRC connection; interleaved, 3 repeats (about 10 minutes)
#   bench/run.sh --irc-floor
#                          the --irc matrix (without idle) with irc-floor and irc-floor-uring beside the three:
#                          bench/irc-servers/floor.c, the least any server can do for the workload (one send() per
#                          recipient, or all of a batch's sends in one io_uring_enter), so each server's CPU reads
#                          against the kernel's share
#   bench/run.sh --irc-compare PATH/CatChat.dll
#                          the IRC matrix on another build of CatChat's IRC port beside this tree's (no other servers)
#   bench/run.sh --web     a room of 1,000 over the web chat's WebSocket beside the same room over netcat, interleaved:
#                          10 senders at 50/400/800 lines/s, 5 repeats of 15 s each (about 11 minutes); the report's
#                          last table gives web / netcat
#   bench/run.sh --web-compare PATH/CatChat.dll
#                          the same with another build's web chat between them: netcat, that build's web, this tree's web
#   bench/run.sh --compare PATH/CatChat.dll
#                          another build of CatChat (an earlier commit, built in its own worktree) beside this tree's,
#                          interleaved, 3 repeats: closed loop at N=100 and 1,000, 50/400/800 msg/s, idle at 10,000
#                          (about 9 minutes); the report's last table gives this tree / that build
# Results (JSON lines), the Markdown table and PNG charts go to bench/results/<timestamp>/.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
rooms=0
irc=0
floor=0
web=0
compare=""
case "${1:-}" in
  --quick) quick=1 ;;
  --rooms) rooms=1 ;;
  --irc) irc=1 ;;
  --irc-floor) irc=1; floor=1 ;;
  --web) web=1 ;;
  --compare | --irc-compare | --web-compare)
    [ "$1" = --irc-compare ] && irc=1
    [ "$1" = --web-compare ] && web=1
    compare="${2:-}"
    if [ ! -f "$compare" ]; then echo "bench/run.sh $1: no CatChat build at '$compare'" >&2; exit 2; fi
    compare="$(cd "$(dirname "$compare")" && pwd)/$(basename "$compare")" ;;
  "") ;;
  *) echo "usage: bench/run.sh [--quick | --rooms | --irc | --irc-floor | --web | --compare PATH/CatChat.dll | --irc-compare PATH/CatChat.dll | --web-compare PATH/CatChat.dll]" >&2; exit 2 ;;
esac

# Redis is the reference; Debian's package may start its own service, which the benchmark does not use.
if ! command -v redis-server >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl stop redis-server || true
fi

# The IRC servers users would pick instead of CatChat, as Debian packages them: InspIRCd 3 and ngIRCd. (Debian's
# "ergo" package is a chemistry program, not the Ergo IRC server, so Ergo is not among them.) The benchmark starts
# them with its own configurations (bench/irc-servers/); the services the packages start are stopped.
if [ "$irc" -eq 1 ] && [ -z "$compare" ]; then
  if ! command -v inspircd >/dev/null 2>&1 || ! command -v ngircd >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq inspircd ngircd >/dev/null
  fi
  for service in inspircd ngircd; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
      systemctl stop "$service" || true
    elif [ -x "/etc/init.d/$service" ]; then
      "/etc/init.d/$service" stop >/dev/null 2>&1 || true
    fi
  done
fi

# Every client is a file descriptor on both sides: as many as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

out="bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
results="$out/results.jsonl"

dotnet build -c Release src/CatChat -v q -nologo
dotnet build -c Release bench/CatChat.Bench -v q -nologo

# Server on core 1, load generator on core 0, when there are two cores to split.
pin=()
if [ "$(nproc)" -ge 2 ]; then
  pin=(--pin-server 1 --pin-loadgen 0)
fi

bench() {
  dotnet bench/CatChat.Bench/bin/Release/net10.0/CatChat.Bench.dll "$@" --no-build --results "$results" "${pin[@]}"
}

start=$(date +%s)
if [ "$irc" -eq 1 ]; then
  # One channel of 1,000: every target in turn within each repeat. A closed loop first, then fixed rates, then idle.
  targets=()
  if [ -n "$compare" ]; then
    targets=(--target "catchat-irc=before:$compare,catchat-irc")
  elif [ "$floor" -eq 1 ]; then
    targets=(--target "catchat-irc,inspircd,ngircd,irc-floor,irc-floor-uring")
  fi
  bench irc --clients 1000 --senders 10 --size 64 --repeat 3 --warmup 2 --measure 5 "${targets[@]}"
  bench irc --clients 1000 --senders 10 --size 64 --rate 50,400,800 --repeat 3 --warmup 2 --measure 5 "${targets[@]}"
  if [ "$floor" -eq 0 ]; then
    bench irc-idle --clients 1000 --repeat 3 "${targets[@]}"
  fi
elif [ "$web" -eq 1 ]; then
  # netcat first, so the report's comparison table reads web / netcat. No Redis: the question is what the front door costs.
  webs="catchat-web"
  if [ -n "$compare" ]; then
    webs="catchat-web=before:$compare,catchat-web"
  fi
  # 15 s a run: in 5 s on this shared machine one stall of the host's can decide a p99 (docs/performance.md).
  bench fanout --clients 1000 --senders 10 --size 64 --rate 50,400,800 --repeat 5 --warmup 2 --measure 15 --target "catchat,$webs"
elif [ -n "$compare" ]; then
  # The other build first, so the report's comparison table reads this tree / that build.
  targets=(--target "catchat=before:$compare,catchat")
  bench fanout --clients 100 --senders 10 --size 64 --window 128 --repeat 3 --warmup 2 --measure 5 "${targets[@]}"
  bench fanout --clients 1000 --senders 10 --size 64 --repeat 3 --warmup 2 --measure 5 "${targets[@]}"
  bench fanout --clients 1000 --senders 10 --size 64 --rate 50,400,800 --repeat 3 --warmup 2 --measure 5 "${targets[@]}"
  bench idle --clients 10000 --repeat 3 "${targets[@]}"
elif [ "$rooms" -eq 1 ]; then
  # One sender per room. A window of 8 per sender (8,000 messages in flight) keeps both servers busier than 2 did, where
  # the load generator's core ran out first; 20,000 msg/s was past what either server delivers, so 10,000 is the top rate.
  bench rooms --rooms 1000 --members 10 --window 8 --repeat 3 --warmup 2 --measure 5
  bench rooms --rooms 1000 --members 10 --rate 2000,10000 --repeat 3 --warmup 2 --measure 5
  # Scale checks. 10,000 rooms of one: nobody may hear anything (CatChat) or only the room's one subscriber (Redis);
  # 1,000 of them send, at a fixed rate since a closed loop has no one to wait for. (Redis: 11,000 connections.)
  bench rooms --rooms 10000 --members 1 --senders 1000 --rate 1000 --repeat 3 --warmup 2 --measure 5
  # One room of 10,000: the fanout point N=10,000 (S=10, window 8), inside a room joined by /join.
  bench rooms --rooms 1 --members 10000 --senders 10 --window 8 --repeat 3 --warmup 2 --measure 5
  # The same without rooms, in the same session, to tell what rooms cost: everyone in #lobby.
  bench fanout --clients 10000 --senders 10 --size 64 --window 8 --repeat 3 --warmup 2 --measure 5
  bench idle --clients 10000 --repeat 3
elif [ "$quick" -eq 1 ]; then
  bench fanout --clients 100 --senders 10 --size 64 --warmup 1 --measure 2
  bench fanout --clients 100 --senders 10 --size 64 --rate 400 --warmup 1 --measure 2
  bench idle --clients 100
  bench connect --warmup 1 --measure 2
else
  # At N=100 a window of 32 does not keep a server busy: a slot frees only when the slowest of 99 receivers has the
  # message, and CatChat idled 16 % of its core while Redis used all of its. 128 saturates both (91-99 %).
  bench fanout --clients 100 --senders 10 --size 64,512 --window 128 --repeat 3 --warmup 2 --measure 5
  bench fanout --clients 1000 --senders 10 --size 64,512 --repeat 3 --warmup 2 --measure 5
  # At N=10,000 a window of 32 puts 10,000 x 10 x 32 messages in flight: gigabytes of socket buffers, past the
  # kernel's TCP memory pressure point, which then measures the kernel. A window of 8 still saturates both servers.
  bench fanout --clients 10000 --senders 10 --size 64,512 --window 8 --repeat 3 --warmup 2 --measure 5
  bench fanout --clients 1000 --senders 10 --size 64 --rate 50,400,800 --repeat 3 --warmup 2 --measure 5
  bench idle --clients 10000 --repeat 3
  bench connect --repeat 3 --warmup 1 --measure 3
  # 50,000 idle clients: more than one process may open here (hard open-files limit 20,000), so the tool spreads
  # them over several of its own. CatChat only: Redis is capped by the same limit on its side.
  bench idle --clients 50000 --target catchat
fi

dotnet bench/CatChat.Bench/bin/Release/net10.0/CatChat.Bench.dll report --results "$results" --out "$out"
echo "bench: $(($(date +%s) - start)) s of measuring; results in $out (results.jsonl, results.md, *.png)"
