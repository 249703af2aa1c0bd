"""Running the jobs of the steps side by side, as many at once as there are slots, and the summary.

A step is one row of the summary; it is made of one job or several (the integration groups, the
ansible-core releases of compat). A job starts when the jobs it needs have passed; the longest
(by the times of the last run) starts first. The first failure stops every running job and starts
no other; the summary then says which steps failed, which were stopped and which never ran.

With one slot the output of a job goes to the console as it comes; with more, each job's output is
printed whole when it ends (never interleaved), and it is always in .build/logs/JOB.log.
"""

import os
import sys
import threading
import time

from .project import Cancelled, Log, StepFailed, StepSkipped

PASS, FAIL, SKIP, STOPPED, NOT_RUN = "PASS", "FAIL", "SKIP", "STOP", "----"


class Job:
    """One unit of work: FN(log) returns a note for the summary (or None) and raises StepFailed/StepSkipped."""

    def __init__(self, name, step, fn, needs=(), cost=10.0, details=None):
        self.name, self.step, self.fn, self.needs, self.cost = name, step, fn, tuple(needs), cost
        self.state, self.note, self.started, self.ended = NOT_RUN, None, None, None
        self.details = details if details is not None else []  # extra summary lines (e.g. target times)

    @property
    def seconds(self):
        if self.started is None or self.ended is None:
            return None
        return self.ended - self.started


def order(jobs, known_times):
    """JOBS, those with the longest path to the end first: a job's own time (last run's, else its cost estimate)
    plus the longest path of the jobs that wait for it (so the artifact build, which three jobs wait for, starts early)."""
    own = {job.name: float(known_times.get(job.name, job.cost)) for job in jobs}
    waiting = {job.name: [other.name for other in jobs if job.name in other.needs] for job in jobs}
    path = {}

    def longest(name, seen=()):
        if name not in path:
            if name in seen:
                raise ValueError("jobs need each other in a circle: %s" % " -> ".join(seen + (name,)))
            path[name] = own[name] + max([longest(other, seen + (name,)) for other in waiting[name]] or [0.0])
        return path[name]

    return sorted(jobs, key=lambda job: -longest(job.name))


class Scheduler:
    """Runs JOBS with SLOTS at once; see the module's docstring."""

    def __init__(self, jobs, slots, logs, known_times=None, out=None):
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError("two jobs have one name")
        missing = {need for job in jobs for need in job.needs} - set(names)
        if missing:
            raise ValueError("jobs need jobs that do not exist: %s" % ", ".join(sorted(missing)))
        self.jobs, self.slots, self.logs = list(jobs), max(1, int(slots)), logs
        self.known_times = known_times or {}
        self.out = out or sys.stdout
        self.cancel = threading.Event()
        self.reason = "another step failed"
        self.done = threading.Condition()
        self.print_lock = threading.Lock()
        self.started_at = None

    def _ready(self, job):
        states = {other.name: other.state for other in self.jobs}
        return all(states[need] in (PASS, SKIP) for need in job.needs)

    def _blocked(self, job):
        states = {other.name: other.state for other in self.jobs}
        return any(states[need] in (FAIL, STOPPED) for need in job.needs)

    def _print(self, text):
        with self.print_lock:
            self.out.write(text)
            self.out.flush()

    def _run(self, job):
        live = self.slots == 1
        log = Log(os.path.join(self.logs, job.name.replace(":", "-").replace("/", "-") + ".log"), live, self.cancel)
        if live:
            self._print("\n======== step: %s ========\n" % job.name)
        try:
            job.note = job.fn(log)
            job.state = PASS
        except StepSkipped as skipped:
            job.state, job.note = SKIP, str(skipped)
        except Cancelled:
            job.state, job.note = STOPPED, "stopped: " + self.reason
        except StepFailed as failed:
            job.state, job.note = FAIL, str(failed)
        except Exception as error:  # pylint: disable=broad-except
            job.state, job.note = FAIL, "%s: %s" % (type(error).__name__, error)
            log.write("ERROR: %s\n" % job.note)
        finally:
            job.ended = time.monotonic()
            log.close()
        if job.state == FAIL:
            self.cancel.set()
        seconds = "%ds" % round(job.seconds)
        if not live and job.state != STOPPED:
            with open(log.path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            self._print("\n======== step: %s (%s, %s) ========\n%s" % (job.name, job.state, seconds, text))
        if job.state == FAIL:
            self._print("\nFAILED: %s (%s): %s; its output: .build/logs/%s\n" % (job.name, seconds, job.note, os.path.basename(log.path)))
        elif job.state == SKIP:
            self._print("step %s skipped: %s\n" % (job.name, job.note))
        else:
            self._print("---- %s: %s in %s%s\n" % (job.name, job.state, seconds, "; " + job.note if job.note else ""))
        with self.done:
            self.done.notify_all()

    def run(self):
        """Run every job; return True when none failed. Interrupted (Ctrl-C, SIGTERM), it stops the running
        jobs (and what they started) before it gives the interruption back."""
        self.started_at = time.monotonic()
        threads = []
        try:
            self._loop(threads)
        except KeyboardInterrupt:
            self.reason = "interrupted"
            self.cancel.set()
            for thread in threads:
                thread.join(timeout=120)
            raise
        finally:
            for job in self.jobs:
                if job.state == "RUN":
                    job.state = STOPPED
        return not any(job.state == FAIL for job in self.jobs)

    def _loop(self, threads):
        pending = order(self.jobs, self.known_times)
        running = []
        with self.done:
            while pending or running:
                running = [job for job in running if job.ended is None]
                if self.cancel.is_set():
                    pending = []
                for job in [job for job in pending if self._blocked(job)]:
                    pending.remove(job)
                for job in list(pending):
                    if len(running) >= self.slots:
                        break
                    if self._ready(job):
                        pending.remove(job)
                        job.started = time.monotonic()
                        job.state = "RUN"
                        running.append(job)
                        thread = threading.Thread(target=self._run, args=(job,), name=job.name, daemon=True)
                        threads.append(thread)
                        thread.start()
                if pending and not running and not any(self._ready(job) for job in pending):
                    break  # nothing can start any more
                if running or pending:
                    self.done.wait(timeout=1.0)

    def steps(self):
        """(step, state, seconds, notes, details) per step, in the order the steps were first named."""
        rows, seen = [], []
        for job in self.jobs:
            if job.step not in seen:
                seen.append(job.step)
        for step in seen:
            jobs = [job for job in self.jobs if job.step == step]
            states = {job.state for job in jobs}
            if FAIL in states:
                state = FAIL
            elif STOPPED in states:
                state = STOPPED
            elif NOT_RUN in states:
                state = NOT_RUN
            elif states == {SKIP}:
                state = SKIP
            else:
                state = PASS
            seconds = busy_time([(job.started, job.ended) for job in jobs if job.started is not None and job.ended is not None])
            if len(jobs) == 1:
                notes, details = ([jobs[0].note] if jobs[0].note else []), list(jobs[0].details)
            else:  # one line per job, then what each job adds
                notes, details = ["%d jobs" % len(jobs)], []
                for job in jobs:
                    details.append("%-4s %s%s" % (job.state, job.name, ": " + job.note if job.note else ""))
                    details.extend("  " + line for line in job.details)
            rows.append((step, state, seconds, notes, details))
        return rows


def busy_time(intervals):
    """How long at least one of INTERVALS ((start, end) pairs) was running; None when there is none."""
    if not intervals:
        return None
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    return total + current_end - current_start


def summary(rows, total, busy, slots, title="sinch.numbers test summary"):
    """The summary text: one line per step (state, name, time, notes), its details, the total and the counts."""
    lines = ["", "==================== %s ====================" % title]
    counts = {}
    for step, state, seconds, notes, details in rows:
        counts[state] = counts.get(state, 0) + 1
        parts = (["%ds" % round(seconds)] if seconds is not None and state != SKIP else []) + notes
        lines.append("  %-4s  %-12s %s" % (state, step, ", ".join(parts)))
        lines.extend("          " + line for line in details)
    lines.append("  total time: %ds (jobs busy %ds over %d slot%s)" % (round(total), round(busy), slots, "" if slots == 1 else "s"))
    tail = "steps: %d passed, %d failed" % (counts.get(PASS, 0), counts.get(FAIL, 0))
    if counts.get(SKIP):
        tail += ", %d skipped" % counts[SKIP]
    if counts.get(STOPPED):
        tail += ", %d stopped" % counts[STOPPED]
    if counts.get(NOT_RUN):
        tail += ", %d not run" % counts[NOT_RUN]
    lines.append(tail)
    return "\n".join(lines) + "\n"
