# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/sinch_dev: the runner of the development commands (pure parts, and the scheduler with small jobs)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import io
import os
import sys
import threading
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCRIPTS = os.path.join(ROOT, "scripts")

pytestmark = pytest.mark.skipif(not os.path.isdir(os.path.join(SCRIPTS, "sinch_dev")),
                                reason="scripts/ is in a clone only, not in the built collection")

if os.path.isdir(os.path.join(SCRIPTS, "sinch_dev")) and SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)


@pytest.fixture
def dev():
    import sinch_dev.balance
    import sinch_dev.compat
    import sinch_dev.docsite
    import sinch_dev.layout
    import sinch_dev.project
    import sinch_dev.pythons
    import sinch_dev.release
    import sinch_dev.scheduler
    import sinch_dev.steps
    return sinch_dev


# --- pythons ------------------------------------------------------------------------------------------

def test_pyenv_versions_newest_patch_first_and_only_that_minor(dev):
    listing = "3.11.7\n3.12.1\n3.12.10\n3.12.9\n3.13.0\n3.12.1-dev\nsystem\n"
    assert dev.pythons.pyenv_versions("3.12", listing) == ["3.12.10", "3.12.9", "3.12.1"]
    assert dev.pythons.pyenv_versions("3.1", listing) == []


def test_merge_requirements_replaces_pins_of_the_same_project(dev):
    main = "# comment\nansible-core==2.21.5\nPyYAML==6.0.4\nansible_lint==26.10.1\n"
    fallback = "ansible-core==2.19.14\nansible-lint==25.1.0\n"
    merged = dev.pythons.merge_requirements(main, fallback).splitlines()
    assert merged == ["# comment", "PyYAML==6.0.4", "ansible-core==2.19.14", "ansible-lint==25.1.0"]


def test_select_base_prefers_the_newest_then_falls_back_saying_why(dev):
    found = {"3.12": "/py/3.12", "3.11": "/py/3.11"}
    base = dev.pythons.select_base({}, finder=found.get)
    assert (base.path, base.version, base.fallback) == ("/py/3.12", "3.12", False)
    base = dev.pythons.select_base({}, finder={"3.11": "/py/3.11"}.get)
    assert (base.path, base.version, base.fallback) == ("/py/3.11", "3.11", True)
    assert "no Python 3.13 or 3.12" in base.fallback_reason
    with pytest.raises(dev.pythons.SetupError, match="no Python 3.13, 3.12 or 3.11 found"):
        dev.pythons.select_base({}, finder={}.get)


def test_select_base_refuses_an_interpreter_that_does_not_run(dev):
    with pytest.raises(dev.pythons.SetupError, match="does not run"):
        dev.pythons.select_base({"SN_BASE_PYTHON": "/nonexistent/python"})


# --- balance ------------------------------------------------------------------------------------------

def test_split_balances_by_time_and_keeps_every_target_once(dev):
    times = {"a": 300, "b": 200, "c": 100, "d": 90, "e": 10}
    groups = dev.balance.split(list(times), times, 2)
    assert sorted(name for group in groups for name in group) == sorted(times)
    loads = sorted(sum(times[name] for name in group) for group in groups)
    assert loads == [310, 390]  # longest first, each to the lighter group: a+d and b+c+e (no split beats 390 here)
    assert dev.balance.split(["x"], {}, 4) == [["x"]]
    assert dev.balance.split([], {}, 2) == []


def test_split_takes_unknown_targets_at_a_default_time(dev):
    groups = dev.balance.split(["new1", "new2", "old"], {"old": 2 * dev.balance.UNKNOWN_TIME}, 2)
    assert sorted(groups) == [["new1", "new2"], ["old"]]


def test_runnable_targets_leave_out_setup_and_hidden_ones(dev, tmp_path):
    for name, aliases in (("a", "context/controller\n"), ("setup_x", ""), ("b", "hidden  # helper\n"), ("c", None),
                          ("d", "disabled\n"), ("prepare_y", "")):
        (tmp_path / name).mkdir()
        if aliases is not None:
            (tmp_path / name / "aliases").write_text(aliases)
    assert dev.balance.runnable_targets(str(tmp_path)) == ["a", "c"]


# --- layout -------------------------------------------------------------------------------------------

def test_mirror_copies_updates_and_removes(dev, tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    (src / "d").mkdir(parents=True)
    (src / "d" / "f.txt").write_text("one")
    (src / "g.txt").write_text("two")
    os.symlink("g.txt", str(src / "link"))
    assert dev.layout.mirror(str(src), str(dst), {"d/f.txt", "g.txt", "link"}) == (3, 0)
    assert os.readlink(str(dst / "link")) == "g.txt"
    (src / "g.txt").write_text("changed")
    (dst / "stale.txt").write_text("left over")
    assert dev.layout.mirror(str(src), str(dst), {"d/f.txt", "g.txt", "link"}) == (1, 1)
    assert (dst / "g.txt").read_text() == "changed"
    assert not (dst / "stale.txt").exists()


def test_link_copy_shares_files_and_leaves_out_tool_output(dev, tmp_path):
    coll = tmp_path / "ansible_collections" / "sinch" / "numbers"
    (coll / "tests" / "output").mkdir(parents=True)
    (coll / "tests" / "output" / "x").write_text("old output")
    (coll / "tests" / "unit").mkdir()
    (coll / "tests" / "unit" / "output").mkdir()  # not tests/output: kept
    (coll / "galaxy.yml").write_text("version: 1.0.0\n")
    copy = dev.layout.link_copy(str(coll), str(tmp_path / "job"))
    assert copy == str(tmp_path / "job" / "ansible_collections" / "sinch" / "numbers")
    assert os.path.samefile(os.path.join(copy, "galaxy.yml"), str(coll / "galaxy.yml"))
    assert not os.path.exists(os.path.join(copy, "tests", "output"))
    assert os.path.isdir(os.path.join(copy, "tests", "unit", "output"))
    (tmp_path / "job" / "ansible_collections" / "sinch" / "numbers" / "new").write_text("x")
    dev.layout.link_copy(str(coll), str(tmp_path / "job"))  # made afresh
    assert not os.path.exists(os.path.join(copy, "new"))


# --- scheduler ----------------------------------------------------------------------------------------

def make_job(dev, name, fn, needs=(), cost=1, step=None):
    return dev.scheduler.Job(name, step or name, fn, needs=needs, cost=cost)


def test_jobs_run_side_by_side_after_what_they_need(dev, tmp_path):
    started, lock = [], threading.Lock()

    def work(name, seconds=0.2):
        def fn(log):
            with lock:
                started.append(name)
            log.say("working")
            time.sleep(seconds)
            return "did " + name
        return fn

    jobs = [make_job(dev, "build", work("build"), cost=1), make_job(dev, "long", work("long", 0.5), cost=50),
            make_job(dev, "after", work("after"), needs=("build",), cost=99)]
    out = io.StringIO()
    scheduler = dev.scheduler.Scheduler(jobs, 2, str(tmp_path), out=out)
    assert scheduler.run() is True
    build, long_, after = jobs
    assert build.started <= long_.started  # "after" (the costliest) waits for "build": so "build" first
    assert after.started >= build.ended  # "after" waits for "build" although it costs most
    assert set(started[:2]) == {"long", "build"} and started[2] == "after"
    assert [job.state for job in jobs] == ["PASS"] * 3
    assert "working" in out.getvalue() and (tmp_path / "after.log").read_text().count("working") == 1


def test_a_failure_stops_running_jobs_and_starts_no_other(dev, tmp_path):
    def fails(log):
        time.sleep(0.2)
        raise dev.project.StepFailed("it broke")

    def sleeps(log):
        log.run([sys.executable, "-c", "import time; time.sleep(30)"])

    jobs = [make_job(dev, "fails", fails, cost=10), make_job(dev, "sleeps", sleeps, cost=20),
            make_job(dev, "later", lambda log: None, cost=1)]
    started = time.monotonic()
    scheduler = dev.scheduler.Scheduler(jobs, 2, str(tmp_path), out=io.StringIO())
    assert scheduler.run() is False
    assert time.monotonic() - started < 20
    assert [job.state for job in jobs] == ["FAIL", "STOP", "----"]
    text = dev.scheduler.summary(scheduler.steps(), 1.0, 2.0, 2)
    assert "FAIL  fails" in text and "it broke" in text
    assert text.rstrip().endswith("steps: 0 passed, 1 failed, 1 stopped, 1 not run")


def test_summary_names_each_step_its_time_details_and_the_total(dev, tmp_path):
    job = make_job(dev, "integration-1", lambda log: "group 1", step="integration")
    job.details.append("PASS target_a  12s")

    def skips(log):
        raise dev.project.StepSkipped("nothing to do")

    other = make_job(dev, "skipper", skips)
    scheduler = dev.scheduler.Scheduler([job, other], 1, str(tmp_path), out=io.StringIO())
    assert scheduler.run() is True
    text = dev.scheduler.summary(scheduler.steps(), 61.4, 70, 1)
    assert "PASS  integration  0s, group 1" in text
    assert "PASS target_a  12s" in text
    assert "SKIP  skipper      nothing to do" in text
    assert "total time: 61s (jobs busy 70s over 1 slot)" in text
    assert text.rstrip().endswith("steps: 1 passed, 0 failed, 1 skipped")


def test_the_scheduler_refuses_unknown_needs_and_twin_names(dev, tmp_path):
    with pytest.raises(ValueError, match="do not exist: nope"):
        dev.scheduler.Scheduler([make_job(dev, "a", None, needs=("nope",))], 1, str(tmp_path))
    with pytest.raises(ValueError, match="two jobs"):
        dev.scheduler.Scheduler([make_job(dev, "a", None), make_job(dev, "a", None)], 1, str(tmp_path))


def write_tree(root, files):
    """Write FILES ({relative path: text}) under ROOT."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


# --- compat -------------------------------------------------------------------------------------------

def test_compat_releases_run_up_to_the_one_before_the_venvs(dev):
    assert dev.compat.releases("2.21.5") == ["2.16", "2.17", "2.18", "2.19", "2.20"]
    assert dev.compat.releases("2.16.0") == []
    assert dev.compat.releases("2.19.14") == ["2.16", "2.17", "2.18"]


def test_the_whole_suite_runs_once_on_the_oldest_python_unless_the_main_run_has_it(dev):
    found = [("2.16", "3.12"), ("2.17", "3.11"), ("2.18", "3.13"), ("2.19", "3.11"), ("2.20", "3.12")]
    assert dev.compat.full_suite_releases(found, "3.13") == ["2.17"]
    assert dev.compat.full_suite_releases(found, "3.11") == []
    assert dev.compat.full_suite_releases([("2.16", "3.10"), ("2.17", "3.9")], "3.13") == ["2.17"]
    assert dev.compat.full_suite_releases([("2.16", None)], "3.13") == []


def test_imported_modules_resolve_relative_imports(dev):
    source = "import os\nfrom ansible.module_utils.basic import AnsibleModule\nfrom . import _money\nfrom .._x import y\n"
    names = dev.compat.imported_modules(source, "ansible_collections.sinch.numbers.plugins.module_utils")
    assert "ansible.module_utils.basic" in names and "os" in names
    assert "ansible_collections.sinch.numbers.plugins.module_utils._money" in names
    assert "ansible_collections.sinch.numbers.plugins._x" in names


def test_core_tests_are_those_reaching_ansible_directly_or_through_collection_code(dev, tmp_path):
    files = {
        "plugins/module_utils/_pure.py": "import decimal\n",
        "plugins/module_utils/_module.py": "from ansible.module_utils.basic import AnsibleModule\n",
        "plugins/module_utils/_uses.py": "from . import _module\n",
        "tests/unit/plugins/test_pure.py": "from ansible_collections.sinch.numbers.plugins.module_utils import _pure\n",
        "tests/unit/plugins/test_uses.py": "from ansible_collections.sinch.numbers.plugins.module_utils._uses import x\n",
        "tests/unit/plugins/test_direct.py": "import ansible.release\n",
        "tests/unit/plugins/test_name.py": "from ansible_collections.sinch.numbers.plugins.module_utils import _module\n",
    }
    write_tree(tmp_path, files)
    assert dev.compat.core_tests(str(tmp_path)) == [
        "tests/unit/plugins/test_direct.py", "tests/unit/plugins/test_name.py", "tests/unit/plugins/test_uses.py"]


def test_core_tests_of_this_collection_leave_pure_tests_out_and_keep_module_tests(dev):
    chosen = dev.compat.core_tests(ROOT)
    assert "tests/unit/plugins/modules/test_sinch_number_rent.py" in chosen
    assert "tests/unit/plugins/lookup/test_rented_numbers.py" in chosen
    assert "tests/unit/plugins/module_utils/test_planner.py" not in chosen
    every = [os.path.relpath(os.path.join(d, f), ROOT) for d, _s, fs in os.walk(os.path.join(ROOT, "tests", "unit"))
             for f in fs if f.startswith("test_") and f.endswith(".py")]
    assert 0 < len(chosen) < len(every)


# --- release, docs ------------------------------------------------------------------------------------

def test_artifact_problems_name_what_is_missing_and_what_must_stay_out(dev):
    readme = "# users\n" + dev.release.DEV_HEADING + "scripts/ here is fine\n"
    names = ["./" + name for name in dev.release.MUST_HAVE] + ["plugins/modules/m%d.py" % i for i in range(7)]
    assert dev.release.artifact_problems(names, readme) == []
    problems = dev.release.artifact_problems(names[1:] + ["scripts/dev.py", "tests/output/x"], "run scripts/dev.py")
    text = "; ".join(problems)
    assert "misses: MANIFEST.json" in text and "scripts/dev.py" in text and "tests/output/x" in text
    assert "no development heading" in text


def test_address_problems(dev):
    galaxy = {"repository": "https://github.com/o/r", "documentation": "https://o.github.io/r/", "homepage": "h",
              "issues": "https://github.com/o/r/issues"}
    links = {"edit_on_github": {"repository": "o/r"}, "extra_links": [{"url": "https://github.com/o/r/issues"}]}
    assert dev.release.address_problems(galaxy, links) == []
    bad = dict(galaxy, documentation="https://github.com/o/r/docs/rst")
    assert "is not the built docs site" in dev.release.address_problems(bad, links)[0]
    assert "not galaxy.yml's repository" in dev.release.address_problems(galaxy, {"edit_on_github": {"repository": "x/y"}})[0]


def test_java_major(dev):
    assert dev.release.java_major('openjdk version "17.0.9" 2023-10-17') == 17
    assert dev.release.java_major('java version "1.8.0_392"') == 8
    assert dev.release.java_major("nothing") is None


def test_docsite_edits_are_refused_when_antsibull_docs_changes_its_files(dev):
    assert "intersphinx_mapping = {}" in dev.docsite.offline_conf("x = 1\nintersphinx_mapping = {\n 'a': 1}\n")
    with pytest.raises(dev.project.StepFailed):
        dev.docsite.offline_conf("nothing here\n")
    script = "set -e\nsphinx-build -M html rst build -c . -W --keep-going\n"
    assert "-w build/warnings.log" in dev.docsite.keep_warnings(script)
    with pytest.raises(dev.project.StepFailed):
        dev.docsite.keep_warnings("sphinx-build -M html rst build\n")


# --- steps --------------------------------------------------------------------------------------------

def test_count_testcases_and_target_times(dev, tmp_path):
    junit = tmp_path / "junit"
    junit.mkdir()
    (junit / "python3.13-units.xml").write_text("<testsuites><testsuite><testcase/><testcase/></testsuite></testsuites>")
    (junit / "other.xml").write_text("<testsuites><testsuite><testcase/></testsuite></testsuites>")
    assert dev.steps.count_testcases(str(junit)) == 2
    data = tmp_path / "coll" / "tests" / "output" / "data"
    data.mkdir(parents=True)
    (data / "integration-2026-01-01-00-00-00.json").write_text('{"targets": {"a": {"run_time_seconds": 12}}}')
    assert dev.steps.target_times(str(tmp_path / "coll")) == {"a": 12}


def test_plugin_names_cover_modules_lookups_and_documented_filters(dev):
    names = dev.steps.plugin_names(ROOT)
    assert "module:sinch.numbers.sinch_session" in names
    assert "lookup:sinch.numbers.rented_numbers" in names
    assert any(name.startswith("filter:sinch.numbers.") for name in names)
    assert not any(name.endswith("__init__") for name in names)


def test_a_comment_changes_no_environment_stamp(dev):
    one = dev.pythons.requirement_lines("# top\nansible-core==2.21.5  # the newest\n\nPyYAML==6.0.4\n")
    other = dev.pythons.requirement_lines("# other words\nansible-core==2.21.5\nPyYAML==6.0.4\n")
    assert one == other == ["ansible-core==2.21.5", "PyYAML==6.0.4"]
    assert dev.pythons.requirement_lines("ansible-core==2.21.4\n") != one


def test_an_interruption_stops_the_running_jobs_before_it_returns(dev, tmp_path):
    import _thread
    marker = tmp_path / "child-still-running"

    def sleeps(log):
        log.run([sys.executable, "-c", "import time, sys; time.sleep(20); open(sys.argv[1], 'w').close()", str(marker)])

    job = make_job(dev, "sleeps", sleeps)
    scheduler = dev.scheduler.Scheduler([job], 2, str(tmp_path), out=io.StringIO())
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        scheduler.run()
    assert time.monotonic() - started < 15
    assert job.state == "STOP"
    time.sleep(0.5)
    assert not marker.exists()


def test_a_short_job_that_long_ones_wait_for_starts_first(dev):
    jobs = [make_job(dev, "lint", None, cost=30), make_job(dev, "build", None, cost=1),
            make_job(dev, "eda", None, needs=("build",), cost=70), make_job(dev, "sanity", None, cost=60)]
    assert [job.name for job in dev.scheduler.order(jobs, {"sanity": 65})] == ["build", "eda", "sanity", "lint"]
    circle = [make_job(dev, "a", None, needs=("b",)), make_job(dev, "b", None, needs=("a",))]
    with pytest.raises(ValueError, match="circle"):
        dev.scheduler.order(circle, {})


def test_core_tests_follow_helpers_conftest_and_importlib(dev, tmp_path):
    files = {
        "tests/unit/plugins/fakes.py": "from ansible.module_utils.basic import AnsibleModule\n",
        "tests/unit/plugins/test_relative_helper.py": "from .fakes import Fake\n",
        "tests/unit/plugins/test_absolute_helper.py": "from ansible_collections.sinch.numbers.tests.unit.plugins.fakes import Fake\n",
        "tests/unit/plugins/test_importlib.py": "import importlib\nmodule = importlib.import_module('ansible.release')\n",
        "tests/unit/other/conftest.py": "import ansible.errors\n",
        "tests/unit/other/test_by_fixture.py": "def test_x(fixture):\n    pass\n",
        "tests/unit/pure/test_pure.py": "import decimal\n",
        "tests/unit/plugins/test_six_only.py": "from ansible.module_utils.six.moves.urllib.parse import quote\n",
    }
    write_tree(tmp_path, files)
    assert dev.compat.core_tests(str(tmp_path)) == [
        "tests/unit/other/test_by_fixture.py", "tests/unit/plugins/test_absolute_helper.py",
        "tests/unit/plugins/test_importlib.py", "tests/unit/plugins/test_relative_helper.py"]


def test_describe_names_the_script_or_module_and_its_first_word(dev):
    describe = dev.project.describe
    assert describe(["/v/bin/python", "/r/scripts/sinch_dev/render_docs.py", "module:sinch.numbers.x"]) == "render_docs.py"
    assert describe(["/v/bin/python", "-m", "pytest", "-q"]) == "python -m pytest"
    assert describe(["ansible-test", "sanity", "--requirements"]) == "ansible-test sanity"
    assert describe(["/usr/bin/ansible-galaxy", "collection", "build"]) == "ansible-galaxy collection"


def test_busy_time_is_the_union_of_the_intervals(dev):
    assert dev.scheduler.busy_time([]) is None
    assert dev.scheduler.busy_time([(0, 10), (5, 12), (100, 101)]) == 13


def test_every_target_of_a_group_is_named_also_when_it_was_stopped(dev):
    class Ctx:
        known_times = {}

    job = make_job(dev, "integration-1", None, step="integration")
    times = dev.steps.record_targets(Ctx, job, ["a", "b", "c"], [("a", 0.0), ("b", 10.0)], 25.0, {}, stopped=True)
    assert times == {"a": None, "b": None}
    assert [line.split()[:2] for line in job.details] == [["PASS", "a"], ["STOP", "b"], ["----", "c"]]
    assert Ctx.known_times == {"target:a": 10, "target:b": 15}
    job.details[:] = []
    dev.steps.record_targets(Ctx, job, ["a", "b"], [("a", 0.0), ("b", 10.0)], 25.0, {"a": 9})
    assert [line.split() for line in job.details] == [["PASS", "a", "9s"], ["FAIL", "b", "15s"]]


def test_a_first_run_is_balanced_by_the_projects_own_record_and_later_ones_by_their_last_run(dev, tmp_path):
    project = dev.project.Project(str(tmp_path))
    first = project.read_times()
    assert first["target:money_faults"] > first["target:sinch_session"]  # from scripts/sinch_dev/times.json
    project.write_times({"target:money_faults": 1, "units": 2})
    later = project.read_times()
    assert later["target:money_faults"] == 1 and later["units"] == 2
    assert later["target:sinch_session"] == first["target:sinch_session"]


def test_every_unit_test_file_runs_under_exactly_one_runner(dev):
    every = dev.steps.all_unit_tests(ROOT)
    core = dev.compat.core_tests(ROOT)
    assert set(core) <= set(every) and len(set(core)) == len(core)
    assert "tests/unit/scripts/test_sinch_dev.py" in every and "tests/unit/scripts/test_sinch_dev.py" not in core


def test_a_runner_that_ran_no_test_fails_the_units_even_when_the_other_ran_many(dev, tmp_path):
    class FakeLog:
        """ansible-test "passes" without writing a junit file; pytest writes one with two test cases."""

        def __init__(self):
            self.commands = []

        def run(self, argv, **kwargs):
            self.commands.append(argv[0])
            if "--junit-xml" in argv:
                with open(argv[argv.index("--junit-xml") + 1], "w") as handle:
                    handle.write("<testsuites><testsuite><testcase/><testcase/></testsuite></testsuites>")
            return 0

    coll = tmp_path / "ansible_collections" / "sinch" / "numbers"
    coll.mkdir(parents=True)
    with pytest.raises(dev.project.StepFailed, match="ansible-test units ran no test of the 1 files"):
        dev.steps.run_unit_tests(FakeLog(), str(coll), {}, sys.executable, "3.13", ["tests/unit/test_a.py"], ["tests/unit/test_b.py"])
    assert dev.steps.run_unit_tests(FakeLog(), str(coll), {}, sys.executable, "3.13", [], ["tests/unit/test_b.py"]) == (0, 2)


def test_a_conftest_at_the_collection_root_that_imports_ansible_makes_every_test_reach_it(dev, tmp_path):
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "conftest.py").write_text("import ansible.release\n")
    (tmp_path / "tests" / "unit" / "test_pure.py").write_text("import decimal\n")
    (tmp_path / "tests" / "emulator").mkdir()
    (tmp_path / "tests" / "emulator" / "helper.py").write_text("import ansible.errors\n")
    assert dev.compat.core_tests(str(tmp_path)) == ["tests/unit/test_pure.py"]
    (tmp_path / "conftest.py").unlink()
    assert dev.compat.core_tests(str(tmp_path)) == []
    (tmp_path / "tests" / "unit" / "test_pure.py").write_text("from ansible_collections.sinch.numbers.tests.emulator import helper\n")
    assert dev.compat.core_tests(str(tmp_path)) == ["tests/unit/test_pure.py"]
