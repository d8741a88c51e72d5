"""scenarios/expected.yaml: the scenarios a real client is known to fail, with the reason.

    lego:
      F-503-new-order:
        result: fail
        reason: "stops at the first 503 on newOrder (#4) without waiting Retry-After: 2"

A run whose client and scenario are listed here counts as XFAIL when it fails (a finding about
the client, not a runner failure) and as XPASS when it passes.
"""
import pathlib
from dataclasses import dataclass

from .scenario import ScenarioError, read_yaml

DEFAULT = pathlib.Path(__file__).resolve().parents[1] / "expected.yaml"
RESULTS = ("fail",)


@dataclass
class Expectation:
    result: str
    reason: str


def load_expected(path=DEFAULT) -> dict:
    """{client: {scenario name: Expectation}} from path (an absent default file is {}). Raises
    ScenarioError naming the file and key for anything but client -> scenario -> {result: fail,
    reason: non-empty text}."""
    path = pathlib.Path(path)
    if path == DEFAULT and not path.exists():
        return {}
    document = read_yaml(path) or {}
    if not isinstance(document, dict):
        raise ScenarioError(f"{path}: must map client names to scenarios")
    expected = {}
    for client, scenarios in document.items():
        if not isinstance(scenarios, dict):
            raise ScenarioError(f"{path}: {client}: must map scenario names to "
                                f"{{result, reason}}")
        for scenario, entry in scenarios.items():
            where = f"{path}: {client}.{scenario}"
            if not isinstance(entry, dict):
                raise ScenarioError(f"{where}: must be a mapping {{result, reason}}")
            unknown = set(entry) - {"result", "reason"}
            if unknown:
                raise ScenarioError(f"{where}.{sorted(unknown)[0]}: unknown key (expected one "
                                    f"of: result, reason)")
            if entry.get("result") not in RESULTS:
                raise ScenarioError(f"{where}.result: must be one of: {', '.join(RESULTS)}")
            reason = entry.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise ScenarioError(f"{where}.reason: a reason is required")
            expected.setdefault(str(client), {})[str(scenario)] = Expectation(
                entry["result"], " ".join(reason.split()))
    return expected
