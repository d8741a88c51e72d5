"""Load (issue "Fuzzing and reliability"): many concurrent clients against one mockca, bounded in
time, loopback only, driven by the benchmark's load generator (bench/loadgen, built with the
tree). Zero failed requests (no faults are injected), every order a client created reaches valid
and its certificate downloads, and memory stops growing under a flood of newNonce (outstanding
nonces are capped at 100 000, README "Limits")."""
import json
import subprocess

import pytest

from conftest import BUILD_DIR, MOCKCA_TLS_ROOT, start_mockca, stop_checked

LOADGEN = BUILD_DIR / "bench" / "anvil-loadgen"
NONCE_CAP = 100_000


def loadgen(server, workload, count, concurrency):
    result = subprocess.run(
        [str(LOADGEN), workload, "--directory", server.directory, "--concurrency",
         str(concurrency), "--count", str(count), "--server-pid", str(server.process.pid)],
        capture_output=True, text=True, timeout=300,
        env={"SSL_CERT_FILE": str(MOCKCA_TLS_ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def loaded_mockca():
    if not LOADGEN.exists():
        pytest.skip(f"{LOADGEN} is not built (ANVIL_BUILD_BENCH=OFF)")
    server = start_mockca(extra_env={"PEBBLE_VA_ALWAYS_VALID": "1", "PEBBLE_VA_NOSLEEP": "1"})
    yield server
    stop_checked(server, "mockca")


def test_300_issuance_flows_by_8_concurrent_clients_lose_nothing(loaded_mockca):
    report = loadgen(loaded_mockca, "flows", 300, 8)
    assert report["failed"] == 0 and report["set_up_failed"] == 0, report["errors"]
    assert report["ok"] == 300  # each: newOrder ... order valid ... certificate downloaded
    assert report["bad_nonce_retries"] == 0  # no nonce was refused: none injected
    assert loaded_mockca.alive()


def test_memory_stops_growing_under_a_newnonce_flood(loaded_mockca):
    batch = NONCE_CAP // 2
    rss = []
    for _ in range(4):  # 200 000 nonces: the last two batches are past the cap
        report = loadgen(loaded_mockca, "newNonce", batch, 4)
        assert report["failed"] == 0, report["errors"]
        rss.append(report["proc"]["rss_kib_after"])
    growth_before_cap = rss[1] - rss[0]
    growth_at_cap = rss[3] - rss[2]
    print("RSS KiB after each batch of", batch, "newNonce:", rss)
    assert growth_at_cap < max(2048, growth_before_cap // 4), rss
