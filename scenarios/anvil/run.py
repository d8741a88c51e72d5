"""run_issue / run_action: start an adapter's services, run its steps in order, stop the services,
report."""
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Optional

from .plan import Service, Step, Target

STOP_GRACE = 5  # seconds between SIGTERM and SIGKILL


@dataclass
class StepResult:
    """How one step ended. exit_code is None when it timed out (and was killed) or could not
    start."""
    name: str
    argv: list
    exit_code: Optional[int]
    stdout: str
    stderr: str
    elapsed: float

    @property
    def ok(self):
        return self.exit_code == 0


@dataclass
class ServiceResult:
    """A service that was started: its PID, its exit status once stopped, and its output."""
    name: str
    pid: int
    exit_code: Optional[int]
    log: str


@dataclass
class Outcome:
    """What run_issue saw. steps holds the steps that ran (the last one failed unless ok);
    a service that did not come up is reported as a failed step named "service <name>"."""
    adapter: str
    steps: list = field(default_factory=list)
    services: list = field(default_factory=list)
    elapsed: float = 0.0
    certificate: Optional[pathlib.Path] = None
    timed_out: bool = False  # a step was killed at its timeout or the deadline, or never ran

    @property
    def ok(self):
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def exit_codes(self):
        return [step.exit_code for step in self.steps]

    def describe(self, tail=4000):
        """A readable account of every step and service, for failure messages."""
        lines = [f"{self.adapter}: exit codes {self.exit_codes}, {self.elapsed:.1f} s, "
                 f"certificate {self.certificate}"]
        for step in self.steps:
            lines += [f"--- step {step.name} exit {step.exit_code} ({step.elapsed:.1f} s): "
                      f"{' '.join(map(str, step.argv))}",
                      f"stdout:\n{step.stdout[-tail:]}", f"stderr:\n{step.stderr[-tail:]}"]
        for service in self.services:
            lines.append(f"--- service {service.name} pid {service.pid} exit {service.exit_code}"
                         f":\n{service.log[-tail:]}")
        return "\n".join(lines)


def run_issue(adapter, target: Target, deadline: Optional[float] = None) -> Outcome:
    """Runs adapter.issue(target): starts its services, runs its steps in order and stops at the
    first that does not exit 0, then stops every service it started (SIGTERM by PID, SIGKILL after
    5 s). Never raises for a client failure; the Outcome says what happened. deadline: see
    run_action."""
    return run_action(adapter, "issue", target, deadline)


def run_action(adapter, action, target: Target, deadline: Optional[float] = None) -> Outcome:
    """As run_issue for adapter.plan_for(action, target). deadline (a time.monotonic() value) bounds
    the whole run instead of each step's own timeout: a step still running at the deadline is
    killed (its process group) and the outcome says timed_out."""
    started = time.monotonic()
    services, steps = adapter.plan_for(action, target)
    outcome = Outcome(adapter=adapter.name)
    running = []
    try:
        for service in services:
            process, log = _start_service(service)
            running.append((service, process, log))
            failure = _wait_ready(service, process, log)
            if failure:
                outcome.steps.append(failure)
                break
        else:
            for step in steps:
                timeout = step.timeout if deadline is None else deadline - time.monotonic()
                if timeout <= 0:
                    outcome.timed_out = True
                    outcome.steps.append(StepResult(step.name, step.argv, None, "",
                                                    "[anvil] not run: deadline reached", 0.0))
                    break
                result = _run_step(step, timeout)
                outcome.steps.append(result)
                if result.exit_code is None and result.stderr.endswith(_KILLED_MARK % timeout):
                    outcome.timed_out = True
                if not result.ok:
                    break
    finally:
        for service, process, log in running:
            outcome.services.append(_stop_service(service, process, log))
    path = adapter.certificate_path(target)
    outcome.certificate = path if path.exists() else None
    outcome.elapsed = time.monotonic() - started
    return outcome


def _environment(extra):
    return dict(os.environ, **{key: str(value) for key, value in extra.items()})


def _start_service(service: Service):
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(service.argv, stdin=subprocess.DEVNULL, stdout=log,
                               stderr=subprocess.STDOUT, env=_environment(service.env),
                               cwd=service.cwd, start_new_session=True)
    return process, log


def _wait_ready(service, process, log) -> Optional[StepResult]:
    """None once the service is ready; a failed StepResult if it exits or times out first."""
    started = time.monotonic()
    deadline = started + service.ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _is_ready(service.ready):
            return None
        time.sleep(0.05)
    log.seek(0)
    return StepResult(name=f"service {service.name}", argv=service.argv,
                      exit_code=process.poll(), stdout="",
                      stderr=f"not ready after {time.monotonic() - started:.1f} s\n{log.read()}",
                      elapsed=time.monotonic() - started)


def _is_ready(ready):
    if callable(ready):
        return ready()
    try:
        with socket.create_connection(("127.0.0.1", ready), timeout=0.5):
            return True
    except OSError:
        return False


def _stop_service(service, process, log) -> ServiceResult:
    _terminate(process)
    log.seek(0)
    text = log.read()
    log.close()
    return ServiceResult(name=service.name, pid=process.pid, exit_code=process.returncode,
                         log=text)


def _terminate(process):
    """SIGTERM to the process we started, SIGKILL to its process group if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            _kill_group(process)
    _kill_group(process)  # children it left behind (the group is the one we created)


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


_KILLED_MARK = "\n[anvil] killed after %s s"


def _run_step(step: Step, timeout: float) -> StepResult:
    started = time.monotonic()
    try:
        process = subprocess.Popen(step.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=_environment(step.env),
                                   cwd=step.cwd, text=True, start_new_session=True)
    except OSError as error:
        return StepResult(step.name, step.argv, None, "", f"could not start: {error}",
                          time.monotonic() - started)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        exit_code = process.returncode
    except subprocess.TimeoutExpired:
        _kill_group(process)
        try:
            stdout, stderr = process.communicate(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:  # a descendant left the group and holds the pipes
            stdout, stderr = "", ""
        stderr = (stderr or "") + _KILLED_MARK % timeout
        exit_code = None
    if step.stdout_file and exit_code == 0:
        pathlib.Path(step.stdout_file).write_text(stdout)
    return StepResult(step.name, step.argv, exit_code, stdout or "", stderr or "",
                      time.monotonic() - started)
