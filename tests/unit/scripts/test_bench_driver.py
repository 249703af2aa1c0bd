# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/bench_driver.py: pairs alternate after a warm-up, statistics of paired times, options, the table."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import os

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
SCRIPT = os.path.join(ROOT, "scripts", "bench_driver.py")

pytestmark = pytest.mark.skipif(not os.path.isfile(SCRIPT), reason="scripts/ is in a clone only, not in the built collection")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_driver", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_schedule_is_a_warm_up_pair_then_pairs_that_alternate_which_goes_first(bench):
    assert bench.pair_schedule(5) == [
        (False, ("a", "b")),
        (True, ("b", "a")), (True, ("a", "b")), (True, ("b", "a")), (True, ("a", "b")), (True, ("b", "a")),
    ]


def test_run_pairs_interleaves_keeps_counted_pairs_and_resets_before_each_a(bench):
    calls = []
    counter = {"a": 0, "b": 0}

    def run(side):
        def one():
            counter[side] += 1
            calls.append("%s%d" % (side, counter[side]))
            return "%s%d" % (side, counter[side])
        return one

    kept_a, kept_b = bench.run_pairs(5, run("a"), run("b"), before_a=lambda: calls.append("reset"))

    assert calls == ["reset", "a1", "b1",            # warm-up pair, not counted
                     "b2", "reset", "a2",
                     "reset", "a3", "b3",
                     "b4", "reset", "a4",
                     "reset", "a5", "b5",
                     "b6", "reset", "a6"]
    assert kept_a == ["a2", "a3", "a4", "a5", "a6"]
    assert kept_b == ["b2", "b3", "b4", "b5", "b6"]


def test_run_pairs_without_a_reset_only_runs_a_and_b(bench):
    calls = []
    kept_a, kept_b = bench.run_pairs(6, lambda: calls.append("a") or 1.0, lambda: calls.append("b") or 2.0)
    assert "".join(calls) == "ab" + "baab" * 3
    assert kept_a == [1.0] * 6 and kept_b == [2.0] * 6


def test_summarize_gives_medians_of_each_side_and_of_the_pairs_ratios(bench):
    stats = bench.summarize([2.0, 3.0, 9.0, 4.0, 2.5], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert stats["pairs"] == 5
    assert stats["median_a"] == 3.0
    assert stats["median_b"] == 3.0
    assert stats["ratios"] == [2.0, 1.5, 3.0, 1.0, 0.5]
    # The median ratio is the median of the pairs' ratios, not the ratio of the medians (1.0 here).
    assert stats["median_ratio"] == 1.5
    assert stats["min_ratio"] == 0.5
    assert stats["max_ratio"] == 3.0
    assert stats["spread"] == 2.5


def test_summarize_of_an_even_number_of_pairs_takes_the_middle_two(bench):
    stats = bench.summarize([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.0] * 6)
    assert stats["median_a"] == 3.5 and stats["median_ratio"] == 3.5 and stats["spread"] == 5.0


@pytest.mark.parametrize("a_times, b_times", [([], []), ([1.0, 2.0], [1.0]), ([1.0], [0.0])])
def test_summarize_refuses_unpaired_or_empty_times_and_a_zero_base(bench, a_times, b_times):
    with pytest.raises(ValueError):
        bench.summarize(a_times, b_times)


def test_options_defaults(bench, tmp_path):
    opts = bench.parse_options(["--work", str(tmp_path)])
    assert opts == {"work": str(tmp_path), "pairs": 5, "rentals": [1, 10, 50], "estate": 20, "forks": 10,
                    "rows": ["read", "size", "role", "estate"]}


def test_options_given(bench, tmp_path):
    opts = bench.parse_options(["--work", str(tmp_path), "--pairs", "7", "--rentals", "2,3", "--estate", "4", "--forks", "2",
                                "--rows", "estate,read"])
    assert opts == {"work": str(tmp_path), "pairs": 7, "rentals": [2, 3], "estate": 4, "forks": 2, "rows": ["read", "estate"]}


def test_estate_zero_skips_the_estate_rows(bench, tmp_path):
    assert bench.parse_options(["--work", str(tmp_path), "--estate", "0"])["rows"] == ["read", "size", "role"]


@pytest.mark.parametrize("args, words", [
    (["--pairs", "4"], "--pairs wants a whole number of pairs, 5 or more"),
    (["--pairs", "five"], "--pairs wants a whole number of pairs, 5 or more"),
    (["--rentals", "1,,10"], "--rentals wants rental counts of 1 or more"),
    (["--rentals", "0"], "--rentals wants rental counts of 1 or more"),
    (["--estate", "-1"], "--estate"),
    (["--estate", "x"], "--estate wants a whole number, 0 or more"),
    (["--forks", "0"], "--forks wants a whole number, 1 or more"),
    (["--rows", "read,speed"], "--rows wants row groups from read,size,role,estate"),
    (["--rows", ","], "--rows wants row groups from read,size,role,estate"),
    (["--rows", "estate", "--estate", "0"], "leaves nothing to measure"),
    (["--colour"], "unrecognized arguments: --colour"),
])
def test_a_bad_option_is_one_sentence_and_exit_status_2(bench, tmp_path, capsys, args, words):
    with pytest.raises(SystemExit) as exited:
        bench.parse_options(["--work", str(tmp_path)] + args)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in captured.err
    assert captured.err.startswith("bench: ") and captured.err.endswith(" (try --help).\n")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_work_must_be_given_and_exist(bench, tmp_path, capsys):
    for args in ([], ["--work", str(tmp_path / "missing")]):
        with pytest.raises(SystemExit) as exited:
            bench.parse_options(args)
        assert exited.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "bench: the following arguments are required: --work (try --help)."
    assert err[1].startswith("bench: --work wants an existing directory")


def test_table_is_markdown_with_one_line_per_row(bench):
    rows = [
        bench.table_row("read", "sinch_organisation_info", "uri GET organisation",
                        bench.summarize([0.5, 0.6, 0.4, 0.5, 0.55], [0.5, 0.5, 0.5, 0.5, 0.5]), "1", "0", "1"),
        bench.table_row("estate", "20 organisations, re-run, forks 10", "1 organisation, re-run (4 requests)",
                        bench.summarize([12.5, 13.0, 14.0, 12.0, 12.25], [2.5] * 5), "80", "0"),
    ]
    lines = bench.format_table(rows).splitlines()
    assert lines[0] == ("| group | case (A) | compared with (B) | pairs | median A (s) | median B (s) | median ratio | min ratio"
                        " | spread | requests | writes | tasks |")
    assert lines[1] == "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    assert lines[2] == "| read | sinch_organisation_info | uri GET organisation | 5 | 0.500 | 0.500 | 1.00 | 0.80 | 0.40 | 1 | 0 | 1 |"
    assert lines[3] == ("| estate | 20 organisations, re-run, forks 10 | 1 organisation, re-run (4 requests) | 5 | 12.50 | 2.500"
                        " | 5.00 | 4.80 | 0.80 | 80 | 0 | - |")
    assert len(lines) == 4
    assert all(line.count("|") == 13 for line in lines)


def test_seconds_keep_three_significant_digits(bench):
    assert [bench._seconds(value) for value in (0.00213, 0.4, 2.5604, 12.5)] == ["0.0021", "0.400", "2.560", "12.50"]


def test_median_of_counts_is_whole_when_it_is_one(bench):
    assert bench.median_of([{"requests": 4}, {"requests": 4}, {"requests": 5}], "requests") == "4"
    assert bench.median_of([{"requests": 4}, {"requests": 5}], "requests") == "4.5"


def test_machine_line_says_the_load_at_start_and_at_end(bench):
    line = bench.machine((1.5, 1.25, 1.0), (2.0, 1.75, 1.125))
    assert "load average 1.50 1.25 1.00 at start, 2.00 1.75 1.12 at end" in line
    assert "CPU(s)" in line and "Python " in line and "ansible-core " in line
    assert "at end" not in bench.machine((0.5, 0.5, 0.5))
