#!/usr/bin/python3
"""Writes docs/robustness.md: the reliability figures of issue "Fuzzing and reliability", measured
now, never typed by hand.

- the hostile-client suite (tests/e2e/test_hostile_clients.py) run once, with JUnit XML: how many
  abusive requests mockca answered correctly while still serving (passed / failed / total);
- a load run against one mockca (every listener on 127.0.0.1:0), driven by the benchmark's
  anvil-loadgen: issuance flows by 8 concurrent clients (failed requests, flows completed), then
  newNonce floods in batches past the 100 000 outstanding-nonce cap, with mockca's RSS after each
  batch and its peak RSS (VmHWM) at the end.

    /usr/bin/python3 docs/robustness.py [--build-dir build/default] [--flows 1000]

Runs in about two minutes on 2 cores; takes no network but loopback.
"""
import argparse
import datetime
import json
import os
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scenarios"))
from anvil.stack import TLS_ROOT, start  # noqa: E402  (after the path insert)

NONCE_BATCH = 50_000
NONCE_BATCHES = 4  # 200 000: the last two batches are past the 100 000 cap


def hostile_suite(build_dir, junit):
    """Runs the hostile-client suite; returns (passed, failed, skipped, seconds)."""
    subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2",
                    f"--junitxml={junit}", "tests/e2e/test_hostile_clients.py"],
                   cwd=ROOT, env=dict(os.environ, ANVIL_BUILD_DIR=str(build_dir)),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failed = int(suite.get("tests")), int(suite.get("failures")) + int(suite.get("errors"))
    skipped = int(suite.get("skipped"))
    return total - failed - skipped, failed, skipped, float(suite.get("time"))


def loadgen(binary, stack, workload, count, concurrency):
    result = subprocess.run(
        [str(binary), workload, "--directory", stack.directory_url, "--concurrency",
         str(concurrency), "--count", str(count), "--server-pid", str(stack.process.pid)],
        capture_output=True, text=True, timeout=900,
        env={"SSL_CERT_FILE": str(TLS_ROOT), "PATH": "/usr/bin:/bin"})
    if result.returncode != 0:
        raise SystemExit(f"anvil-loadgen {workload} failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def load_run(build_dir, flows):
    """Returns the figures of the load run (a dict)."""
    binary = build_dir / "bench" / "anvil-loadgen"
    with start(env={"PEBBLE_VA_ALWAYS_VALID": "1", "PEBBLE_VA_NOSLEEP": "1"},
               binary=build_dir / "mockca" / "cmd" / "mockca") as stack:
        flow = loadgen(binary, stack, "flows", flows, 8)
        batches = [loadgen(binary, stack, "newNonce", NONCE_BATCH, 4) for _ in range(NONCE_BATCHES)]
        figures = {
            "flows": flow["count"], "flows_ok": flow["ok"],
            "flow_requests_failed": flow["failed"] + flow["set_up_failed"],
            "flows_per_s": flow["ops_per_s"],
            "nonce_requests": NONCE_BATCH * NONCE_BATCHES,
            "nonce_failed": sum(batch["failed"] for batch in batches),
            "rss_kib_after_flows": flow["proc"]["rss_kib_after"],
            "rss_kib_after_nonce_batches": [batch["proc"]["rss_kib_after"] for batch in batches],
            "peak_rss_kib": peak_rss_kib(stack.process.pid),
        }
        exit_code = stack.stop()
    figures["exit_code"] = exit_code
    return figures


def render(hostile, load, command):
    passed, failed, skipped, seconds = hostile
    rss = load["rss_kib_after_nonce_batches"]
    lines = [
        "# Robustness figures", "",
        f"Written by `{command}` on {datetime.date.today().isoformat()} (2-core machine; "
        "absolute rates are noise, the counts are not). Do not edit by hand: rerun it.", "",
        "## Hostile clients", "",
        "`tests/e2e/test_hostile_clients.py`: each test is one abusive request or connection "
        "pattern (plus the checks that mockca kept serving, SIGTERM mid-request and the "
        "connection limit), answered with the right status and problem type.", "",
        "| tests passed | failed | skipped | time |", "|---:|---:|---:|---:|",
        f"| {passed} | {failed} | {skipped} | {seconds:.0f} s |", "",
        "## Load", "",
        "One mockca (`PEBBLE_VA_ALWAYS_VALID=1`), driven by `bench/loadgen`'s anvil-loadgen.", "",
        "| figure | value |", "|---|---:|",
        f"| issuance flows by 8 concurrent clients | {load['flows']} |",
        f"| flows completed (order valid, certificate downloaded) | {load['flows_ok']} |",
        f"| failed requests during the flows (none injected) | {load['flow_requests_failed']} |",
        f"| flows/s | {load['flows_per_s']:.0f} |",
        f"| newNonce requests after the flows ({NONCE_BATCHES} batches of {NONCE_BATCH}) | "
        f"{load['nonce_requests']} |",
        f"| failed newNonce requests | {load['nonce_failed']} |",
        f"| RSS after the flows | {load['rss_kib_after_flows']} KiB |",
        "| RSS after each newNonce batch | " + ", ".join(f"{kib} KiB" for kib in rss) + " |",
        f"| growth over the last batch (past the 100 000-nonce cap) | {rss[-1] - rss[-2]} KiB |",
        f"| peak RSS (VmHWM) | {load['peak_rss_kib']} KiB |",
        f"| exit status on SIGTERM afterwards | {load['exit_code']} |", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=pathlib.Path, default=ROOT / "build" / "default")
    parser.add_argument("--flows", type=int, default=1000)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "docs" / "robustness.md")
    args = parser.parse_args()
    build_dir = args.build_dir.resolve()
    junit = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"anvil-hostile-{os.getpid()}.xml"
    try:
        hostile = hostile_suite(build_dir, junit)
    finally:
        junit.unlink(missing_ok=True)
    load = load_run(build_dir, args.flows)
    command = "/usr/bin/python3 docs/robustness.py" + (
        f" --flows {args.flows}" if args.flows != 1000 else "")
    args.out.write_text(render(hostile, load, command))
    print(args.out.read_text())
    bad = hostile[1] or load["flow_requests_failed"] or load["nonce_failed"] or load["exit_code"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
