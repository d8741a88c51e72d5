#!/usr/bin/python3
"""Runs Debian's ACME clients against mockca, a happy path and a fault storm each, and writes the
conformance reports mockca produced to docs/reports/<client>-<run>.{json,html} plus a verdict table
on stdout. The written summary of what each client gets wrong is docs/client-reports.md (by hand,
from reading these reports and their request timelines).

    /usr/bin/python3 docs/client_reports.py [BUILD_DIR]     (default: build/default)

Clients missing from the machine are skipped. Runs: "happy" (no faults), "storm" (30 % bad
nonces, the order held in processing for two polls after it is valid) and "busy" (one 503 with
Retry-After: 2 on newOrder).
"""
import json
import os
import pathlib
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "default"
MOCKCA = BUILD / "mockca" / "cmd" / "mockca"
TLS_ROOT = ROOT / "mockca" / "certs" / "test-root.pem"
OUT = ROOT / "docs" / "reports"
HOOK = ROOT / "tests" / "e2e" / "clients" / "mockdns_txt_hook.py"
LIFECYCLE = ROOT / "tests" / "e2e" / "clients" / "acme_lifecycle.py"
PYTHON = "/usr/bin/python3"
SEED = "20261123"
STORM = [{"id": "nonce-storm", "fault": "badNonce", "when": {"probability": 0.3}},
         {"id": "slow-order", "where": "order", "fault": "stuckProcessing", "polls": 2}]
BUSY = [{"id": "busy-new-order", "where": "newOrder", "fault": "error", "status": 503,
         "type": "serverInternal", "retryAfter": 2, "times": 1}]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def management(ready, method, path, body=None):
    context = ssl.create_default_context(cafile=str(TLS_ROOT))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"https://{ready['management'][0]}{path}", data=data,
                                     method=method)
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return response.read().decode()


def lego(directory, work, http_port, dns_management, dns_server):
    env = dict(os.environ, LEGO_CA_CERTIFICATES=str(TLS_ROOT))
    return [shutil.which("lego"), "--server", directory, "--accept-tos", "--email",
            "lego@example.com", "--path", str(work / "lego"), "--key-type", "ec256",
            "--domains", "lego.example.test", "--http", "--http.port",
            f"127.0.0.1:{http_port}", "run"], env


def certbot(directory, work, http_port, dns_management, dns_server):
    env = dict(os.environ, REQUESTS_CA_BUNDLE=str(TLS_ROOT))
    return [shutil.which("certbot"), "certonly", "--non-interactive", "--agree-tos", "--email",
            "certbot@example.com", "--server", directory, "--config-dir", str(work / "config"),
            "--work-dir", str(work / "work"), "--logs-dir", str(work / "logs"), "--standalone",
            "--http-01-port", str(http_port), "--http-01-address", "127.0.0.1",
            "-d", "certbot.example.test"], env


def python_acme(directory, work, http_port, dns_management, dns_server):
    out = work / "out"
    out.mkdir()
    return [PYTHON, str(LIFECYCLE), directory, str(TLS_ROOT), dns_management, str(out),
            "python-acme.example.test"], dict(os.environ)


CLIENTS = {"lego": (lego, "lego"), "certbot": (certbot, "certbot"),
           "python3-acme": (python_acme, None)}


def run(client, run_name, faults):
    make_command, binary = CLIENTS[client]
    if binary and shutil.which(binary) is None:
        print(f"{client}: not installed, skipped")
        return None
    http_port = free_port()
    name = f"{client}-{run_name}"
    argv = [str(MOCKCA), "--seed", SEED, "--listen", ":0", "--management", ":0",
            "--mockdns-dns", ":0", "--mockdns-management", ":0", "--mockdns-http01", ":0",
            "--mockdns-tlsalpn01", ":0", "--http-port", str(http_port), "--tls-port",
            str(free_port()), "--report-on-exit", str(OUT / f"{name}.json")]
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            ready = json.loads(server.stdout.readline())
            if faults:
                management(ready, "POST", "/faults", faults)
            dns = ready["mockdns"]
            command, env = make_command(ready["directory"], pathlib.Path(tmp), http_port,
                                        f"http://{dns['management'][0]}", dns["dnsserver"][0])
            result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env,
                                    cwd=tmp)
            (OUT / f"{name}.html").write_text(management(ready, "GET", "/conformance-report.html"))
        finally:
            server.terminate()
            server.wait(timeout=20)
    report = json.loads((OUT / f"{name}.json").read_text())
    clients = report["clients"]
    summary = {}
    for entry in clients:
        for verdict, count in entry["summary"].items():
            summary[verdict] = summary.get(verdict, 0) + count
    problems = sorted({f"{f['rule']}={f['verdict']}" for entry in clients
                       for f in entry["findings"] if f["verdict"] in ("FAIL", "WARN", "NOTE")})
    print(f"{name}: client exit {result.returncode}; {len(clients)} client record(s); "
          f"{summary}; {' '.join(problems)}")
    return result.returncode


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for client in CLIENTS:
        run(client, "happy", None)
        run(client, "storm", STORM)
        run(client, "busy", BUSY)


if __name__ == "__main__":
    main()
