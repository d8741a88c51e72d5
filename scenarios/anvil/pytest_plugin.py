"""A pytest plugin for an ACME client project's own test suite: a throwaway mockca (with its
embedded mockdns) per test, and scenario files run from a test.

Load it with `PYTHONPATH=<anvil>/scenarios pytest -p anvil.pytest_plugin`, or from the project's
top-level conftest.py:

    pytest_plugins = ["anvil.pytest_plugin"]

Fixtures:

- anvil_ca: a running mockca for this test (every port free, stopped after it), configured by the
  marker `@pytest.mark.anvil(env={...}, args=[...], faults=[...], seed=N, config={...})`. It has
  .directory_url, .ca_file (PEM trusting mockca's HTTPS), .http_port / .tls_port (where the VA
  probes for http-01 / tls-alpn-01: serve there), .dns_server, .dns_management_url, and
  .set_txt(name, value), .add_a(name, addresses), .add_faults(rules), .fault_log(),
  .fault_decisions(), .requests() (the report's timeline), .report(), .root_pem(),
  .root_file(directory). See anvil.stack.Stack.
- anvil_ca_factory(env=..., args=..., faults=..., seed=..., config=...): more of them, each
  stopped at teardown.
- anvil_scenario(path, client="lego" | command="TEMPLATE", seed=None): runs one scenario file
  (scenarios/README.md) and returns its anvil.runner.Result; it fails the test on FAIL, TIMEOUT
  or ERROR (with the checks and the client's output) and skips it when the scenario does not
  apply or the client is missing (pass check=False to get the Result whatever happened).

A mockca that crashes or does not exit 0 when stopped fails the test at teardown.
"""
import pathlib

import pytest

from . import stack as stack_module
from .adapters.command import Command
from .clients import ADAPTERS
from .runner import FAILING, NA, SKIP, Job, run_job
from .scenario import load


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "anvil(env=None, args=(), faults=None, seed=None, config=None): how the "
                   "anvil_ca fixture starts mockca (PEBBLE_*/MOCKCA_* variables, extra flags, "
                   "fault rules, seed, Pebble config)")


@pytest.fixture
def anvil_ca_factory():
    """factory(env=None, args=(), faults=None, seed=None, config=None) -> a running
    anvil.stack.Stack; every one is stopped at teardown and must exit 0."""
    started = []

    def factory(env=None, args=(), faults=None, seed=None, config=None):
        ca = stack_module.start(args=list(args), env=env, faults=faults, seed=seed,
                                config=config)
        started.append(ca)
        return ca

    yield factory
    problems = []
    for ca in started:
        alive = ca.alive()
        code = ca.stop()
        log = ca.stderr()
        ca.__exit__()
        if not alive or code != 0:
            problems.append(f"mockca {'died during the test' if not alive else ''} exited "
                            f"{code}:\n{log[-4000:]}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def anvil_ca(request, anvil_ca_factory):
    """A running mockca configured by the test's @pytest.mark.anvil(...) (if any)."""
    marker = request.node.get_closest_marker("anvil")
    return anvil_ca_factory(**(marker.kwargs if marker else {}))


@pytest.fixture
def anvil_scenario():
    """run(path, client="lego", command=None, seed=None, check=True) -> anvil.runner.Result."""

    def run(path, client="lego", command=None, seed=None, check=True):
        adapter = Command(command) if command else ADAPTERS[client]
        result = run_job(Job(adapter, load(pathlib.Path(path)), seed=seed))
        if check and result.status in (NA, SKIP):
            pytest.skip(f"{pathlib.Path(path).name}: {result.status}: {result.reason}")
        if check and result.status in FAILING:
            pytest.fail(f"scenario {result.scenario} with {result.client}: {result.status} "
                        f"(seed {result.seed})\n{result.detail}", pytrace=False)
        return result

    return run
