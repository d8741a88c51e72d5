"""Starting mockca (with its embedded mockdns) on free ports and talking to it.

    from anvil.stack import start
    with start(env={"PEBBLE_VA_NOSLEEP": "1"}, faults=[...], seed=7) as ca:
        ca.directory_url, ca.ca_file, ca.set_txt(...), ca.add_faults(...), ca.report()

Every listener is bound on 127.0.0.1:0 and read back from mockca's JSON ready line; the ports the
VA probes for http-01 and tls-alpn-01 (where the client under test listens) are fresh ports no
other Stack of this process was given. The scenario runner and the pytest plugin both use this.
"""
import json
import os
import pathlib
import random
import socket
import ssl
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from typing import Optional

from .plan import Target

REPO = pathlib.Path(__file__).resolve().parents[2]
# The issuer of mockca's built-in HTTPS certificate: what a client trusts to talk to mockca.
TLS_ROOT = REPO / "mockca" / "certs" / "test-root.pem"
# Every listener on a free loopback port unless the caller's args say otherwise.
PORT_DEFAULTS = {"--listen": ":0", "--management": ":0", "--mockdns-dns": ":0",
                 "--mockdns-management": ":0", "--mockdns-http01": ":0",
                 "--mockdns-tlsalpn01": ":0"}
READY_TIMEOUT = 30  # seconds for the ready line
STOP_GRACE = 10  # seconds between SIGTERM and SIGKILL


def mockca_binary() -> pathlib.Path:
    """The mockca to run: $ANVIL_MOCKCA, else $ANVIL_BUILD_DIR/mockca/cmd/mockca, else
    build/default's."""
    if os.environ.get("ANVIL_MOCKCA"):
        return pathlib.Path(os.environ["ANVIL_MOCKCA"])
    build = pathlib.Path(os.environ.get("ANVIL_BUILD_DIR", REPO / "build" / "default"))
    return build / "mockca" / "cmd" / "mockca"


_given_ports = set()
_ports_lock = threading.Lock()
_port_draws = random.Random()  # ports need not repeat with a seed


def _ports_outside_ephemeral_range() -> Optional[range]:
    """The larger span of ports from 10000 outside the kernel's ephemeral range, or None. A port
    from there is never given to another process's bind to port 0 or outgoing connection in the
    moment between free_port's check and the client's bind (that happened once in CI: a parallel
    run's probe found its http-01 port taken)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(n) for n in f.read().split())
    except (OSError, ValueError):
        return None
    # From 10000: above the ports services default to (5001-5003, 8053, 8055, 8443 here).
    spans = [range(10000, low), range(max(high + 1, 10000), 65536)]
    span = max(spans, key=len)
    return span if len(span) >= 1000 else None


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now and that this process never handed
    out before (so scenarios running in parallel threads never share one); outside the ephemeral
    range when there is room."""
    span = _ports_outside_ephemeral_range()
    with _ports_lock:
        for _ in range(100):
            if span is not None:
                port = _port_draws.choice(span)
                if not _port_is_free(port):
                    continue
            else:
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", 0))
                    port = sock.getsockname()[1]
            if port not in _given_ports:
                _given_ports.add(port)
                return port
    raise RuntimeError("no free port")


def launch_with_ready_line(argv, env, cwd=None, timeout=READY_TIMEOUT):
    """Starts argv (stdout piped, stderr into a temporary file) and reads its one JSON ready line.
    Returns (process, ready dict, log file). If the process exits or says nothing within
    timeout seconds it is stopped and RuntimeError carries its stderr."""
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                               env=env, text=True, cwd=cwd)
    line = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not line or not line[0]:
        stop_process(process)
        log.seek(0)
        raise RuntimeError(f"{pathlib.Path(argv[0]).name} did not start "
                           f"(exit {process.returncode}): {log.read()[-4000:]}")
    return process, json.loads(line[0]), log


def stop_process(process, grace=STOP_GRACE) -> Optional[int]:
    """SIGTERM to a process we started, SIGKILL after grace seconds; returns its exit status."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()
    return process.returncode


class ManagementError(RuntimeError):
    """A management call that did not answer 200: carries the status and the body."""

    def __init__(self, what, status, text):
        super().__init__(f"{what} -> {status} {text[:2000]}")
        self.status, self.text = status, text


class Stack:
    """A running mockca with its embedded mockdns. Attributes: ready (the parsed ready line),
    seed, directory_url, ca_file (PEM that verifies mockca's HTTPS), dns_management_url
    (http://host:port of the embedded mockdns's challtestsrv API), dns_server (host:port),
    http_port / tls_port (where the VA probes for http-01 / tls-alpn-01), process."""

    def __init__(self, process, ready, log, http_port, tls_port, scratch):
        self.process, self.ready, self._log = process, ready, log
        self.http_port, self.tls_port = http_port, tls_port
        self._scratch = scratch  # a TemporaryDirectory (config files), removed at stop
        self.exit_code: Optional[int] = None
        self.seed = ready.get("seed")
        self.directory_url = ready["directory"]
        self.ca_file = str(TLS_ROOT)
        self.management_url = f"https://{ready['management'][0]}"
        self.dns_management_url = f"http://{ready['mockdns']['management'][0]}"
        self.dns_server = ready["mockdns"]["dnsserver"][0]

    # --- lifecycle ------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> Optional[int]:
        """Stops mockca (by PID; SIGKILL after 10 s) and returns its exit status (0 when clean).
        Idempotent."""
        if self.exit_code is None and self.process.returncode is None:
            self.exit_code = stop_process(self.process)
        elif self.exit_code is None:
            self.exit_code = self.process.returncode
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
        return self.exit_code

    def stderr(self) -> str:
        """mockca's log so far."""
        if self._log.closed:
            return ""
        self._log.seek(0)
        return self._log.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        self._log.close()

    # --- mockca's management API (HTTPS) ------------------------------------------------------
    def management(self, method, path, body=None):
        """Sends method path to mockca's management listener; body: dict/list as JSON or str.
        Returns (status, text); never raises for an HTTP error status."""
        context = ssl.create_default_context(cafile=self.ca_file)
        data = None
        if body is not None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
        request = urllib.request.Request(self.management_url + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, context=context, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def _ok(self, method, path, body=None) -> str:
        status, text = self.management(method, path, body)
        if status != 200:
            raise ManagementError(f"{method} {path}", status, text)
        return text

    def add_faults(self, rules) -> list:
        """Adds fault rules (README "Faults": one rule, a list, or {"faults": [...]}); returns their
        ids. Raises ManagementError naming the bad member when mockca refuses them."""
        return json.loads(self._ok("POST", "/faults", rules))["ids"]

    def clear_faults(self):
        """Removes every fault rule."""
        self._ok("POST", "/faults/clear", {})

    def faults(self) -> dict:
        """GET /faults: the rules with their matched/fired counts, and the seed."""
        return json.loads(self._ok("GET", "/faults"))

    def fault_log(self) -> list:
        """Every fired fault so far (GET /faults/log), oldest first."""
        return json.loads(self._ok("GET", "/faults/log"))["decisions"]

    def fault_decisions(self) -> str:
        """GET /faults/decisions: one JSON object per line, identical for the same seed, rules and
        requests."""
        return self._ok("GET", "/faults/decisions")

    def report(self, account=None) -> dict:
        """The conformance report (GET /conformance-report), or one client's (account URL)."""
        path = "/conformance-report"
        if account:
            path += "?account=" + urllib.request.quote(account, safe="")
        return json.loads(self._ok("GET", path))

    def report_html(self) -> str:
        return self._ok("GET", "/conformance-report.html")

    def requests(self, report=None) -> list:
        """Every recorded request (the report's timelines, every client's), ordered by id; each
        entry {"id", "time", "method", "url", "kind", "status", "problem", "faults", "client"}."""
        report = report or self.report()
        entries = [dict(entry, client=client["id"]) for client in report["clients"]
                   for entry in client["timeline"]]
        return sorted(entries, key=lambda entry: entry["id"])

    def root_pem(self, index=0) -> str:
        """The issuing root (/roots/<index>) as PEM text."""
        return self._ok("GET", f"/roots/{index}")

    def root_file(self, directory) -> pathlib.Path:
        """Writes root_pem() to directory/mockca-root.pem (directory created) and returns it."""
        path = pathlib.Path(directory) / "mockca-root.pem"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.root_pem())
        return path

    def add_eab_key(self, kid, hmac_key):
        """Registers an External Account Binding key at run time (POST /add-eab-key)."""
        self._ok("POST", "/add-eab-key", {"kid": kid, "hmacKey": hmac_key})

    # --- the embedded mockdns's challtestsrv API (HTTP) --------------------------------------
    def dns(self, path, body) -> str:
        """POSTs body to the embedded mockdns's management API (e.g. "/set-txt"); returns the
        answer. Raises ManagementError unless it answers 200."""
        request = urllib.request.Request(self.dns_management_url + path,
                                         data=json.dumps(body).encode(), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            raise ManagementError(f"POST {path} {body}", error.code,
                                  error.read().decode()) from None

    def set_txt(self, name, value):
        """Adds a TXT value to name (with or without the trailing dot)."""
        self.dns("/set-txt", {"host": name, "value": value})

    def clear_txt(self, name):
        self.dns("/clear-txt", {"host": name})

    def add_a(self, name, addresses):
        """Adds A records (a list of IPv4 literals, or one) to name."""
        self.dns("/add-a", {"host": name, "addresses": _listed(addresses)})

    def add_aaaa(self, name, addresses):
        self.dns("/add-aaaa", {"host": name, "addresses": _listed(addresses)})

    # --- pointing a client at it ---------------------------------------------------------------
    def target(self, domains, challenge, workdir, email="anvil@example.com") -> Target:
        """A Target (anvil.plan) for an adapter: this CA, the given names, challenge and workdir."""
        return Target(directory_url=self.directory_url, ca_file=self.ca_file,
                      dns_management_url=self.dns_management_url, dns_server=self.dns_server,
                      http_port=self.http_port, tls_port=self.tls_port, domains=list(domains),
                      workdir=pathlib.Path(workdir), email=email, challenge=challenge)


def _listed(value):
    return [value] if isinstance(value, str) else list(value)


def start(args=(), env=None, faults=None, seed=None, config=None, http_port=None,
          tls_port=None, binary=None, clean_env=True) -> Stack:
    """Starts mockca with its embedded mockdns and returns the running Stack.

    args: extra mockca flags (they win over the :0 defaults and over the arguments below).
    env: variables added to the environment (PEBBLE_*, MOCKCA_*); with clean_env the caller's own
    PEBBLE_*/MOCKCA_* variables are left out so that only env configures mockca. faults: rules
    added through --faults before any request. seed: --seed. config: Pebble's config as a dict
    ({"pebble": {...}}, written to a file for -config). http_port / tls_port: where the VA probes
    (default: fresh free ports). Raises RuntimeError (with mockca's stderr) if it does not start.
    """
    http_port = http_port or free_port()
    tls_port = tls_port or free_port()
    scratch = tempfile.TemporaryDirectory(prefix="anvil-stack-")
    argv = [str(binary or mockca_binary())]
    given = {arg.split("=", 1)[0].replace("--", "-") for arg in args if arg.startswith("-")}
    for flag, value in PORT_DEFAULTS.items():
        if flag.replace("--", "-") not in given:
            argv += [flag, value]
    argv += ["--http-port", str(http_port), "--tls-port", str(tls_port)]
    if seed is not None:
        argv += ["--seed", str(seed)]
    if faults:
        path = pathlib.Path(scratch.name) / "faults.json"
        path.write_text(json.dumps(faults))
        argv += ["--faults", str(path)]
    if config is not None:
        path = pathlib.Path(scratch.name) / "pebble-config.json"
        path.write_text(json.dumps(config))
        argv += ["-config", str(path)]
    argv += [str(arg) for arg in args]
    base = dict(os.environ)
    if clean_env:
        base = {k: v for k, v in base.items() if not k.startswith(("PEBBLE_", "MOCKCA_"))}
    base.update({key: str(value) for key, value in (env or {}).items()})
    try:
        process, ready, log = launch_with_ready_line(argv, base)
    except Exception:
        scratch.cleanup()
        raise
    return Stack(process, ready, log, http_port, tls_port, scratch)
