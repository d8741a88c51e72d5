"""Fixtures for the end-to-end suite: start mockdns, mockca (and the reference Pebble) on free ports.

Every server is started on :0 (or a port the OS just handed out, for Pebble, which prints no ready
line), waited for, and stopped by PID when the test ends.
"""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / "scenarios"))
from anvil.stack import PORT_DEFAULTS as MOCKCA_PORT_DEFAULTS  # noqa: E402
from anvil.stack import launch_with_ready_line, stop_process  # noqa: E402

BUILD_DIR = pathlib.Path(os.environ.get("ANVIL_BUILD_DIR",
                                        pathlib.Path(__file__).parents[2] / "build" / "default"))
MOCKDNS = BUILD_DIR / "mockdns" / "cmd" / "mockdns"
RESOLVE = BUILD_DIR / "mockdns" / "resolver" / "mockdns-resolve"
MOCKCA = BUILD_DIR / "mockca" / "cmd" / "mockca"
# The issuer of mockca's built-in HTTPS certificate: what clients trust to talk to mockca.
MOCKCA_TLS_ROOT = pathlib.Path(__file__).parents[2] / "mockca" / "certs" / "test-root.pem"


class MockDns:
    """A running mockdns: its bound addresses and a client for its management API."""

    def __init__(self, process, ready, log):
        self.process = process
        self.ready = ready
        self.log = log  # stderr, a temporary file

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def address(self, server):
        host, _, port = self.ready[server][0].rpartition(":")
        return host.strip("[]"), int(port)

    def port(self, server):
        return self.address(server)[1]

    def post(self, path, body):
        """POSTs body (a dict, or raw str/bytes) to the management API; returns (status, text)."""
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        host, port = self.address("management")
        request = urllib.request.Request(f"http://{host}:{port}{path}", data=body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def ok(self, path, body):
        status, text = self.post(path, body)
        assert status == 200, f"{path} {body} -> {status} {text}"
        return text

    def history(self, kind, host):
        return json.loads(self.ok(f"/{kind}-request-history", {"host": host}))

    def alive(self):
        return self.process.poll() is None


def launch(server_class, argv, env, cwd=None):
    """Starts argv with stderr in a temporary file and waits for its JSON ready line on stdout
    (anvil.stack.launch_with_ready_line, shared with the scenario runner); returns
    server_class(process, ready, log)."""
    return server_class(*launch_with_ready_line(argv, env, cwd))


def servers_stopped_at_teardown(start, name):
    """A factory fixture body: start(*args, **kwargs) servers, each stopped (and required to exit
    0) at teardown."""
    started = []

    def factory(*args, **kwargs):
        server = start(*args, **kwargs)
        started.append(server)
        return server

    yield factory
    for server in started:
        if server.process.returncode is None:
            stop_checked(server, name)


def start_mockdns(*args, extra_env=None):
    """Starts mockdns with every server on 127.0.0.1:0 unless args say otherwise."""
    defaults = {"-dnsserver": ":0", "-http01": ":0", "-https01": ":0", "-tlsalpn01": ":0",
                "-management": ":0", "-doh": ""}
    argv = [str(MOCKDNS)]
    given = set(args[::2])
    for flag, value in defaults.items():
        if flag not in given:
            argv += [flag, value]
    argv += list(args)
    return launch(MockDns, argv, dict(os.environ, **(extra_env or {})))


class MockCa(MockDns):
    """A running mockca: its ready line, its embedded mockdns's management API, its management
    listener."""

    @property
    def directory(self):
        return self.ready["directory"]

    def address(self, server):
        """An embedded mockdns server's address ("dnsserver", "management", "http01", ...)."""
        host, _, port = self.ready["mockdns"][server][0].rpartition(":")
        return host.strip("[]"), int(port)

    def management_get(self, path):
        """GETs path from mockca's own management listener (HTTPS); returns (status, text)."""
        return self.management_request("GET", path)

    def management_request(self, method, path, body=None):
        """Sends method path (body: a dict/list as JSON, or str) to mockca's management listener
        (HTTPS); returns (status, text)."""
        import ssl
        context = ssl.create_default_context(cafile=str(MOCKCA_TLS_ROOT))
        url = f"https://{self.ready['management'][0]}{path}"
        data = None
        if body is not None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
        request = urllib.request.Request(url, data=data, method=method)
        try:
            with urllib.request.urlopen(request, context=context, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def add_faults(self, rules):
        """POSTs fault rules (README "Faults") to /faults; returns their ids."""
        status, text = self.management_request("POST", "/faults", rules)
        assert status == 200, text
        return json.loads(text)["ids"]

    def fault_decisions(self):
        """The injected faults so far (GET /faults/log), oldest first."""
        status, text = self.management_get("/faults/log")
        assert status == 200, text
        return json.loads(text)["decisions"]

    def root_pem(self, tmp_path):
        """Fetches the issuing root from /roots/0 into tmp_path; returns the file."""
        status, text = self.management_get("/roots/0")
        assert status == 200, text
        path = tmp_path / "mockca-root.pem"
        path.write_text(text)
        return path


def start_mockca(*args, extra_env=None):
    """Starts mockca and its embedded mockdns with every listener on 127.0.0.1:0 unless args say
    otherwise."""
    defaults = MOCKCA_PORT_DEFAULTS
    argv = [str(MOCKCA)]
    given = set(args[::2])
    for flag, value in defaults.items():
        if flag not in given:
            argv += [flag, value]
    argv += list(args)
    return launch(MockCa, argv, dict(os.environ, **(extra_env or {})))


@pytest.fixture
def mockca_factory():
    yield from servers_stopped_at_teardown(start_mockca, "mockca")


@pytest.fixture
def mockca(mockca_factory):
    return mockca_factory()


def stop(process):
    """Stops a process we started (SIGTERM, then SIGKILL after 5 s); returns its exit status."""
    return stop_process(process, grace=5)


# What ASan, UBSan and LeakSanitizer write to stderr (ci/test runs under ASan + UBSan, ci/tsan under TSan): any of them fails the test even
# where a sanitizer option let the process go on or keep its exit status.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "WARNING: ThreadSanitizer")


def stop_checked(server, name="mockdns"):
    """Stops a server and fails the test unless it exited cleanly (so sanitizer reports count)."""
    alive = server.alive()
    status = stop(server.process)
    log = server.stderr()
    server.log.close()
    assert alive, f"{name} died during the test:\n{log}"
    assert status == 0, f"{name} exited with {status}:\n{log}"
    assert not any(marker in log for marker in SANITIZER_MARKERS), \
        f"{name} sanitizer report:\n{log}"


@pytest.fixture
def mockdns():
    server = start_mockdns()
    yield server
    stop_checked(server)


@pytest.fixture
def mockdns_factory():
    yield from servers_stopped_at_teardown(start_mockdns, "mockdns")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dig(server, *args):
    """Runs dig against mockdns's DNS server; returns stdout."""
    host, port = server.address("dnsserver")
    result = subprocess.run(["dig", f"@{host}", "-p", str(port), "+time=2", "+tries=1", *args],
                            capture_output=True, text=True, timeout=10)
    return result.stdout


def resolve(server, name, rrtype, tcp=False):
    """Asks through c-ares (mockdns-resolve); returns (exit code, lines)."""
    host, port = server.address("dnsserver")
    argv = [str(RESOLVE), "-server", f"{host}:{port}", "-type", rrtype] + (["-tcp"] if tcp else [])
    result = subprocess.run(argv + [name], capture_output=True, text=True, timeout=15)
    return result.returncode, result.stdout.splitlines()


def make_tls_files(directory, name="localhost"):
    """A self-signed P-256 certificate for localhost/127.0.0.1/::1, via the openssl CLI."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def wait_for_https(url, ca_file, timeout=15):
    import ssl
    context = ssl.create_default_context(cafile=str(ca_file))
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, context=context, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def start_mockca_exactly(*args, env=None, cwd=None):
    """Starts mockca with exactly args (no defaults added, unlike start_mockca), the way another
    project's CI starts Pebble, with env as the only PEBBLE_*/MOCKCA_* variables; waits for the
    ready line. Returns a MockCa."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PEBBLE_", "MOCKCA_"))}
    return launch(MockCa, [str(MOCKCA), *args], dict(base, **(env or {})), cwd=cwd)


@pytest.fixture
def mockca_exactly_factory():
    """start_mockca_exactly, each server stopped (and required to exit 0) at teardown."""
    yield from servers_stopped_at_teardown(start_mockca_exactly, "mockca")


def write_pebble_config(directory, cert, key, dns):
    """A Pebble config on free loopback ports serving cert/key, its VA pointed at mockdns's http-01
    and tls-alpn-01 responders; returns (config path, directory URL)."""
    port = free_port()
    config = {"pebble": {
        "listenAddress": f"127.0.0.1:{port}",
        "managementListenAddress": f"127.0.0.1:{free_port()}",
        "certificate": str(cert), "privateKey": str(key),
        "httpPort": dns.port("http01"), "tlsPort": dns.port("tlsalpn01"),
        "ocspResponderURL": "", "externalAccountBindingRequired": False}}
    path = directory / "pebble-config.json"
    path.write_text(json.dumps(config))
    return path, f"https://127.0.0.1:{port}/dir"
