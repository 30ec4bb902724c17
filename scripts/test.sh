#!/usr/bin/env bash
# Runs the whole CatChat test suite and ends with one line: "tests: N passed, M failed".
# Installs what a fresh machine lacks first, so it works on a fresh clone.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || { echo "install-deps failed"; exit 1; }

# Style is part of the build: the same formatting everywhere, checked before any test runs.
dotnet format CatChat.slnx --verify-no-changes
format_status=$?

results=TestResults
rm -rf "$results"
mkdir -p "$results"
# Build everything first: tests that publish or build CatChat themselves must not race the solution's build.
dotnet build CatChat.slnx -c Release -v q -nologo
build_status=$?
status=$build_status
irctest_pid=""
if [ "$build_status" -eq 0 ]; then
  # The load generator's tests hold its receive thread for 300 ms and check what was stamped meanwhile: they run first,
  # before the IRC suite below loads both cores (beside it they missed their stamp in CI).
  dotnet test tests/CatChat.Bench.Tests -c Release --no-build --logger "trx" --results-directory "$results" "$@"
  status=$?

  # The IRC conformance suite (../shared/irctest, about 15 minutes, mostly waiting out timeouts) runs beside the .NET
  # tests; a test it passed before that fails now is a failed test (scripts/irctest.sh, tests/irctest/README.md).
  bash scripts/irctest.sh "$results/irctest.xml" >"$results/irctest.out" 2>&1 &
  irctest_pid=$!

  # The other test projects (every tests/*.csproj but the helpers in CatChat.Testing), one at a time: run side by
  # side, their own loads made each other's timing tests fail.
  for project in tests/CatChat.Tests tests/CatChat.Protocol.Tests tests/CatChat.BrowserTests tests/CatChat.IntegrationTests; do
    dotnet test "$project" -c Release --no-build --logger "trx" --results-directory "$results" "$@" || status=1
  done
fi

if [ -n "$irctest_pid" ]; then
  wait "$irctest_pid"
  irctest_status=$?
  cat "$results/irctest.out"
  [ "$irctest_status" -ne 0 ] && status=1
fi

passed=0
failed=0
if [ -f "$results/irctest.counts" ]; then
  # "passed=P failed=R ...": R counts the regressions.
  for pair in $(cat "$results/irctest.counts"); do
    case "$pair" in
      passed=*) passed=$((passed + ${pair#passed=})) ;;
      failed=*) failed=$((failed + ${pair#failed=})) ;;
    esac
  done
elif [ -n "$irctest_pid" ]; then
  echo "irctest left no counts (see $results/irctest.out)"
  failed=$((failed + 1))
fi
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$format_status" -ne 0 ]; then
  echo "dotnet format found files to reformat (run: dotnet format CatChat.slnx)"
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build error or a crashed test host leaves no failed count: count it so it is visible.
  failed=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
