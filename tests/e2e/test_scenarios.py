"""The scenario runner (scenarios/run), its file format, the expected-failures file and the pytest
plugin, end to end against the real mockca; then the quick matrix: every `quick: true` library
scenario against each installed Debian client (the full matrix runs with ANVIL_FULL_MATRIX=1).

Helper commands stand in for clients where the runner itself is under test (a command that
sleeps, one that binds the ports it was given, one that sends a fixed list of requests).
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import BUILD_DIR, MOCKCA

REPO = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
RUN = SCENARIOS / "run"
LIBRARY = SCENARIOS / "library"
PYTHON = "/usr/bin/python3"
sys.path.insert(0, str(SCENARIOS))
from anvil.clients import ADAPTERS  # noqa: E402  (after the path insert)
from anvil.scenario import ScenarioError, load, load_all  # noqa: E402

ENV = dict(os.environ, ANVIL_MOCKCA=str(MOCKCA), ANVIL_BUILD_DIR=str(BUILD_DIR))
needs_lego = pytest.mark.skipif(shutil.which("lego") is None, reason="lego is not installed")


def run(*args, timeout=300, cwd=SCENARIOS):
    """scenarios/run with args; returns the CompletedProcess (stdout and stderr as text)."""
    return subprocess.run([PYTHON, str(RUN), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=ENV, cwd=cwd)


def write(path, text):
    path.write_text(textwrap.dedent(text))
    return path


def results_of(path):
    return {(r["client"], r["scenario"]): r for r in json.loads(path.read_text())}


# --- the format ----------------------------------------------------------------------------

def test_every_library_scenario_is_valid_and_there_are_at_least_30():
    scenarios = load_all(sorted(LIBRARY.glob("*.yaml")))
    assert len(scenarios) >= 30
    faults = [s for s in scenarios if s.name.startswith("F-")]
    assert len(faults) >= 15
    assert any(s.quick for s in scenarios)
    result = run("--check", LIBRARY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("body,message", [
    ("description: x\ncovers: [C-HTTP-01]\nclient: {domains: [a.test]}\nexpect: {}\nsetpu: {}\n",
     "setpu: unknown key"),
    ("description: x\ncovers: [C-HTTP-01]\nclient: {domains: [a.test], challange: dns-01}\n"
     "expect: {}\n", "client.challange: unknown key"),
    ("description: x\ncovers: [C-HTTP-01]\nclient: {domains: [a.test]}\n"
     "expect: {requests: [{kind: newOrder, mthod: POST}]}\n", "expect.requests[0].mthod"),
    ("description: x\ncovers: [C-HTTP-01]\nclient: {domains: [a.test]}\n"
     "expect: {faults_fired: [nope]}\n", "expect.faults_fired.nope: no rule 'nope'"),
    ("description: x\ncovers: [C-HTTP-01]\nclient: {domains: [a.test], challenge: dns-02}\n"
     "expect: {}\n", "client.challenge[0]: 'dns-02' is not one of"),
    ("description: x\ncovers: [C-HTTP-01]\nclient: {domains: [a.test]}\n"
     "expect: {report: {rules: {C-NONCE-03: [OK]}}}\n", "expect.report.rules.C-NONCE-03[0]"),
    ("description: x\ndescription: y\n", "duplicate key 'description'"),
    ("description: [unclosed\n", "invalid YAML"),
    ("description: x\ncovers: [C-HTTP-01]\nexpect: {}\n", "client: missing"),
])
def test_a_bad_scenario_file_is_refused_naming_the_file_and_key(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    with pytest.raises(ScenarioError, match="bad.yaml: .*" + message.replace("[", r"\[")
                       .replace("]", r"\]")):
        load(path)
    result = run("--check", path)
    assert result.returncode == 2 and "bad.yaml" in result.stderr, result.stderr


def test_a_fault_file_name_must_match_what_it_covers(tmp_path):
    path = write(tmp_path / "F-503-oops.yaml", """\
        description: x
        covers: [C-RL-02]
        client: {domains: [a.test]}
        expect: {}
        """)
    with pytest.raises(ScenarioError, match="F-503-oops.yaml: covers"):
        load(path)


def test_mockca_refusing_a_fault_rule_is_an_error_result(tmp_path):
    path = write(tmp_path / "bad-rule.yaml", """\
        description: a rule mockca refuses
        covers: [C-HTTP-01]
        setup:
          faults: [{id: x, fault: noSuchFault}]
        client: {domains: [a.test]}
        expect: {exit: any, certificate: false}
        """)
    result = run("--command", "true", path, "--json", tmp_path / "r.json")
    assert result.returncode == 1
    only = results_of(tmp_path / "r.json")[("command", "bad-rule")]
    assert only["status"] == "ERROR" and "setup refused by mockca" in only["evidence"]


# --- the runner ----------------------------------------------------------------------------

MUST_FAIL = """\
    description: expects a certificate although every http-01 validation fails
    covers: [F-CHAL-FAIL]
    timeout: 60
    setup:
      faults: [{id: all-fail, where: http-01, fault: failValidation}]
    client: {domains: ["{client}.must-fail.example.test"], challenge: http-01}
    expect: {exit: 0, certificate: true, faults_fired: [all-fail]}
    """


@needs_lego
def test_a_scenario_that_must_fail_fails_the_run_and_junit(tmp_path):
    path = write(tmp_path / "must-fail.yaml", MUST_FAIL)
    junit = tmp_path / "junit.xml"
    result = run("--client", "lego", path, "--junit", junit, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL" in result.stdout and "must-fail" in result.stdout
    case = ET.parse(junit).getroot().find("testsuite/testcase[@name='must-fail']")
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "FAIL"
    assert "exit 0" in failure.get("message")
    properties = {p.get("name"): p.get("value") for p in case.find("properties")}
    assert properties["covers"] == "F-CHAL-FAIL" and properties["seed"]
    assert "FAIL=" in properties["verdicts"]


def test_a_hanging_client_is_killed_at_the_scenario_timeout(tmp_path):
    path = write(tmp_path / "hang.yaml", """\
        description: a client that never returns
        covers: [C-RL-03]
        timeout: 2
        client: {domains: [hang.example.test]}
        expect: {exit: 0}
        """)
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    result = run("--command", f"sleep 600 & echo $! > {pid_file}; wait", path,
                 "--json", tmp_path / "r.json", "--junit", tmp_path / "j.xml", timeout=60)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert result.returncode == 1
    only = results_of(tmp_path / "r.json")[("command", "hang")]
    assert only["status"] == "TIMEOUT", only
    assert "TIMEOUT" in result.stdout
    pid = int(pid_file.read_text())
    assert not pathlib.Path(f"/proc/{pid}").exists() or \
        pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z", "sleep 600 survived"
    failure = ET.parse(tmp_path / "j.xml").getroot().find("testsuite/testcase/failure")
    assert failure.get("type") == "TIMEOUT"


PORT_PROBE = """\
import json, socket, sys, time
http_port, tls_port, directory, dns_server, domain, out = sys.argv[1:]
sockets = []
for port in (int(http_port), int(tls_port)):
    s = socket.socket()
    s.bind(("127.0.0.1", port))  # fails if another run holds the port
    s.listen()
    sockets.append(s)
with open(f"{out}/{domain}.json", "w") as f:
    json.dump({"ports": [http_port, tls_port, directory.split("/")[2], dns_server]}, f)
time.sleep(1.5)  # hold them while the other runs start
"""


def test_parallel_runs_never_share_a_port(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PORT_PROBE)
    out = tmp_path / "out"
    out.mkdir()
    files = [write(tmp_path / f"ports-{n}.yaml", f"""\
        description: records the ports it was given
        covers: [C-HTTP-01]
        timeout: 30
        client: {{domains: [p{n}.example.test]}}
        expect: {{exit: 0, certificate: false}}
        """) for n in range(8)]
    result = run("-j", "4", "--command",
                 f"{PYTHON} {probe} {{http_port}} {{tls_port}} {{directory_url}} {{dns_server}} "
                 f"{{domain}} {out}", *files, "--json", tmp_path / "r.json", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = {key: r["status"] for key, r in results_of(tmp_path / "r.json").items()}
    assert set(statuses.values()) == {"PASS"}, statuses
    seen = [port for path in out.glob("*.json") for port in json.loads(path.read_text())["ports"]]
    assert len(list(out.glob("*.json"))) == 8
    assert len(seen) == len(set(seen)) == 32, sorted(seen)


DIRECTORY_FETCHER = """\
import ssl, sys, urllib.request, urllib.error
directory, ca_file = sys.argv[1:]
context = ssl.create_default_context(cafile=ca_file)
for _ in range(24):
    try:
        urllib.request.urlopen(urllib.request.Request(directory, headers={"User-Agent": "x/1"}),
                               context=context, timeout=10).read()
    except urllib.error.HTTPError:
        pass
"""


def test_the_same_seed_gives_the_same_fault_decisions(tmp_path):
    fetcher = tmp_path / "fetch.py"
    fetcher.write_text(DIRECTORY_FETCHER)
    path = write(tmp_path / "coin.yaml", """\
        description: half the directory fetches fail, drawn from the seed
        covers: [F-503]
        setup:
          faults: [{id: coin, where: directory, fault: error, status: 503,
                    type: serverInternal, when: {probability: 0.5}}]
        client: {domains: [coin.example.test]}
        expect: {exit: 0, certificate: false, faults_fired: [coin]}
        """)
    command = f"{PYTHON} {fetcher} {{directory_url}} {{ca_file}}"
    decisions = []
    for run_name, seed in (("a", 4711), ("b", 4711), ("c", 4712)):
        result = run("--seed", seed, "--command", command, path, "--artifacts",
                     tmp_path / run_name)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"seed {seed}" in result.stdout  # the table and progress line print it
        decisions.append((tmp_path / run_name / "command" / "coin" /
                          "fault-decisions.jsonl").read_text())
    assert decisions[0] and decisions[0] == decisions[1]
    assert decisions[0] != decisions[2]
    assert 0 < decisions[0].count("\n") < 24


def test_expected_failures_are_xfail_and_an_unexpected_pass_is_xpass(tmp_path):
    fails = write(tmp_path / "needs-exit-0.yaml", """\
        description: passes only when the command exits 0
        covers: [C-HTTP-01]
        client: {domains: [x.example.test]}
        expect: {exit: 0, certificate: false}
        """)
    expected = write(tmp_path / "expected.yaml", """\
        command:
          needs-exit-0:
            result: fail
            reason: "the stand-in exits 1 on purpose"
        """)
    failing = run("--command", "false", fails, "--expected", expected, "--junit",
                  tmp_path / "x.xml")
    assert failing.returncode == 0, failing.stdout + failing.stderr
    assert "XFAIL" in failing.stdout and "the stand-in exits 1 on purpose" in failing.stdout
    skipped = ET.parse(tmp_path / "x.xml").getroot().find("testsuite/testcase/skipped")
    assert "XFAIL" in skipped.get("message")
    passing = run("--command", "true", fails, "--expected", expected)
    assert passing.returncode == 0 and "XPASS" in passing.stdout, passing.stdout
    strict = run("--command", "true", fails, "--expected", expected, "--strict")
    assert strict.returncode == 1 and "XPASS" in strict.stdout
    unexpected = run("--command", "false", fails)
    assert unexpected.returncode == 1 and "FAIL" in unexpected.stdout


def test_the_expected_failures_file_is_valid_and_names_known_scenarios():
    sys.path.insert(0, str(SCENARIOS))
    from anvil.expected import load_expected
    expected = load_expected()
    names = {path.stem for path in LIBRARY.glob("*.yaml")}
    for client, scenarios in expected.items():
        assert client in ADAPTERS, client
        for scenario, entry in scenarios.items():
            assert scenario in names, f"{client}: {scenario}"
            assert len(entry.reason) > 20, f"{client}: {scenario}: reason too short"


def test_a_scenario_a_client_cannot_do_is_not_applicable(tmp_path):
    result = run("--client", "acme-tiny", LIBRARY / "happy-dns-01.yaml", "--json",
                 tmp_path / "r.json")
    assert result.returncode == 0
    only = results_of(tmp_path / "r.json")[("acme-tiny", "happy-dns-01")]
    assert only["status"] in ("N/A", "SKIP") and "dns-01" in only["evidence"] + only["reason"]


# --- the pytest plugin ---------------------------------------------------------------------

def test_the_example_client_test_file_passes_with_the_plugin(tmp_path):
    env = dict(ENV, PYTHONPATH=str(SCENARIOS))
    result = subprocess.run([PYTHON, "-m", "pytest", "-p", "anvil.pytest_plugin", "-p",
                             "no:cacheprovider", "-q", "-rs",
                             str(SCENARIOS / "examples" / "test_my_client.py")],
                            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_the_plugin_fails_a_test_whose_mockca_died(tmp_path):
    test_file = write(tmp_path / "test_dies.py", """\
        def test_kills_its_ca(anvil_ca):
            anvil_ca.process.kill()
            anvil_ca.process.wait()
        """)
    env = dict(ENV, PYTHONPATH=str(SCENARIOS))
    result = subprocess.run([PYTHON, "-m", "pytest", "-p", "anvil.pytest_plugin", "-p",
                             "no:cacheprovider", "-q", str(test_file)], capture_output=True,
                            text=True, timeout=120, env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout and "mockca died during the test" in result.stdout


# --- the quick matrix (and the full one on demand) -----------------------------------------

@pytest.mark.parametrize("client", list(ADAPTERS))
def test_quick_scenarios(client, tmp_path):
    """Every quick: true library scenario against one Debian client: nothing fails unless
    scenarios/expected.yaml says so (an XPASS fails too: the file must be kept true)."""
    if ADAPTERS[client].unavailable():
        pytest.skip(f"{client}: {ADAPTERS[client].unavailable()}")
    result = run("--client", client, "--quick", "--strict", LIBRARY, "--junit",
                 tmp_path / "junit.xml", timeout=600)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]


@pytest.mark.skipif(not os.environ.get("ANVIL_FULL_MATRIX"),
                    reason="the full matrix takes ~15 min: set ANVIL_FULL_MATRIX=1")
def test_full_matrix(tmp_path):
    result = run("--matrix", "-j", "2", "--strict", LIBRARY, "--markdown",
                 tmp_path / "matrix.md", timeout=7200)
    assert result.returncode == 0, result.stdout[-20000:]
