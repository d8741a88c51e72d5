"""Judging one client run against its scenario's expectations, from what the client left behind
(exit codes, the certificate file) and what mockca recorded (GET /faults/log, GET
/conformance-report: timelines, stateHistory, findings)."""
from dataclasses import dataclass, field
from typing import Optional

from .certcheck import chain_problems
from .scenario import VERDICTS, Scenario

# Worst first: a rule's verdict over several client records is the worst one seen.
_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}


@dataclass
class Check:
    """One expectation and whether the run met it; detail says what was seen."""
    name: str
    ok: bool
    detail: str


@dataclass
class Records:
    """What mockca recorded for the run: the conformance report (every client), the fired faults,
    the root files fetched per index, and mockca's exit status once stopped."""
    report: dict
    fault_log: list
    roots: dict = field(default_factory=dict)  # index -> path of /roots/<index>
    mockca_exit: Optional[int] = None
    decisions: str = ""  # GET /faults/decisions (one JSON object per line, no times)


def verdict_summary(report: dict) -> dict:
    """The report's verdicts over every client record: {"summary": {verdict: count}, "FAIL":
    {rule: [request ids]}, "WARN": {rule: [request ids]}} (rule ids in report order)."""
    summary = {verdict: 0 for verdict in VERDICTS}
    flagged = {"FAIL": {}, "WARN": {}}
    for client in report.get("clients", []):
        for verdict, count in client.get("summary", {}).items():
            summary[verdict] = summary.get(verdict, 0) + count
        for finding in client.get("findings", []):
            if finding["verdict"] in flagged:
                ids = flagged[finding["verdict"]].setdefault(finding["rule"], [])
                ids += [e["id"] for e in finding.get("evidence", []) if e.get("id") is not None]
    return {"summary": summary, **flagged}


def rule_verdict(report: dict, rule: str) -> str:
    """The worst verdict rule got over every client record (FAIL > WARN > NOTE > PASS >
    NOT-TESTED); NOT-TESTED when no client was judged on it."""
    seen = [finding["verdict"] for client in report.get("clients", [])
            for finding in client.get("findings", []) if finding["rule"] == rule]
    return min(seen, key=lambda verdict: _RANK.get(verdict, len(_RANK)), default="NOT-TESTED")


def timeline(report: dict) -> list:
    """Every client's timeline entries, ordered by request id."""
    return sorted((entry for client in report.get("clients", [])
                   for entry in client.get("timeline", [])), key=lambda entry: entry["id"])


def final_state(report: dict, kind="order") -> Optional[str]:
    """The state in which the client was last shown an object of kind ("order", "authz",
    "challenge", "account"): the last entry of the report's stateHistory for that kind, or None.
    (mockca records what it served, so an order the client never fetched again after its
    authorization failed stays "pending" there.)"""
    changes = [change for client in report.get("clients", [])
               for change in client.get("stateHistory", []) if change.get("object") == kind]
    if not changes:
        return None
    changes.sort(key=lambda change: (change.get("exchange") or 0, change.get("time") or ""))
    return changes[-1]["to"]


def judge(scenario: Scenario, outcomes: list, records: Records, work) -> list:
    """Every check scenario.expect asks for, in the order of the format (exit, certificate,
    faults_fired, requests, order, authz, report), plus "mockca" (it must exit 0). outcomes: the
    anvil.run.Outcome of each client run, in order; the last one decides exit and certificate."""
    expect, last = scenario.expect, outcomes[-1]
    checks = [_exit_check(expect.exit, last)]
    if expect.certificate is False:
        checks.append(Check("certificate", last.certificate is None,
                            "none, as expected" if last.certificate is None else
                            f"unexpected certificate at {last.certificate}"))
    elif expect.certificate is not None:
        checks.append(_certificate_check(scenario, last, records, expect.certificate, work))
    for rule, (low, high) in expect.faults_fired.items():
        fired = [entry for entry in records.fault_log if entry.get("rule") == rule]
        ok = len(fired) >= low and (high is None or len(fired) <= high)
        where = ", ".join(sorted({entry.get("subject", "?") for entry in fired}))[:200]
        checks.append(Check(f"fault {rule} fired", ok,
                            f"fired {len(fired)}x (wanted {_bounds(low, high)})"
                            + (f": {where}" if where else "")))
    entries = timeline(records.report)
    for count in expect.requests:
        matching = [entry for entry in entries if entry["kind"] == count.kind
                    and (count.method is None or entry["method"] == count.method)
                    and (count.status is None or entry["status"] == count.status)]
        ok = len(matching) >= count.min and (count.max is None or len(matching) <= count.max)
        ids = " ".join(f"#{entry['id']}" for entry in matching[:12])
        checks.append(Check(f"requests {count.describe()}", ok,
                            f"{len(matching)} seen" + (f" ({ids})" if ids else "")))
    for kind, wanted in (("order", expect.order), ("authz", expect.authz)):
        if wanted:
            state = final_state(records.report, kind)
            checks.append(Check(f"{kind} {'/'.join(wanted)}", state in wanted,
                                f"last {kind} shown {state or 'never'}"))
    if expect.no_fail:
        fails = verdict_summary(records.report)["FAIL"]
        checks.append(Check("report no FAIL", not fails,
                            "no FAIL" if not fails else "FAIL " + "; ".join(
                                f"{rule} (#{' #'.join(map(str, ids[:6]))})"
                                for rule, ids in fails.items())))
    for rule, accepted in expect.rules.items():
        verdict = rule_verdict(records.report, rule)
        checks.append(Check(f"report {rule} in {'/'.join(accepted)}", verdict in accepted,
                            f"{rule} is {verdict}"))
    checks.append(Check("mockca", records.mockca_exit == 0,
                        f"mockca exited {records.mockca_exit}"))
    return checks


def _exit_check(wanted, outcome):
    codes = outcome.exit_codes
    failed = next((step for step in outcome.steps if not step.ok), None)
    code = failed.exit_code if failed else 0
    seen = f"exit codes {codes}" + (f" (step {failed.name!r})" if failed else "")
    if outcome.timed_out:
        return Check("exit " + wanted, False, f"timed out: {seen}")
    if wanted == "0":
        return Check("exit 0", failed is None and bool(codes), seen)
    if wanted == "nonzero":
        return Check("exit nonzero", failed is not None and code is not None, seen)
    return Check("exit any", True, seen)


def _certificate_check(scenario, outcome, records, root_index, work):
    name = "certificate" + (f" under root {root_index}" if root_index else "")
    if outcome.certificate is None:
        return Check(name, False, "no certificate file")
    root = records.roots.get(root_index)
    if root is None:
        return Check(name, False, f"mockca has no /roots/{root_index}")
    problems = chain_problems(outcome.certificate.read_text(errors="replace"), root,
                              scenario.client.domains, work)
    return Check(name, not problems, "; ".join(problems) or
                 f"verifies, names {', '.join(scenario.client.domains)}")


def _bounds(low, high):
    if high is None:
        return f">= {low}"
    return f"{low}" if low == high else f"{low}..{high}"
