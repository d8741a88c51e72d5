"""The two servers under test, in each configuration, started on free loopback ports.

mockca is started with every listener on 127.0.0.1:0 and its JSON ready line is read
(scenarios/anvil/stack.py's launcher, shared with the scenario runner); Pebble prints no ready
line, so it gets ports picked here, a config file, and is waited for until its directory answers.
"""
import json
import os
import pathlib
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scenarios"))
from anvil.stack import free_port, launch_with_ready_line, stop_process  # noqa: E402

PEBBLE = pathlib.Path("/usr/bin/pebble")
SERVERS = ("mockca", "pebble")

# Validation switched off on both (the benchmark measures the CA, not the network); the rest
# differs by configuration.
NO_VALIDATION = {"PEBBLE_VA_ALWAYS_VALID": "1", "PEBBLE_VA_NOSLEEP": "1"}

CONFIGS = {
    "matched": {
        "about": "same key types on both sides: RSA-2048 root and intermediate (Pebble 2.4.0 has "
                 "no keyAlgorithm: it was added in v2.9.0, so ECDSA CA keys are impossible on "
                 "Pebble's side; mockca gets --key-algorithm rsa), the same P-256 TLS certificate "
                 "(mockca --tls-cert), no nonce rejection (PEBBLE_WFE_NONCEREJECT=0), no DNS "
                 "server on either side (mockca --dns-server at an unused port, never asked)",
        "env": dict(NO_VALIDATION, PEBBLE_WFE_NONCEREJECT="0"),
        "mockca_args": ["--key-algorithm", "rsa"],
        "ca_key": "rsa2048",  # signs the leaf: the crypto floor's signature
        "mockca_tls_file": True,
        "mockca_mockdns": False,
    },
    "defaults": {
        "about": "each server as it starts with no options: mockca with its ECDSA P-256 CA, its "
                 "built-in TLS certificate and its embedded mockdns; Pebble with RSA-2048 CA keys "
                 "and its default 5 % badNonce rejections (the client retries)",
        "env": dict(NO_VALIDATION),
        "mockca_args": [],
        "ca_key": "p256",
        "mockca_tls_file": False,
        "mockca_mockdns": True,
    },
}


def clean_env(extra):
    """The environment without any PEBBLE_*/MOCKCA_* variable, plus extra."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PEBBLE_", "MOCKCA_"))}
    return dict(base, **extra)


def make_tls_files(directory):
    """A self-signed P-256 certificate for localhost/127.0.0.1 (Pebble needs one; mockca gets it
    too in the matched configuration)."""
    cert, key = directory / "localhost.pem", directory / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def mockca_argv(binary, config, tls, listen="127.0.0.1:0"):
    """mockca's command line for config, ACME on listen, every other listener on a free port."""
    spec = CONFIGS[config]
    argv = [str(binary), "--listen", listen, "--management", "127.0.0.1:0"]
    if spec["mockca_mockdns"]:
        for flag in ("--mockdns-dns", "--mockdns-management", "--mockdns-http01",
                     "--mockdns-tlsalpn01"):
            argv += [flag, "127.0.0.1:0"]
    else:
        argv += ["--dns-server", f"127.0.0.1:{free_port()}"]
    if spec["mockca_tls_file"]:
        argv += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
    return argv + spec["mockca_args"]


def pebble_argv(workdir, tls, port):
    """Pebble's command line: Debian's example config with loopback ports and tls's files."""
    config = {"pebble": {
        "listenAddress": f"127.0.0.1:{port}",
        "managementListenAddress": f"127.0.0.1:{free_port()}",
        "certificate": str(tls[0]), "privateKey": str(tls[1]),
        "httpPort": 5002, "tlsPort": 5001,
        "ocspResponderURL": "", "externalAccountBindingRequired": False}}
    path = workdir / f"pebble-{port}.json"
    path.write_text(json.dumps(config))
    return [str(PEBBLE), "-config", str(path)]


class Server:
    """A running server: name, process, pid, directory URL."""

    def __init__(self, name, process, directory, log):
        self.name, self.process, self.directory, self.log = name, process, directory, log
        self.pid = process.pid

    def stop(self):
        """SIGTERM (SIGKILL after 10 s); returns the exit status."""
        status = stop_process(self.process, grace=10)
        self.log.close()
        return status

    def log_tail(self):
        try:
            self.log.seek(0)
            return self.log.read()[-2000:]
        except ValueError:
            return ""


def wait_for_directory(url, process, timeout=30):
    context = ssl._create_unverified_context()
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, context=context, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


def start(name, config, binary, workdir, tls, extra_args=()):
    """Starts server name ("mockca" or "pebble") in config (mockca with extra_args too); returns a
    Server once its directory is served."""
    env = clean_env(CONFIGS[config]["env"])
    if name == "mockca":
        argv = mockca_argv(binary, config, tls) + list(extra_args)
        process, ready, log = launch_with_ready_line(argv, env)
        server = Server(name, process, ready["directory"], log)
    else:
        port = free_port()
        log = (workdir / f"pebble-{port}.log").open("w+")
        process = subprocess.Popen(pebble_argv(workdir, tls, port), stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir)
        server = Server(name, process, f"https://127.0.0.1:{port}/dir", log)
    try:
        wait_for_directory(server.directory, server.process)
    except RuntimeError as error:
        server.stop()
        raise RuntimeError(f"{name} ({config}): {error}: {server.log_tail()}") from None
    return server


def startup_command(name, config, binary, workdir, tls):
    """(argv, directory URL, env) for a start-up measurement: the ACME port is fixed beforehand
    because the load generator starts the server itself and cannot read a ready line."""
    port = free_port()
    if name == "mockca":
        argv = mockca_argv(binary, config, tls, listen=f"127.0.0.1:{port}")
    else:
        argv = pebble_argv(workdir, tls, port)
    return argv, f"https://127.0.0.1:{port}/dir", clean_env(CONFIGS[config]["env"])
