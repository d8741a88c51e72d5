#!/usr/bin/python3
"""Rewrites the Results table of fuzz/README.md from libFuzzer's logs.

fuzz/run (and so ci/fuzz) writes each target's output to build/fuzz/logs/<name>.log, starting
with a header line "# fuzz/run <name> budget=<s> date=<UTC> jobs=<n>". For every log this reads
libFuzzer's final "#<runs> DONE cov: <cov> ft: <ft> ... exec/s: <n>" line, or the crash it
reported, and replaces that target's row of the table; rows of targets without a log are kept
as they are, so the table can be refreshed one target at a time. Standard library only.

    /usr/bin/python3 fuzz/figures.py                 # build/fuzz/logs -> fuzz/README.md
    /usr/bin/python3 fuzz/figures.py --logs DIR --readme FILE --check   # exit 1 if out of date
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "| Target | Budget (s) | Date (UTC) | Jobs | Runs | exec/s | cov | ft | Findings |"
RULE = "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"
START = "<!-- results: written by fuzz/figures.py -->"
END = "<!-- end of results -->"

HEAD_RE = re.compile(r"^# fuzz/run (\S+) budget=(\d+) date=(\S+) jobs=(\d+)")
DONE_RE = re.compile(r"^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) .*exec/s: (\d+)")
# libFuzzer's progress lines, for a run that ended in a finding before DONE.
STAT_RE = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) .*exec/s: (\d+)")
FINDING_RE = re.compile(
    r"(ERROR: (?:AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)[^\n]*"
    r"|runtime error:[^\n]*|oracle failed:[^\n]*)")
ARTIFACT_RE = re.compile(r"Test unit written to (\S+)")


def parse_log(path):
    """The table row of one log, as a list of cell strings, or None when it is not fuzz/run's."""
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    if not lines:
        return None
    head = HEAD_RE.match(lines[0])
    if not head:
        return None
    name, budget, date, jobs = head.groups()
    done = [m for m in map(DONE_RE.match, lines) if m]
    stats = done or [m for m in map(STAT_RE.match, lines) if m]
    runs, cov, ft, execs = stats[-1].groups() if stats else ("-", "-", "-", "-")
    text = "\n".join(lines)
    finding = FINDING_RE.search(text)
    if finding:
        artifact = ARTIFACT_RE.search(text)
        what = finding.group(1).strip().replace("|", "\\|")
        findings = "**" + what[:120] + "**" + (
            " (`" + os.path.basename(artifact.group(1)) + "`)" if artifact else "")
    elif not done:
        findings = "**no DONE line: the run was cut short**"
    else:
        findings = "none"
    return name, ["`%s`" % name, budget, date[:16].replace("T", " "), jobs, runs, execs, cov, ft,
                  findings]


def read_table(lines):
    """(start, end, rows by target) of the block between START and END."""
    try:
        start, end = lines.index(START), lines.index(END)
    except ValueError:
        sys.exit("fuzz/figures.py: README has no %s ... %s block" % (START, END))
    rows = {}
    for line in lines[start + 1:end]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 9:
            rows[cells[0].strip("`")] = cells
    return start, end, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", default=os.path.join(ROOT, "build", "fuzz", "logs"))
    parser.add_argument("--readme", default=os.path.join(ROOT, "fuzz", "README.md"))
    parser.add_argument("--check", action="store_true", help="only report whether it would change")
    args = parser.parse_args()

    with open(args.readme) as f:
        original = f.read()
    lines = original.splitlines()
    start, end, rows = read_table(lines)
    order = list(rows)
    found = 0
    if os.path.isdir(args.logs):
        for entry in sorted(os.listdir(args.logs)):
            if entry.endswith(".log"):
                parsed = parse_log(os.path.join(args.logs, entry))
                if parsed:
                    name, cells = parsed
                    if name not in rows:
                        order.append(name)
                    rows[name] = cells
                    found += 1
    table = [START, HEADER, RULE] + ["| " + " | ".join(rows[n]) + " |" for n in order] + [END]
    updated = "\n".join(lines[:start] + table + lines[end + 1:]) + "\n"
    if args.check:
        print("up to date" if updated == original else "out of date")
        return 0 if updated == original else 1
    with open(args.readme, "w") as f:
        f.write(updated)
    print("fuzz/figures.py: %d log(s) read, %d row(s) in %s" % (found, len(order), args.readme))
    return 0


if __name__ == "__main__":
    sys.exit(main())
