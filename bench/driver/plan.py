"""What one bench/run measures, in which order, and the JSON lines it writes.

Every measured phase runs on a fresh server process, alternating between the servers (mockca,
pebble, then pebble, mockca, ...), so a change in the machine's load hits both; start-up runs
alternate the same way.
"""
import datetime
import json
import os
import pathlib
import tempfile
import time

from . import loadgen, servers

PRESETS = {
    # about a minute on a quiet 2-core machine; proves the harness works
    "quick": {"reps": 1, "flows_c1": 30, "flows_c8": 120, "requests": 600, "warmup": 8,
              "startup_repeat": 3, "rss_certs": [200], "rss_concurrency": 1, "stall_flows": 300,
              "floor_count": 300},
    # the documented full comparison
    "full": {"reps": 3, "flows_c1": 200, "flows_c8": 1000, "requests": 20000, "warmup": 16,
             "startup_repeat": 10, "rss_certs": [1000, 10000], "rss_concurrency": 1,
             "stall_flows": 100000, "floor_count": 5000},
}

MAX_ATTEMPTS = 3

# (phase, loadgen workload, concurrency, count key of the preset)
PHASES = [
    ("flows_c1", "flows", 1, "flows_c1"),
    ("flows_c8", "flows", 8, "flows_c8"),
    ("newNonce_c8", "newNonce", 8, "requests"),
    ("directory_c8", "directory", 8, "requests"),
]

# mockca only, measured in the same repetition right after the phase named first: (phase of the
# variant, mockca's extra arguments). Recording for the conformance report is on by default; this
# prices it.
MOCKCA_VARIANTS = {"flows_c8": [("flows_c8_unrecorded", ["--no-record"])]}


class Recorder:
    """Appends records to a JSON-lines file, each stamped with the run's identity, and echoes a
    one-line progress note."""

    def __init__(self, path, run_meta):
        self.path, self.meta, self.records = path, run_meta, []
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = path.open("a")

    def write(self, config, server, phase, result, **extra):
        record = dict(self.meta, config=config, server=server, phase=phase,
                      time=datetime.datetime.now(datetime.timezone.utc).isoformat(
                          timespec="seconds"), **extra, **result)
        self.file.write(json.dumps(record, sort_keys=True) + "\n")
        self.file.flush()
        self.records.append(record)
        failed = result.get("failed", 0) + result.get("set_up_failed", 0)
        note = (f"  {config:8} {server:6} {phase:13} ok={result.get('ok')} failed={failed}")
        if "ops_per_s" in result:
            note += f" {result['ops_per_s']}/s"
        if "cpu_ms_per_op" in result.get("proc", {}):
            note += f" server_cpu={result['proc']['cpu_ms_per_op']} ms/op"
        if "median_ms" in result:
            note += f" ready={result['median_ms']} ms"
        if failed:
            note += f" errors={result.get('errors', [])[:2]}"
        print(note, flush=True)

    def close(self):
        self.file.close()


def alternate(names, rep):
    return list(names) if rep % 2 == 0 else list(reversed(names))


def stop(server, config):
    """Stops server; returns 1 if it is mockca and did not exit 0 (a problem), else 0."""
    status = server.stop()
    if server.name == "mockca" and status != 0:
        print(f"  mockca ({config}) exited {status} on SIGTERM", flush=True)
        return 1
    return 0


def measure_phase(config, name, phase, workload, concurrency, count, rep, ctx, extra_args=()):
    """One phase on a fresh server (warm-up flows first, recorded only if the server hung in
    them). A run the server hung in
    (anvil-loadgen's "aborted": Pebble 2.4.0 can deadlock under concurrent flows) is recorded and
    tried again on another fresh server, at most MAX_ATTEMPTS times. Returns problems."""
    problems = 0
    for attempt in range(MAX_ATTEMPTS):
        server = servers.start(name, config, ctx["mockca"], ctx["workdir"], ctx["tls"],
                               extra_args)
        try:
            warmup = loadgen.run(ctx["loadgen"], [
                "flows", "--directory", server.directory, "--concurrency", concurrency,
                "--count", ctx["preset"]["warmup"],
                "--tag", f"{ctx['tag']}-warm-{phase_label(phase)}-{rep}-{attempt}"])
            if warmup.get("aborted"):  # hung already: recorded as a hang, and tried again
                result, recorded_phase = warmup, "warmup"
            else:
                result, recorded_phase = loadgen.run(ctx["loadgen"], [
                    workload, "--directory", server.directory, "--concurrency", concurrency,
                    "--count", count, "--server-pid", server.pid,
                    "--tag", f"{ctx['tag']}-{phase_label(phase)}-{rep}-{attempt}"]), phase
        finally:
            problems += stop(server, config)
        ctx["recorder"].write(config, name, recorded_phase, result, rep=rep, attempt=attempt,
                              about=servers.CONFIGS[config]["about"])
        if not result.get("aborted"):
            return problems + result.get("failed", 0) + result.get("set_up_failed", 0)
        print(f"  {name} stopped answering; trying again on a fresh server", flush=True)
        if name == "mockca":  # a hang is a bug of ours; Pebble's is known (README "Limits")
            problems += 1
    return problems + 1


def phase_label(phase):
    return phase.replace("_", "-")  # identifiers are DNS names: no underscores


def measure_config(config, names, preset, binaries, recorder, workdir, tls, tag):
    """Every phase for one configuration, alternating between the servers; returns the number of
    problems (failed operations, hangs of mockca, unclean stops of mockca)."""
    ctx = {"mockca": binaries["mockca"], "loadgen": binaries["loadgen"], "workdir": workdir,
           "tls": tls, "preset": preset, "recorder": recorder, "tag": tag}
    problems = 0
    for phase, workload, concurrency, count_key in PHASES:
        for rep in range(preset["reps"]):
            for name in alternate(names, rep):
                problems += measure_phase(config, name, phase, workload, concurrency,
                                          preset[count_key], rep, ctx)
            if "mockca" in names:
                for variant, extra_args in MOCKCA_VARIANTS.get(phase, []):
                    problems += measure_phase(config, "mockca", variant, workload, concurrency,
                                              preset[count_key], rep, ctx, extra_args)

    if "mockca" in names:
        # Stalls: one long run at 8 clients, the longest request of any type recorded.
        problems += measure_phase(config, "mockca", "stall_c8", "flows", 8, preset["stall_flows"],
                                  0, ctx)
        # The crypto a flow cannot do without, timed with the OpenSSL mockca links.
        result = loadgen.run(binaries["loadgen"], ["crypto-floor", "--count",
                                                   preset["floor_count"]])
        recorder.write(config, "mockca", "crypto_floor", result,
                       ca_key=servers.CONFIGS[config]["ca_key"])
        problems += result.get("failed", 0)

    # Start-up: the load generator execs the server and times the first good directory GET.
    for rep in range(preset["startup_repeat"]):
        for name in alternate(names, rep):
            argv, url, env = servers.startup_command(name, config, binaries["mockca"], workdir,
                                                     tls)
            result = loadgen.run(binaries["loadgen"],
                                 ["startup", "--directory", url, "--repeat", 1, "--", *argv],
                                 env=env, cwd=workdir)
            recorder.write(config, name, "startup", result, rep=rep)
            problems += result.get("failed", 0)

    # Memory: a fresh server per name, flows up to each checkpoint, RSS read there. One client:
    # Pebble 2.4.0 deadlocks within a few hundred flows at 8 (README "Limits").
    for name in names:
        server = servers.start(name, config, binaries["mockca"], workdir, tls)
        try:
            issued = 0
            for checkpoint in preset["rss_certs"]:
                result = loadgen.run(binaries["loadgen"], [
                    "flows", "--directory", server.directory,
                    "--concurrency", preset["rss_concurrency"], "--count", checkpoint - issued,
                    "--server-pid", server.pid, "--tag", f"{tag}-rss-{checkpoint}"])
                issued = checkpoint
                recorder.write(config, name, "rss", result, certs=checkpoint)
                problems += result.get("failed", 0) + result.get("set_up_failed", 0)
                if result.get("aborted"):
                    break
        finally:
            problems += stop(server, config)
    return problems


def run(args, binaries, results_path):
    """Runs the plan the command line asks for; returns (records, problems)."""
    preset = dict(PRESETS["quick" if args.quick else "full"])
    for key in ("reps", "flows_c1", "flows_c8", "requests", "startup_repeat", "stall_flows"):
        if getattr(args, key) is not None:
            preset[key] = getattr(args, key)
    if args.rss_certs:
        preset["rss_certs"] = sorted(int(n) for n in args.rss_certs.split(","))
    run_id = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    meta = {"run": run_id, "preset": "quick" if args.quick else "full", "params": preset,
            "host": {"cpus": len(os.sched_getaffinity(0)),
                     "load_avg_start": round(os.getloadavg()[0], 2)}}
    recorder = Recorder(results_path, meta)
    problems = 0
    started = time.time()
    try:
        with tempfile.TemporaryDirectory(prefix="anvil-bench-") as scratch:
            workdir = pathlib.Path(scratch)
            tls = servers.make_tls_files(workdir)
            for config in args.configs:
                print(f"{config}: {servers.CONFIGS[config]['about']}", flush=True)
                problems += measure_config(config, args.servers, preset, binaries, recorder,
                                           workdir, tls, f"{run_id.lower()}-{config}")
    finally:
        recorder.close()
    print(f"{len(recorder.records)} records in {time.time() - started:.0f} s -> {results_path}")
    return recorder.records, problems
