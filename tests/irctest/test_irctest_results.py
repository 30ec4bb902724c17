"""Self-test of the irctest harness's counting: scripts/irctest.sh --self-test runs it (no CatChat, no irctest run).

A hand-made JUnit XML holds one test of every outcome pytest writes; the counts, the regressions, the counts file
and the exit status are checked through the module and through scripts/irctest.sh --compare-only.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import irctest_results  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "irctest.sh"
MODULE = "irctest.server_tests.demo"

# As pytest-xdist's junitxml writes it (xunit2): module.Class as classname; a skip, an xfail and an error as children;
# a test whose call passed but whose teardown failed appears a second time with the error.
JUNIT = f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="2" tests="8">
<testcase classname="{MODULE}.DemoTestCase" name="testPasses" time="0.1"/>
<testcase classname="{MODULE}.DemoTestCase" name="testFails" time="0.1"><failure message="AssertionError">x</failure></testcase>
<testcase classname="{MODULE}.DemoTestCase" name="testErrors" time="0.1"><error message="setup">x</error></testcase>
<testcase classname="{MODULE}.DemoTestCase" name="testSkipped" time="0.1"><skipped type="pytest.skip" message="Not implemented by controller: Services">x</skipped></testcase>
<testcase classname="{MODULE}.DemoTestCase" name="testXfail" time="0.1"><skipped type="pytest.xfail" message="known">x</skipped></testcase>
<testcase classname="{MODULE}.DemoTestCase" name="testTeardownFails" time="0.1"/>
<testcase classname="{MODULE}.DemoTestCase" name="testTeardownFails" time="0.1"><error message="failed on teardown">x</error></testcase>
<testcase classname="irctest.server_tests.chmodes.ban.BanModeTestCase" name="testNewPass[a.b]" time="0.1"/>
</testsuite></testsuites>
"""


def test_id(name: str) -> str:
    return f"irctest/server_tests/demo.py::DemoTestCase::{name}"


NEW_PASS = "irctest/server_tests/chmodes/ban.py::BanModeTestCase::testNewPass[a.b]"
EXPECTED = [
    "# a comment, and a blank line, are not tests",
    "",
    test_id("testPasses"),
    test_id("testFails"),  # failure: regression
    test_id("testErrors"),  # error: regression
    test_id("testSkipped"),  # skipped: regression
    test_id("testTeardownFails"),  # passed, then errored in teardown: regression
    test_id("testGone"),  # not in the run at all: regression
]
REGRESSIONS = [test_id(n) for n in ("testFails", "testErrors", "testSkipped", "testTeardownFails", "testGone")]


class IrctestResultsTests(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="irctest-selftest-"))
        self.xml = self.dir / "run.xml"
        self.xml.write_text(JUNIT)
        self.expected = self.dir / "expected-pass.txt"
        self.expected.write_text("\n".join(EXPECTED) + "\n")
        self.counts = self.dir / "run.counts"

    def tearDown(self) -> None:
        subprocess.run(["rm", "-rf", str(self.dir)], check=True)

    def main(self, *args: str) -> int:
        # The module's own summary lines would only clutter the test output.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return irctest_results.main(list(args))

    def script(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", str(SCRIPT), "--compare-only", str(self.xml), "--expected", str(self.expected), *args,
             str(self.dir / "run.xml")],
            capture_output=True, text=True,
        )

    def test_node_ids_are_pytests_own(self) -> None:
        self.assertEqual(
            irctest_results.node_id("irctest.server_tests.chmodes.ban.BanModeTestCase", "testX[a.b]"),
            "irctest/server_tests/chmodes/ban.py::BanModeTestCase::testX[a.b]",
        )

    def test_every_outcome_is_counted_once_and_the_worst_report_wins(self) -> None:
        run = irctest_results.read_run(self.xml)
        self.assertEqual(run.ids("passed"), {test_id("testPasses"), NEW_PASS})
        self.assertEqual(run.ids("failed"), {test_id(n) for n in ("testFails", "testErrors", "testTeardownFails")})
        self.assertEqual(run.ids("skipped"), {test_id("testSkipped"), test_id("testXfail")})
        self.assertEqual(run.xfailed, 1)

    def test_an_expected_test_that_did_not_pass_or_did_not_run_is_a_regression(self) -> None:
        run = irctest_results.read_run(self.xml)
        comparison = irctest_results.compare(run, irctest_results.read_expected(self.expected))
        self.assertEqual(comparison.regressions, REGRESSIONS)
        self.assertEqual(comparison.new_passes, [NEW_PASS])

    def test_a_narrowed_run_does_not_count_tests_it_left_out(self) -> None:
        run = irctest_results.read_run(self.xml)
        comparison = irctest_results.compare(run, irctest_results.read_expected(self.expected), only_ran=True)
        self.assertEqual(comparison.regressions, REGRESSIONS[:-1])

    def test_the_script_prints_the_summary_writes_the_counts_and_fails_on_regressions(self) -> None:
        result = self.script()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("irctest: 2 passed, 3 failed, 2 skipped, 1 of them xfailed (of 7); 5 regressions", result.stdout)
        for test in REGRESSIONS:
            self.assertIn(f"regression: {test}", result.stdout)
        self.assertEqual(self.counts.read_text(), "passed=2 failed=5 skipped=2 suite_failed=3 total=7\n")

    def test_update_expected_records_the_passes_and_the_next_comparison_is_clean(self) -> None:
        result = self.script("--update-expected")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(
            irctest_results.read_expected(self.expected), sorted([test_id("testPasses"), NEW_PASS])
        )
        again = self.script()
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn("; 0 regressions", again.stdout)
        self.assertTrue(self.counts.read_text().startswith("passed=2 failed=0 "))

    def test_a_run_without_results_fails_even_when_nothing_is_expected(self) -> None:
        self.expected.write_text("")
        status = self.main(
            str(self.dir / "missing.xml"), "--expected", str(self.expected), "--counts", str(self.counts),
            "--pytest-status", "3",
        )
        self.assertEqual(status, 1)
        self.assertEqual(self.counts.read_text(), "passed=0 failed=1 skipped=0 suite_failed=0 total=0\n")

    def test_a_broken_run_does_not_overwrite_the_expected_list(self) -> None:
        before = self.expected.read_text()
        status = self.main(
            str(self.xml), "--expected", str(self.expected), "--counts", str(self.counts), "--pytest-status", "2",
            "--update-expected",
        )
        self.assertEqual(status, 1)
        self.assertEqual(self.expected.read_text(), before)


if __name__ == "__main__":
    unittest.main()
