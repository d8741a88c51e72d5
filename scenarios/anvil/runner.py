"""Running scenarios: one fresh mockca per (client, scenario), the client with its deadline, the
judgement, and the result (with the report's verdicts embedded). Jobs run in parallel threads,
each on its own ports.

    results = run_jobs([Job(adapter, scenario), ...], workers=2, on_result=print)
"""
import concurrent.futures
import json
import pathlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from . import stack as stack_module
from .judge import Check, Records, judge, verdict_summary
from .run import run_action

# Result statuses. FAIL, TIMEOUT and ERROR fail the run; XPASS fails it only with --strict.
PASS, FAIL, TIMEOUT, ERROR = "PASS", "FAIL", "TIMEOUT", "ERROR"
XFAIL, XPASS, NA, SKIP = "XFAIL", "XPASS", "N/A", "SKIP"
FAILING = (FAIL, TIMEOUT, ERROR)


@dataclass
class Job:
    """One client against one scenario. expected: the anvil.expected.Expectation, if the client
    is known to fail it. seed: overrides the scenario's."""
    adapter: object
    scenario: object
    expected: Optional[object] = None
    seed: Optional[int] = None


@dataclass
class Result:
    """How one job ended. evidence: one line for the table; verdicts: anvil.judge.verdict_summary
    of the report (None when the client never ran); detail: the client's output and the failed
    checks, for JUnit and --artifacts."""
    client: str
    scenario: str
    status: str
    elapsed: float = 0.0
    seed: Optional[int] = None
    evidence: str = ""
    reason: str = ""
    covers: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    verdicts: Optional[dict] = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in FAILING

    def as_dict(self) -> dict:
        return {"client": self.client, "scenario": self.scenario, "status": self.status,
                "elapsed": round(self.elapsed, 2), "seed": self.seed, "evidence": self.evidence,
                "reason": self.reason, "covers": self.covers, "verdicts": self.verdicts,
                "checks": [vars(check) for check in self.checks]}


def not_applicable(adapter, scenario) -> Optional[str]:
    """Why scenario does not apply to adapter's client (challenge type, action or feature it
    lacks), or None."""
    client = scenario.client
    if client.challenge_for(adapter.challenges) is None:
        return f"{adapter.name} does not do {' or '.join(client.challenges)}"
    if client.action not in adapter.actions:
        return f"{adapter.name} has no {client.action} command"
    if client.eab and "eab" not in adapter.features:
        return f"{adapter.name} cannot register with an External Account Binding"
    return None


def run_job(job: Job, artifacts: Optional[pathlib.Path] = None) -> Result:
    """Runs one job to its Result; never raises for a client, mockca or setup failure (those are
    FAIL/TIMEOUT/ERROR results). artifacts: a directory receiving <client>/<scenario>/ with the
    client's output, mockca's log, the report, the fault log and decisions, the certificate the
    client left (certificate.pem) and result.json."""
    adapter, scenario = job.adapter, job.scenario.for_client(job.adapter.name)
    result = Result(client=adapter.name, scenario=scenario.name, status=ERROR,
                    covers=scenario.covers)
    started = time.monotonic()
    skip = adapter.unavailable()
    reason = not_applicable(adapter, scenario)
    if skip or reason:
        result.status, result.reason = (SKIP, skip) if skip else (NA, reason)
        result.evidence = result.reason
        return result
    with tempfile.TemporaryDirectory(prefix=f"anvil-{adapter.name}-") as scratch:
        _run_with_stack(adapter, scenario, job, pathlib.Path(scratch), result)
        result.elapsed = time.monotonic() - started
        _apply_expectation(result, job.expected)
        if artifacts:
            _save(artifacts / adapter.name / scenario.name, pathlib.Path(scratch), result)
    return result


def _run_with_stack(adapter, scenario, job, scratch, result):
    setup, client = scenario.setup, scenario.client
    seed = job.seed if job.seed is not None else setup.seed
    try:
        stack = stack_module.start(args=setup.args, env=setup.env, seed=seed,
                                   config=setup.config)
    except (RuntimeError, OSError) as error:
        result.evidence = f"mockca did not start: {str(error).splitlines()[0][:200]}"
        result.detail = str(error)
        return
    result.seed = stack.seed
    outcomes, records = [], None
    try:
        try:
            if setup.faults:
                stack.add_faults(setup.faults)
            for endpoint, body in setup.dns:
                stack.dns("/" + endpoint, body)
        except stack_module.ManagementError as error:
            result.evidence = f"setup refused by mockca: {error}"[:300]
            result.detail = str(error)
            return
        workdir = scratch / "work"
        workdir.mkdir()
        challenge = client.challenge_for(adapter.challenges)
        target = stack.target(client.domains, challenge, workdir,
                              email=client.email or f"{adapter.name}@example.com")
        target.eab = client.eab
        deadline = time.monotonic() + scenario.timeout
        for _ in range(client.runs):
            outcomes.append(run_action(adapter, client.action, target, deadline))
            if outcomes[-1].timed_out:
                break
        records = _collect(stack, scenario, scratch)
        if outcomes[-1].certificate is not None:
            shutil.copy(outcomes[-1].certificate, scratch / "certificate.pem")
    finally:
        exit_code = stack.stop()
        (scratch / "mockca.log").write_text(stack.stderr())
        stack.__exit__()
    records.mockca_exit = exit_code
    checks = judge(scenario, outcomes, records, scratch / "check")
    result.checks = checks
    result.verdicts = verdict_summary(records.report)
    failed = [check for check in checks if not check.ok]
    if any(outcome.timed_out for outcome in outcomes):
        result.status = TIMEOUT
    elif records.mockca_exit != 0:
        result.status = ERROR
    else:
        result.status = FAIL if failed else PASS
    result.evidence = _evidence(result, outcomes, failed)
    result.detail = "\n".join(
        [f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}" for check in checks]
        + [outcome.describe() for outcome in outcomes])
    (scratch / "report.json").write_text(json.dumps(records.report, indent=1))
    (scratch / "faults-log.json").write_text(json.dumps(records.fault_log, indent=1))
    (scratch / "fault-decisions.jsonl").write_text(records.decisions)


def _collect(stack, scenario, scratch) -> Records:
    """The report, the fault log and the roots the expectations need, while mockca still runs."""
    records = Records(report=stack.report(), fault_log=stack.fault_log(),
                      decisions=stack.fault_decisions())
    index = scenario.expect.certificate
    if index is not False and index is not None:
        try:
            root = scratch / f"root-{index}.pem"
            root.write_text(stack.root_pem(index))
            records.roots[index] = root
        except stack_module.ManagementError:
            pass
    return records


def _evidence(result, outcomes, failed) -> str:
    """One line: the client's exit codes, what failed, and the report's FAIL/WARN rules."""
    codes = [code for outcome in outcomes for code in outcome.exit_codes]
    parts = [f"exit {codes}" + (" (timed out)" if result.status == TIMEOUT else "")]
    parts += [f"{check.name}: {check.detail}" for check in failed if check.name != "exit 0"
              or result.status != TIMEOUT][:3]
    verdicts = result.verdicts or {}
    for verdict in ("FAIL", "WARN"):
        if verdicts.get(verdict):
            parts.append(f"{verdict} {' '.join(verdicts[verdict])}")
    return "; ".join(parts)


def _apply_expectation(result, expected):
    """FAIL/TIMEOUT of a known failure -> XFAIL, a PASS of one -> XPASS; the reason is kept."""
    if expected is None:
        return
    result.reason = expected.reason
    if result.status in (FAIL, TIMEOUT):
        result.status = XFAIL
    elif result.status == PASS:
        result.status = XPASS


def _save(directory, scratch, result):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name in ("mockca.log", "report.json", "faults-log.json", "fault-decisions.jsonl",
                 "certificate.pem"):
        if (scratch / name).exists():
            shutil.copy(scratch / name, directory / name)
    (directory / "client.log").write_text(result.detail)
    (directory / "result.json").write_text(json.dumps(result.as_dict(), indent=1))


def run_jobs(jobs, workers=1, on_result: Optional[Callable] = None,
             artifacts: Optional[pathlib.Path] = None) -> list:
    """Runs every job, at most workers at once; calls on_result(result, done, total) as each
    finishes; returns the results in job order."""
    results = [None] * len(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_guarded, job, artifacts): index for index, job in enumerate(jobs)}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            index = futures[future]
            results[index] = future.result()
            if on_result:
                on_result(results[index], done, len(jobs))
    return results


def _guarded(job, artifacts):
    """run_job, with an unexpected exception turned into an ERROR result (so one broken job does
    not hide the others)."""
    started = time.monotonic()
    try:
        return run_job(job, artifacts)
    except Exception as error:  # noqa: BLE001  the runner reports it as that job's error
        import traceback
        return Result(client=job.adapter.name, scenario=job.scenario.name, status=ERROR,
                      elapsed=time.monotonic() - started, covers=job.scenario.covers,
                      evidence=f"runner error: {type(error).__name__}: {error}"[:300],
                      detail=traceback.format_exc(), checks=[Check("runner", False, str(error))])
