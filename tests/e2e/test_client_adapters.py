"""The client adapters of scenarios/anvil (the scenario runner's way to drive Debian's ACME
clients) get certificates from mockca: every adapter with every challenge type it declares.

mockca runs with its embedded mockdns, every listener on :0 and the VA's http-01 / tls-alpn-01
ports on free ports, as docs/client_reports.py starts it. Each issued chain must verify under the
root from mockca's management /roots/0 and carry exactly the names asked for. A client that fails
(every validation failed by a fault rule) must be reported as failed by run_issue, with its
services stopped; run_issue's own edges (a service that never comes up, a step that hangs) are
checked with stand-in commands.
"""
import pathlib
import socket
import sys

import pytest

from chain_check import assert_chain
from conftest import MOCKCA_TLS_ROOT, free_port

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scenarios"))
from anvil.adapter import Adapter  # noqa: E402  (after the path insert)
from anvil.clients import ADAPTERS, Service, Step, Target, run_issue  # noqa: E402

CASES = [(name, challenge) for name, adapter in ADAPTERS.items()
         for challenge in sorted(adapter.challenges)]
WEBROOT_CLIENTS = ["dehydrated", "uacme", "acme-tiny"]  # http-01 through our static web server


def names_for(client, challenge):
    """Two names per certificate; dns-01 asks for a wildcard and its apex (one TXT name)."""
    base = f"{client}.{challenge}.example.test"
    if challenge == "dns-01":
        return [base, f"*.{base}"]
    return [f"a.{base}", f"b.{base}"]


def target_for(mockca, http_port, tls_port, domains, workdir, challenge):
    """A Target aimed at a running mockca (conftest.MockCa) and its embedded mockdns."""
    workdir.mkdir()
    dns_host, dns_port = mockca.address("dnsserver")
    management_host, management_port = mockca.address("management")
    return Target(directory_url=mockca.directory, ca_file=str(MOCKCA_TLS_ROOT),
                  dns_management_url=f"http://{management_host}:{management_port}",
                  dns_server=f"{dns_host}:{dns_port}", http_port=http_port, tls_port=tls_port,
                  domains=domains, workdir=workdir, challenge=challenge)


@pytest.fixture
def ca_target(mockca_factory, tmp_path):
    """target(domains, challenge): a Target on a fresh mockca (stopped, and required to exit 0,
    at teardown); the mockca is ca_target.mockca."""
    http_port, tls_port = free_port(), free_port()
    server = mockca_factory("--http-port", str(http_port), "--tls-port", str(tls_port))

    def target(domains, challenge):
        return target_for(server, http_port, tls_port, domains, tmp_path / "work", challenge)

    target.mockca = server
    return target


def nothing_listens_on(port):
    """True when a connection to 127.0.0.1:port is refused (the service there is gone)."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def skip_unless_available(adapter):
    reason = adapter.unavailable()
    if reason:
        pytest.skip(f"{adapter.name}: {reason}")


@pytest.mark.parametrize("client,challenge", CASES, ids=[f"{c}-{t}" for c, t in CASES])
def test_adapter_gets_a_certificate(client, challenge, ca_target, tmp_path):
    adapter = ADAPTERS[client]
    skip_unless_available(adapter)
    domains = names_for(client, challenge)
    target = ca_target(domains, challenge)
    outcome = run_issue(adapter, target)
    detail = outcome.describe() + "\n--- mockca log:\n" + ca_target.mockca.stderr()[-4000:]
    assert outcome.ok, detail
    assert all(code == 0 for code in outcome.exit_codes), detail
    assert outcome.certificate == adapter.certificate_path(target), detail
    assert_chain(ca_target.mockca, outcome.certificate.read_text(), domains, tmp_path / "check")
    for service in outcome.services:
        assert service.exit_code is not None, f"{service.name} still running\n{detail}"


@pytest.mark.parametrize("client", WEBROOT_CLIENTS)
def test_failed_validation_is_a_failed_outcome_with_services_stopped(client, ca_target):
    adapter = ADAPTERS[client]
    skip_unless_available(adapter)
    ca_target.mockca.add_faults([{"id": "every-http-01-fails", "where": "http-01",
                                  "fault": "failValidation"}])
    target = ca_target([f"fail.{client}.example.test"], "http-01")
    outcome = run_issue(adapter, target)
    detail = outcome.describe()
    assert not outcome.ok, detail
    last = outcome.steps[-1]
    assert last.exit_code not in (0, None), f"the client should exit non-zero by itself\n{detail}"
    assert outcome.certificate is None, detail
    assert [service.name for service in outcome.services] == ["webroot"], detail
    assert outcome.services[0].exit_code is not None, detail
    assert nothing_listens_on(target.http_port)
    fired = [d for d in ca_target.mockca.fault_decisions() if d["rule"] == "every-http-01-fails"]
    assert fired and all(d["fault"] == "failValidation" for d in fired), fired


def test_an_undeclared_challenge_is_refused(tmp_path):
    target = Target(directory_url="https://127.0.0.1:1/dir", ca_file=str(MOCKCA_TLS_ROOT),
                    dns_management_url="http://127.0.0.1:1", dns_server="127.0.0.1:1",
                    http_port=1, tls_port=1, domains=["x.example.test"], workdir=tmp_path,
                    challenge="dns-01")
    with pytest.raises(ValueError, match="acme-tiny does not do dns-01"):
        ADAPTERS["acme-tiny"].issue(target)


class StandIn(Adapter):
    """An adapter running the given services and steps, for run_issue's own behaviour."""
    name = "stand-in"

    def __init__(self, services, steps, certificate):
        self.plan = (services, steps)
        self.certificate = certificate

    def issue(self, target):
        return self.plan

    def certificate_path(self, target):
        return self.certificate


PYTHON = "/usr/bin/python3"


def test_a_service_that_never_comes_up_fails_the_run_before_any_step(tmp_path):
    port = free_port()
    never = Service(name="never", argv=[PYTHON, "-c", "import time; time.sleep(30)"], env={},
                    cwd=tmp_path, ready=port, ready_timeout=1)
    step = Step(name="must not run", argv=[PYTHON, "-c", "open('ran', 'w')"], env={},
                cwd=tmp_path)
    outcome = run_issue(StandIn([never], [step], tmp_path / "cert.pem"), None)
    assert [s.name for s in outcome.steps] == ["service never"], outcome.describe()
    assert not outcome.ok and not (tmp_path / "ran").exists()
    assert outcome.services[0].exit_code is not None  # stopped by PID, not left running


def test_a_hanging_step_is_killed_and_the_next_step_does_not_run(tmp_path):
    port = free_port()
    server = Service(name="web", argv=[PYTHON, "-m", "http.server", "--bind", "127.0.0.1",
                                       str(port)], env={}, cwd=tmp_path, ready=port)
    hang = Step(name="hang", argv=[PYTHON, "-c", "print('started', flush=True); "
                                   "import time; time.sleep(30)"], env={}, cwd=tmp_path,
                timeout=1)
    later = Step(name="later", argv=[PYTHON, "-c", "open('ran', 'w')"], env={}, cwd=tmp_path)
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    outcome = run_issue(StandIn([server], [hang, later], cert), None)
    assert [s.name for s in outcome.steps] == ["hang"], outcome.describe()
    assert outcome.exit_codes == [None] and "started" in outcome.steps[0].stdout
    assert not (tmp_path / "ran").exists()
    assert outcome.certificate == cert
    assert outcome.services[0].exit_code is not None
    assert nothing_listens_on(port)
