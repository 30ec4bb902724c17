"""Reads an irctest run's JUnit XML and compares it with the tests CatChat is known to pass.

Used by scripts/irctest.sh; stdlib only, so it runs wherever Debian's python3 does.

    python3 irctest_results.py RESULTS.xml --expected expected-pass.txt --counts RESULTS.counts
        [--pytest-status N] [--update-expected] [--only-ran]

Prints "irctest: P passed, F failed, S skipped (of T); R regressions" and exits 1 when R > 0.
A regression is a test in the expected list that did not pass: it failed, errored, was skipped, or did not run.
The counts file gets one line for scripts/test.sh: "passed=P failed=R skipped=S suite_failed=F total=T",
where failed counts regressions (what breaks the build) and suite_failed the suite's own failures.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
import sys
from typing import Dict, List, Optional, Set
import xml.etree.ElementTree as ET

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
# When a test appears more than once (a teardown error reported beside its call), the worst outcome counts.
_RANK = {PASSED: 0, SKIPPED: 1, FAILED: 2}


@dataclasses.dataclass
class Run:
    """Each test's outcome, by pytest node id."""

    outcomes: Dict[str, str]
    xfailed: int = 0

    def ids(self, outcome: str) -> Set[str]:
        return {test for test, result in self.outcomes.items() if result == outcome}

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.outcomes.values() if result == outcome)


def node_id(classname: str, name: str) -> str:
    """pytest's node id from JUnit's classname and name, so that `pytest <id>` reruns the test.

    irctest's tests are unittest classes in modules, so the classname is module.Class:
    irctest.server_tests.chmodes.ban.BanModeTestCase -> irctest/server_tests/chmodes/ban.py::BanModeTestCase.
    """
    module, _, cls = classname.rpartition(".")
    return f"{module.replace('.', '/')}.py::{cls}::{name}"


def read_run(xml_path: Path) -> Run:
    run = Run(outcomes={})
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        test = node_id(case.get("classname", ""), case.get("name", ""))
        outcome = PASSED
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = FAILED
            elif child.tag == "skipped" and outcome != FAILED:
                outcome = SKIPPED
                # An expected failure (xfail) is a skip of type pytest.xfail: counted with the skips, and noted.
                if child.get("type") == "pytest.xfail":
                    run.xfailed += 1
        previous = run.outcomes.get(test)
        if previous is None or _RANK[outcome] > _RANK[previous]:
            run.outcomes[test] = outcome
    return run


def read_expected(path: Path) -> List[str]:
    """One node id per line; blank lines and # comments are ignored."""
    if not path.exists():
        return []
    tests = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            tests.append(line)
    return tests


def write_expected(path: Path, run: Run) -> None:
    lines = [
        "# irctest tests CatChat is known to pass, one pytest node id per line.",
        "# Written by scripts/irctest.sh --update-expected; a test listed here that does not pass is a regression.",
        *sorted(run.ids(PASSED)),
    ]
    path.write_text("\n".join(lines) + "\n")


@dataclasses.dataclass
class Comparison:
    regressions: List[str]
    new_passes: List[str]


def compare(run: Run, expected: List[str], only_ran: bool = False) -> Comparison:
    """Every expected test that did not pass is a regression; with only_ran, tests the run did not include are not
    (for a run narrowed with -k)."""
    passed = run.ids(PASSED)
    regressions = [
        test for test in expected if test not in passed and not (only_ran and test not in run.outcomes)
    ]
    expected_set = set(expected)
    new_passes = sorted(test for test in passed if test not in expected_set)
    return Comparison(regressions=regressions, new_passes=new_passes)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xml", type=Path, help="JUnit XML written by pytest --junitxml")
    parser.add_argument("--expected", type=Path, help="the known-passing list; none: no comparison")
    parser.add_argument("--counts", type=Path, help="where to write the one-line counts for scripts/test.sh")
    parser.add_argument("--pytest-status", type=int, default=0, help="pytest's exit status")
    parser.add_argument("--update-expected", action="store_true", help="rewrite --expected from this run's passes")
    parser.add_argument("--only-ran", action="store_true", help="expected tests that did not run are no regressions")
    parser.add_argument("--label", default="irctest", help="the summary line's first word")
    args = parser.parse_args(argv)

    # pytest exits 0 (all passed) or 1 (some failed) after a complete run; anything else (interrupted, internal
    # error, usage error, nothing collected) means the run itself broke, which counts as a failure on its own.
    broken = args.pytest_status not in (0, 1) or not args.xml.exists()
    if args.xml.exists():
        run = read_run(args.xml)
    else:
        print(f"{args.label}: no results at {args.xml}", file=sys.stderr)
        run = Run(outcomes={})
    if broken:
        print(f"{args.label}: the run did not complete (pytest exit status {args.pytest_status})", file=sys.stderr)

    expected = read_expected(args.expected) if args.expected else []
    comparison = compare(run, expected, only_ran=args.only_ran)

    passed, failed, skipped = run.count(PASSED), run.count(FAILED), run.count(SKIPPED)
    total = len(run.outcomes)
    xfailed = f", {run.xfailed} of them xfailed" if run.xfailed else ""
    if args.expected:
        against = f"; {len(comparison.regressions)} regressions"
    else:
        against = ""
    print(f"{args.label}: {passed} passed, {failed} failed, {skipped} skipped{xfailed} (of {total}){against}")
    for test in comparison.regressions:
        print(f"  regression: {test}")
    if args.expected and comparison.new_passes and not args.update_expected:
        print(
            f"  {len(comparison.new_passes)} tests pass that {args.expected.name} does not list "
            "(scripts/irctest.sh --update-expected records them)"
        )

    regressions = len(comparison.regressions)
    if args.update_expected and args.expected:
        if broken:
            print(f"{args.label}: not updating {args.expected}: the run did not complete", file=sys.stderr)
        else:
            write_expected(args.expected, run)
            print(f"{args.label}: wrote {passed} tests to {args.expected}")
            regressions = 0  # the new list is this run's passes

    # A broken run must show as a failure even when nothing is expected yet.
    failures_to_report = regressions + (1 if broken else 0)
    if args.counts:
        args.counts.parent.mkdir(parents=True, exist_ok=True)
        args.counts.write_text(
            f"passed={passed} failed={failures_to_report} skipped={skipped} suite_failed={failed} total={total}\n"
        )
    return 1 if failures_to_report else 0


if __name__ == "__main__":
    sys.exit(main())
