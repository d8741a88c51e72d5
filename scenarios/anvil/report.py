"""Presenting results: the live progress line, the final table, JUnit XML and the markdown
client x scenario matrix."""
import datetime
import xml.etree.ElementTree as ET

from .runner import ERROR, FAIL, NA, PASS, SKIP, TIMEOUT, XFAIL, XPASS


def progress_line(result, done, total) -> str:
    """`[ 3/12] PASS     lego  happy-http-01  4.2 s  seed 123  <evidence>`"""
    width = len(str(total))
    seed = f"seed {result.seed}" if result.seed is not None else "-"
    return (f"[{done:>{width}}/{total}] {result.status:<7} {result.client:<12} "
            f"{result.scenario:<36} {result.elapsed:6.1f} s  {seed}  {_short(result)}")


def _short(result, width=160):
    text = result.evidence
    if result.status in (XFAIL, XPASS) and result.reason:
        text = f"expected failure: {result.reason} | {text}"
    return text if len(text) <= width else text[:width - 1] + "…"


def table(results) -> str:
    """The final table: scenario, client, result, time, seed, evidence; then a count per
    status."""
    rows = [("scenario", "client", "result", "time", "seed", "evidence")]
    for result in results:
        rows.append((result.scenario, result.client, result.status, f"{result.elapsed:.1f} s",
                     "" if result.seed is None else str(result.seed), _short(result, 120)))
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[5]
             for row in rows]
    lines.insert(1, "-" * min(200, sum(widths) + 12 + 40))
    return "\n".join(lines) + "\n" + summary_line(results)


def summary_line(results) -> str:
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    order = (PASS, FAIL, TIMEOUT, ERROR, XFAIL, XPASS, NA, SKIP)
    return ", ".join(f"{counts[status]} {status}" for status in order if status in counts) \
        or "no scenarios"


def junit(results, path, strict=False):
    """Writes JUnit XML to path: one testsuite per client, one testcase per scenario (classname
    anvil.<client>). FAIL and TIMEOUT are <failure>, ERROR is <error>, XPASS is a <failure> only
    with strict; XFAIL, N/A and SKIP are <skipped> with the reason. Each testcase carries the
    seed, the covered IDs and the report's verdict summary as properties."""
    root = ET.Element("testsuites", name="anvil scenarios")
    by_client = {}
    for result in results:
        by_client.setdefault(result.client, []).append(result)
    for client, client_results in by_client.items():
        suite = ET.SubElement(root, "testsuite", name=f"anvil.{client}",
                              tests=str(len(client_results)),
                              timestamp=datetime.datetime.now().isoformat(timespec="seconds"))
        counts = {"failures": 0, "errors": 0, "skipped": 0}
        for result in client_results:
            case = ET.SubElement(suite, "testcase", classname=f"anvil.{client}",
                                 name=result.scenario, time=f"{result.elapsed:.3f}")
            properties = ET.SubElement(case, "properties")
            for name, value in (("result", result.status), ("seed", result.seed),
                                ("covers", " ".join(result.covers)),
                                ("verdicts", _verdicts_text(result.verdicts))):
                ET.SubElement(properties, "property", name=name,
                              value="" if value is None else str(value))
            if result.status in (FAIL, TIMEOUT) or (strict and result.status == XPASS):
                counts["failures"] += 1
                element = ET.SubElement(case, "failure", type=result.status,
                                        message=result.evidence[:1000])
                element.text = result.detail[-20000:]
            elif result.status == ERROR:
                counts["errors"] += 1
                element = ET.SubElement(case, "error", type=ERROR, message=result.evidence[:1000])
                element.text = result.detail[-20000:]
            elif result.status in (XFAIL, NA, SKIP):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f"{result.status}: {result.reason}"[:1000])
            if result.status in (PASS, XPASS, XFAIL):
                ET.SubElement(case, "system-out").text = result.detail[-20000:]
        for key, value in counts.items():
            suite.set(key, str(value))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _verdicts_text(verdicts):
    if not verdicts:
        return ""
    summary = " ".join(f"{verdict}={count}" for verdict, count in verdicts["summary"].items())
    flagged = " ".join(f"{verdict}:{rule}" for verdict in ("FAIL", "WARN")
                       for rule in verdicts.get(verdict, {}))
    return f"{summary} {flagged}".strip()


MATRIX_CELL = {PASS: "pass", FAIL: "**FAIL**", TIMEOUT: "**TIMEOUT**", ERROR: "**ERROR**",
               XPASS: "pass (XPASS)", NA: "n.a.", SKIP: "skipped"}


def markdown_matrix(results, scenarios, clients, command, elapsed) -> str:
    """The client x scenario matrix as markdown: a row per scenario (with what it covers), a
    column per client; cells pass / fail (expected, see note n) / n.a.; then the numbered notes
    with each expected failure's reason, the n.a. reasons and the run's command and time.
    Generated by scenarios/run --markdown, never edited by hand."""
    cells = {(result.scenario, result.client): result for result in results}
    notes, note_of = [], {}
    lines = ["# Scenario matrix", "",
             f"Generated by `{command}` on {datetime.date.today().isoformat()} in "
             f"{elapsed:.0f} s wall time. Do not edit by hand: rerun the command.", "",
             f"Totals: {summary_line(results)}.", "",
             "| scenario | covers | " + " | ".join(clients) + " |",
             "|---|---|" + "---|" * len(clients)]
    for scenario in scenarios:
        row = [f"`{scenario.name}`", " ".join(scenario.covers)]
        for client in clients:
            result = cells.get((scenario.name, client))
            if result is None:
                row.append("")
                continue
            cell = MATRIX_CELL.get(result.status, result.status)
            if result.status in (XFAIL, XPASS, NA):
                text = f"{client}: {result.reason}"
                if result.status == XFAIL:
                    cell = "fail (expected)"
                if text not in note_of:
                    notes.append(text)
                    note_of[text] = len(notes)
                cell += f" [{note_of[text]}]"
            elif result.status in (FAIL, TIMEOUT, ERROR):
                text = f"{client}: {result.evidence}"
                notes.append(text)
                cell += f" [{len(notes)}]"
            row.append(cell)
        lines.append("| " + " | ".join(row) + " |")
    per_client = []
    for client in clients:
        mine = [result for result in results if result.client == client]
        per_client.append(summary_line(mine))
    lines.append("| **totals** | | " + " | ".join(per_client) + " |")
    lines += ["", "Notes (expected failures from `scenarios/expected.yaml`, n.a. reasons, "
                  "unexpected failures):", ""]
    lines += [f"{index}. {text.replace('|', '/')}" for index, text in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"


README_BEGIN = "<!-- scenario-matrix:begin (scenarios/run --readme writes this part) -->"
README_END = "<!-- scenario-matrix:end -->"
COMPACT_CELL = {PASS: "pass", XFAIL: "fail", NA: "n.a.", SKIP: "skipped", XPASS: "pass (XPASS)",
                FAIL: "**FAIL**", TIMEOUT: "**TIMEOUT**", ERROR: "**ERROR**"}


def compact_matrix(results, scenarios, clients, command) -> str:
    """The client x scenario matrix with bare cells (pass / fail / n.a.): a "fail" is an
    expected failure of expected.yaml (its reason is in the full matrix); an unexpected one is
    in bold."""
    cells = {(result.scenario, result.client): result for result in results}
    lines = [f"Generated by `{command}` on {datetime.date.today().isoformat()}; "
             f"{summary_line(results)}.", "",
             "| scenario | " + " | ".join(clients) + " |", "|---|" + "---|" * len(clients)]
    for scenario in scenarios:
        row = [f"`{scenario.name}`"]
        for client in clients:
            result = cells.get((scenario.name, client))
            row.append("" if result is None else COMPACT_CELL.get(result.status, result.status))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def replace_readme_section(text, section) -> str:
    """text with what lies between README_BEGIN and README_END replaced by section. Raises
    ValueError when the markers are missing or out of order."""
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"the markers {README_BEGIN!r} ... {README_END!r} are missing")
    return text[:begin + len(README_BEGIN)] + "\n" + section + text[end:]
