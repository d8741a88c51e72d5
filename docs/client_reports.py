#!/usr/bin/python3
"""Runs Debian's ACME clients against mockca, a happy path and two fault runs each, and writes the
conformance reports mockca produced to docs/reports/<client>-<run>.{json,html} plus a verdict table
on stdout. The written summary of what each client gets wrong is docs/client-reports.md (by hand,
from reading these reports and their request timelines).

    /usr/bin/python3 docs/client_reports.py [--logs DIR] [--only CLIENT ...] [BUILD_DIR]

BUILD_DIR defaults to build/default. --logs DIR keeps each run's client output (every step's
stdout and stderr, the services' logs) in DIR/<client>-<run>.log; --only runs those clients alone.
The clients are driven by the adapters of scenarios/anvil (anvil.clients); clients missing from
the machine are skipped. Runs: "happy" (no faults), "storm" (30 % bad nonces, the order held in
processing for two polls after it is valid) and "busy" (one 503 with Retry-After: 2 on newOrder).
"""
import argparse
import json
import pathlib
import socket
import ssl
import subprocess
import sys
import tempfile
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scenarios"))
from anvil.clients import ADAPTERS, PythonAcme, Target, run_issue  # noqa: E402

TLS_ROOT = ROOT / "mockca" / "certs" / "test-root.pem"
OUT = ROOT / "docs" / "reports"
SEED = "20261123"
STORM = [{"id": "nonce-storm", "fault": "badNonce", "when": {"probability": 0.3}},
         {"id": "slow-order", "where": "order", "fault": "stuckProcessing", "polls": 2}]
BUSY = [{"id": "busy-new-order", "where": "newOrder", "fault": "error", "status": 503,
         "type": "serverInternal", "retryAfter": 2, "times": 1}]
RUNS = {"happy": None, "storm": STORM, "busy": BUSY}
# client -> (adapter, challenge, the name it asks a certificate for)
CLIENTS = {
    "lego": (ADAPTERS["lego"], "http-01", "lego.example.test"),
    "certbot": (ADAPTERS["certbot"], "http-01", "certbot.example.test"),
    # the whole lifecycle: also revoke, key rollover and deactivation
    "python3-acme": (PythonAcme(full_lifecycle=True), "dns-01", "python-acme.example.test"),
    "dehydrated": (ADAPTERS["dehydrated"], "dns-01", "dehydrated.example.test"),
    "uacme": (ADAPTERS["uacme"], "tls-alpn-01", "uacme.example.test"),
    "acme-tiny": (ADAPTERS["acme-tiny"], "http-01", "acme-tiny.example.test"),
}


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


def run(mockca, client, run_name, faults, logs):
    """One client run on a fresh mockca (seeded, every port free); writes the reports and returns
    the client's exit codes, or None when the client is not installed."""
    adapter, challenge, domain = CLIENTS[client]
    missing = adapter.unavailable()
    if missing:
        print(f"{client}: skipped ({missing})")
        return None
    http_port, tls_port = free_port(), free_port()
    name = f"{client}-{run_name}"
    argv = [str(mockca), "--seed", SEED, "--listen", ":0", "--management", ":0",
            "--mockdns-dns", ":0", "--mockdns-management", ":0", "--mockdns-http01", ":0",
            "--mockdns-tlsalpn01", ":0", "--http-port", str(http_port), "--tls-port",
            str(tls_port), "--report-on-exit", str(OUT / f"{name}.json")]
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            ready = json.loads(server.stdout.readline())
            if faults:
                management(ready, "POST", "/faults", faults)
            dns = ready["mockdns"]
            target = Target(directory_url=ready["directory"], ca_file=str(TLS_ROOT),
                            dns_management_url=f"http://{dns['management'][0]}",
                            dns_server=dns["dnsserver"][0], http_port=http_port,
                            tls_port=tls_port, domains=[domain], workdir=pathlib.Path(tmp),
                            email=f"{client}@example.com", challenge=challenge)
            outcome = run_issue(adapter, target)
            (OUT / f"{name}.html").write_text(management(ready, "GET", "/conformance-report.html"))
        finally:
            server.terminate()
            server.wait(timeout=20)
    if logs:
        (logs / f"{name}.log").write_text(outcome.describe(tail=200_000))
    report = json.loads((OUT / f"{name}.json").read_text())
    clients = report["clients"]
    summary = {}
    for entry in clients:
        for verdict, count in entry["summary"].items():
            summary[verdict] = summary.get(verdict, 0) + count
    problems = sorted({f"{f['rule']}={f['verdict']}" for entry in clients
                       for f in entry["findings"] if f["verdict"] in ("FAIL", "WARN", "NOTE")})
    print(f"{name}: client exit {outcome.exit_codes}; {len(clients)} client record(s); "
          f"{summary}; {' '.join(problems)}")
    return outcome.exit_codes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", nargs="?", type=pathlib.Path, default=ROOT / "build" / "default")
    parser.add_argument("--logs", type=pathlib.Path, help="keep each run's client output here")
    parser.add_argument("--only", nargs="+", choices=sorted(CLIENTS), help="run these clients")
    args = parser.parse_args()
    mockca = args.build / "mockca" / "cmd" / "mockca"
    OUT.mkdir(parents=True, exist_ok=True)
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
    for client in args.only or CLIENTS:
        for run_name, faults in RUNS.items():
            run(mockca, client, run_name, faults, args.logs)


if __name__ == "__main__":
    main()
