#!/usr/bin/env bash
# Runs the public irctest suite against CatChat's IRC front door and compares the result with the tests CatChat is
# known to pass (tests/irctest/expected-pass.txt). Ends with one line:
#   irctest: P passed, F failed, S skipped (of T); R regressions
# and exits non-zero when R > 0 (an expected test that did not pass) or the run itself broke.
#
#   scripts/irctest.sh [options] [RESULTS.xml] [-- PYTEST_ARGS...]
#     RESULTS.xml        JUnit XML to write (default TestResults/irctest.xml); beside it RESULTS.counts gets
#                        "passed=P failed=R ..." (failed = regressions) for scripts/test.sh, and RESULTS.log pytest's output
#     --update-expected  rewrite tests/irctest/expected-pass.txt from this run's passes
#     --build            build CatChat first even if its DLL exists (it is always built when missing)
#     --verbose          show pytest's output as it runs, not only in RESULTS.log
#     --self-test        test this script's comparison on hand-made results (no CatChat, no irctest run)
#     --compare-only X   compare an existing JUnit XML X instead of running the suite
#     --expected FILE    the known-passing list (default tests/irctest/expected-pass.txt)
#     --controller MOD   irctest controller module (default catchat_controller); another server's run is not compared
#     -- PYTEST_ARGS     passed to pytest, e.g. -- -k Lusers; expected tests the narrowed run did not include are
#                        then not counted as regressions
# Environment: IRCTEST_DIR (default ../shared/irctest beside the repository), CATCHAT_DLL (a CatChat.dll to test),
# IRCTEST_WORKERS (pytest-xdist workers, default 4: most tests wait out timeouts, so 4 helps even on 2 cores).
# Needs Debian's python3 with pytest and pytest-xdist (scripts/install-deps.sh installs them) and the dotnet SDK.
# scripts/test.sh may run this in the background once the solution is built: it starts no build of its own then.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# Paths given on the command line are relative to where the script was started; it then works from the repository.
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

python=/usr/bin/python3
here="$repo/tests/irctest"
expected="$here/expected-pass.txt"
controller=catchat_controller
results="$repo/TestResults/irctest.xml"
update=false
build=false
verbose=false
compare_only=""
pytest_args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --update-expected) update=true ;;
    --build) build=true ;;
    --verbose) verbose=true ;;
    --self-test) exec "$python" -m unittest discover -s "$here" -p 'test_*.py' ;;
    --compare-only) compare_only="$(absolute "$2")"; shift ;;
    --expected) expected="$(absolute "$2")"; shift ;;
    --controller) controller="$2"; shift ;;
    --) shift; pytest_args=("$@"); break ;;
    -*) echo "irctest.sh: unknown option $1" >&2; exit 2 ;;
    *) results="$(absolute "$1")" ;;
  esac
  shift
done

cd "$repo"
counts="${results%.xml}.counts"
log="${results%.xml}.log"
mkdir -p "$(dirname "$results")"

compare=(--counts "$counts")
# Only CatChat's run is held to the expected list; a reference server's run is only counted.
if [ "$controller" = catchat_controller ]; then
  compare+=(--expected "$expected")
  $update && compare+=(--update-expected)
else
  compare+=(--label "irctest ($controller)")
fi
[ "${#pytest_args[@]}" -gt 0 ] && compare+=(--only-ran)

if [ -n "$compare_only" ]; then
  exec "$python" "$here/irctest_results.py" "$compare_only" "${compare[@]}"
fi

irctest_dir="${IRCTEST_DIR:-$repo/../shared/irctest}"
# A clone elsewhere than beside ../shared (CI's fresh clone) finds the suite where this machine keeps it.
[ -f "$irctest_dir/conftest.py" ] || [ -n "${IRCTEST_DIR:-}" ] || irctest_dir=/work/shared/irctest
if [ ! -f "$irctest_dir/conftest.py" ]; then
  echo "irctest.sh: no irctest at $irctest_dir (set IRCTEST_DIR)" >&2
  exit 2
fi

if [ "$controller" = catchat_controller ] && [ -z "${CATCHAT_DLL:-}" ]; then
  dll="$repo/src/CatChat/bin/Release/net10.0/CatChat.dll"
  if $build || [ ! -f "$dll" ]; then
    dotnet build -c Release src/CatChat -v q -nologo >/dev/null || { echo "irctest.sh: building CatChat failed" >&2; exit 2; }
  fi
fi

# irctest writes caches beside itself and its folder is read-only in CI: run a fresh copy, removed afterwards.
work="$(mktemp -d "${TMPDIR:-/tmp}/irctest.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$irctest_dir/." "$work/irctest"
# The servers' temp directories and irctest's port registry go under $work too: a test that fails in setUp never
# runs its tearDown, and what it left is removed with $work (the registry only coordinates this run's workers).
mkdir "$work/tmp"

rm -f "$results"
run=(env TMPDIR="$work/tmp" PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$python" -m pytest -q -p no:cacheprovider -p websockets_sync_shim
  -n "${IRCTEST_WORKERS:-4}" --controller "$controller"
  -m "not services and not implementation-specific and not deprecated and not strict"
  --junitxml "$results" "${pytest_args[@]}")
if $verbose; then
  (cd "$work/irctest" && "${run[@]}") 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
else
  (cd "$work/irctest" && "${run[@]}") >"$log" 2>&1
  status=$?
fi

report="$("$python" "$here/irctest_results.py" "$results" --pytest-status "$status" "${compare[@]}")"
verdict=$?
echo "$report"

# A test that passed before and fails now is run once more, alone: many irctest tests wait on timeouts, and a machine
# busy with the rest of CI can miss one. Only a test that fails twice counts as a regression (both runs are logged).
mapfile -t regressed < <(sed -n 's/^  regression: //p' <<<"$report")
if [ "$verdict" -ne 0 ] && ! $update && [ "$controller" = catchat_controller ] && [ "${#regressed[@]}" -gt 0 ] && [ "${#regressed[@]}" -le 20 ]; then
  retry="${results%.xml}.retry.xml"
  echo "irctest: running the ${#regressed[@]} regressed tests once more"
  (cd "$work/irctest" && env TMPDIR="$work/tmp" PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$python" -m pytest -q -p no:cacheprovider -p websockets_sync_shim \
    -n 1 --controller "$controller" --junitxml "$retry" "${regressed[@]}") >>"$log" 2>&1
  cp "$counts" "$counts.first"
  "$python" "$here/irctest_results.py" "$retry" --expected "$expected" --only-ran --counts "$counts.retry"
  verdict=$?
  # The whole run's figures, with the tests that passed on their second run counted as passed.
  "$python" - "$counts" "$counts.first" "$counts.retry" "${#regressed[@]}" <<'PY'
import sys
first = dict(kv.split("=") for kv in open(sys.argv[2]).read().split())
retry = dict(kv.split("=") for kv in open(sys.argv[3]).read().split())
regressed = int(sys.argv[4])
still = int(retry["failed"])
first["passed"] = str(int(first["passed"]) + regressed - still)
first["failed"] = str(still)
open(sys.argv[1], "w").write(" ".join(f"{k}={v}" for k, v in first.items()) + "\n")
print(f"irctest: after the second run {still} regressions; {first['passed']} passed in all")
PY
fi
exit "$verdict"
