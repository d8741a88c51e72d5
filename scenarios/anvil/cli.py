"""The command line of scenarios/run (see scenarios/README.md, "The runner")."""
import argparse
import json
import pathlib
import sys
import time

from . import report
from .adapters.command import Command
from .clients import ADAPTERS
from .expected import DEFAULT as DEFAULT_EXPECTED
from .expected import load_expected
from .runner import FAILING, XPASS, Job, run_jobs
from .scenario import ScenarioError, load_all

USAGE_ERROR = 2


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="scenarios/run",
        description="Run ACME clients through scenario files against a fresh mockca each.")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--client", choices=sorted(ADAPTERS), help="the client (an adapter)")
    who.add_argument("--command", metavar="TEMPLATE",
                     help="any other client: a shell command template (placeholders: "
                          "{directory_url} {ca_file} {dns_mgmt_url} {dns_server} {http_port} "
                          "{tls_port} {domain} {domains} {workdir} {email} {challenge} "
                          "{cert_file}); it must leave the chain at {cert_file}")
    who.add_argument("--matrix", action="store_true",
                     help="run every scenario against every client of --clients")
    parser.add_argument("--clients", help="comma-separated clients for --matrix (default: all)")
    parser.add_argument("--name", default="command",
                        help="the client name --command results carry (default: command)")
    parser.add_argument("files", nargs="+", type=pathlib.Path,
                        help="scenario files (.yaml), or directories of them")
    parser.add_argument("--seed", type=int, help="mockca --seed for every scenario (reruns one "
                                                 "exactly; the table prints each run's seed)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="scenarios run in parallel")
    parser.add_argument("--quick", action="store_true",
                        help="only the scenarios marked quick: true")
    parser.add_argument("--junit", type=pathlib.Path, help="write JUnit XML here")
    parser.add_argument("--json", type=pathlib.Path, help="write every result as JSON here")
    parser.add_argument("--markdown", type=pathlib.Path,
                        help="write the client x scenario matrix (markdown) here")
    parser.add_argument("--readme", type=pathlib.Path,
                        help="replace the section between the scenario-matrix markers of this "
                             "markdown file with the compact matrix (cells only)")
    parser.add_argument("--expected", type=pathlib.Path, default=DEFAULT_EXPECTED,
                        help="known client failures (default scenarios/expected.yaml)")
    parser.add_argument("--strict", action="store_true", help="an XPASS fails the run")
    parser.add_argument("--artifacts", type=pathlib.Path,
                        help="keep each run's client output, mockca log, report and fault log "
                             "in DIR/<client>/<scenario>/")
    parser.add_argument("--check", action="store_true",
                        help="only validate the scenario files (and the expected file)")
    args = parser.parse_args(argv)
    if args.clients and not args.matrix:
        parser.error("--clients goes with --matrix")
    if not (args.client or args.command or args.matrix or args.check):
        parser.error("one of --client, --command or --matrix is required")
    if args.jobs < 1:
        parser.error("-j must be at least 1")
    if args.readme:
        try:
            report.replace_readme_section(args.readme.read_text(), "")
        except (OSError, ValueError) as error:
            parser.error(f"--readme {args.readme}: {error}")
    return args


def scenario_files(paths):
    """The .yaml files named, a directory standing for the .yaml files in it (sorted)."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob("*.yaml"))
        else:
            files.append(path)
    return files


def command_line(argv, files) -> str:
    """The command as typed, for the matrix header: without the options that only say where
    other outputs go (--artifacts, --json, --junit), a long list of files from one directory
    shortened to DIR/*.yaml."""
    files = [str(path) for path in files]
    parents = {str(pathlib.Path(path).parent) for path in files}
    words, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word in ("--artifacts", "--json", "--junit"):
            skip = True
        elif word.split("=", 1)[0] not in ("--artifacts", "--json", "--junit") \
                and word not in files:
            words.append(word)
    if len(files) > 3 and len(parents) == 1:
        words.append(f"{parents.pop()}/*.yaml")
    else:
        words += files
    return "scenarios/run " + " ".join(words)


def chosen_adapters(args):
    """The adapters to run, in the order given; SystemExit(2) for an unknown client name."""
    if args.command:
        return [Command(args.command, name=args.name)]
    if args.client:
        return [ADAPTERS[args.client]]
    names = [name.strip() for name in (args.clients or ",".join(ADAPTERS)).split(",")
             if name.strip()]
    unknown = [name for name in names if name not in ADAPTERS]
    if unknown:
        sys.exit(f"scenarios/run: unknown client(s) {', '.join(unknown)} "
                 f"(known: {', '.join(ADAPTERS)})")
    return [ADAPTERS[name] for name in names]


def main(argv=None) -> int:
    """Runs the CLI; returns the exit status: 0 when nothing failed unexpectedly, 1 when a
    scenario failed (FAIL, TIMEOUT, ERROR; XPASS with --strict), 2 for bad arguments or files."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        scenarios = load_all(scenario_files(args.files))
        expected = load_expected(args.expected)
    except ScenarioError as error:
        print(f"scenarios/run: {error}", file=sys.stderr)
        return USAGE_ERROR
    if args.check:
        print(f"{len(scenarios)} scenario file(s) valid")
        return 0
    if args.quick:
        scenarios = [scenario for scenario in scenarios if scenario.quick]
    adapters = chosen_adapters(args)
    jobs = [Job(adapter, scenario, expected.get(adapter.name, {}).get(scenario.name), args.seed)
            for scenario in scenarios for adapter in adapters]
    started = time.monotonic()
    print(f"scenarios/run: {len(jobs)} run(s): {len(scenarios)} scenario(s) x "
          f"{', '.join(adapter.name for adapter in adapters)}; -j {args.jobs}", flush=True)
    results = run_jobs(jobs, workers=args.jobs, artifacts=args.artifacts,
                       on_result=lambda result, done, total: print(
                           report.progress_line(result, done, total), flush=True))
    elapsed = time.monotonic() - started
    print()
    print(report.table(results))
    print(f"wall time {elapsed:.1f} s")
    if args.junit:
        report.junit(results, args.junit, strict=args.strict)
    if args.json:
        args.json.write_text(json.dumps([result.as_dict() for result in results], indent=1))
    command = command_line(sys.argv[1:] if argv is None else argv, args.files)
    clients = [adapter.name for adapter in adapters]
    if args.markdown:
        args.markdown.write_text(
            report.markdown_matrix(results, scenarios, clients, command, elapsed))
    if args.readme:
        args.readme.write_text(report.replace_readme_section(
            args.readme.read_text(), report.compact_matrix(results, scenarios, clients, command)))
    failed = [result for result in results if result.status in FAILING
              or (args.strict and result.status == XPASS)]
    return 1 if failed else 0
