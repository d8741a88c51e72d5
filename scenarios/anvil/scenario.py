"""Scenario files: loading and strict validation (the format is documented in scenarios/README.md).

    from anvil.scenario import load, ScenarioError
    scenario = load("scenarios/library/happy-http-01.yaml")   # raises ScenarioError
    concrete = scenario.for_client("lego")                     # {client} substituted

Every mapping accepts only its documented keys: an unknown or misspelt key, a duplicate key, a
wrong type or an out-of-range value is a ScenarioError naming the file and the key path
("library/x.yaml: expect.requests[1].mthod: unknown key (expected one of ...)").
"""
import copy
import dataclasses
import ipaddress
import pathlib
import re
from dataclasses import dataclass, field
from typing import Optional

import yaml

from .adapter import ACTIONS

CHALLENGES = ("http-01", "dns-01", "tls-alpn-01")
VERDICTS = ("FAIL", "WARN", "NOTE", "PASS", "NOT-TESTED")
EXITS = ("0", "nonzero", "any")
ORDER_STATES = ("pending", "ready", "processing", "valid", "invalid")
AUTHZ_STATES = ("pending", "valid", "invalid", "deactivated", "expired", "revoked")
# The embedded mockdns's management endpoints a scenario may call in setup.dns (README "mockdns").
DNS_ENDPOINTS = ("set-default-ipv4", "set-default-ipv6", "add-a", "add-aaaa", "clear-a",
                 "clear-aaaa", "add-caa", "clear-caa", "set-cname", "clear-cname", "set-txt",
                 "clear-txt", "set-servfail", "clear-servfail", "set-nxdomain", "clear-nxdomain",
                 "set-ttl", "clear-ttl", "set-default-ttl")
# Endpoint kinds of the report's timeline (mockca's wfe::EndpointKindOf).
KINDS = ("directory", "newNonce", "newAccount", "account", "keyChange", "newOrder", "order",
         "finalize", "authz", "challenge", "certificate", "revokeCert", "renewalInfo")
METHODS = ("GET", "HEAD", "POST")
ID = re.compile(r"^[CFS]-[A-Z0-9]+(-[A-Z0-9]+)*[a-z]?$")
DEFAULT_TIMEOUT = 90


class ScenarioError(ValueError):
    """A scenario (or expected-results) file that cannot be used; the message names the file and
    the key."""


@dataclass
class RequestCount:
    """expect.requests[i]: how many recorded requests match kind (and method, status): at least
    min, at most max (None: unbounded)."""
    kind: str
    method: Optional[str] = None
    status: Optional[int] = None
    min: int = 1
    max: Optional[int] = None

    def describe(self):
        what = " ".join(str(part) for part in (self.method, self.kind) if part)
        if self.status is not None:
            what += f" answered {self.status}"
        bound = f">= {self.min}" if self.max is None else (
            f"== {self.min}" if self.min == self.max else f"{self.min}..{self.max}")
        return f"{what}: {bound}"


@dataclass
class Expect:
    """What the run must show. exit: "0" | "nonzero" | "any". certificate: None (not checked),
    False (no certificate file), or the index of the root (/roots/<n>) the chain must verify
    under. faults_fired: rule id -> (min, max) times fired. order / authz: the states (any of)
    the client was last shown for the last order / authorization. no_fail: no FAIL finding.
    rules: rule id -> accepted verdicts."""
    exit: str = "0"
    certificate: object = 0
    faults_fired: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    order: list = field(default_factory=list)
    authz: list = field(default_factory=list)
    no_fail: bool = False
    rules: dict = field(default_factory=dict)


@dataclass
class Client:
    """The client step: action (ACTIONS), the names, the acceptable challenge types in order of
    preference, how many times the whole action runs (state kept between runs), optional EAB
    credentials {"kid", "hmac"} and contact address."""
    action: str = "issue"
    domains: list = field(default_factory=list)
    challenges: list = field(default_factory=lambda: ["http-01"])
    runs: int = 1
    eab: Optional[dict] = None
    email: Optional[str] = None

    def challenge_for(self, offered) -> Optional[str]:
        """The first of self.challenges in offered (an adapter's challenges), or None."""
        return next((challenge for challenge in self.challenges if challenge in offered), None)


@dataclass
class Setup:
    """How mockca is started and prepared: seed, extra flags, environment, Pebble config, fault
    rules, and mockdns management calls [(endpoint, body)]."""
    seed: Optional[int] = None
    args: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    config: Optional[dict] = None
    faults: list = field(default_factory=list)
    dns: list = field(default_factory=list)


@dataclass
class Scenario:
    name: str
    path: pathlib.Path
    description: str
    covers: list
    quick: bool
    timeout: float
    setup: Setup
    client: Client
    expect: Expect

    @property
    def uses_ip(self) -> bool:
        """True when a requested name is an IP literal (an ip identifier)."""
        return any(_is_ip(name) for name in self.client.domains)

    def for_client(self, client_name) -> "Scenario":
        """A copy with {client} replaced by client_name in the names, the DNS calls and the fault
        rules (keeps names distinct per client)."""
        concrete = copy.deepcopy(self)
        concrete.client.domains = _substitute(concrete.client.domains, client_name)
        concrete.setup.dns = _substitute(concrete.setup.dns, client_name)
        concrete.setup.faults = _substitute(concrete.setup.faults, client_name)
        return concrete


def _substitute(value, client_name):
    if isinstance(value, str):
        return value.replace("{client}", client_name)
    if isinstance(value, list):
        return [_substitute(item, client_name) for item in value]
    if isinstance(value, tuple):
        return tuple(_substitute(item, client_name) for item in value)
    if isinstance(value, dict):
        return {key: _substitute(item, client_name) for key, item in value.items()}
    return value


def _is_ip(name):
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


# --- YAML with duplicate keys refused --------------------------------------------------------

class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping_without_duplicates(loader, node):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                              _mapping_without_duplicates)


def read_yaml(path) -> object:
    """The YAML document in path; ScenarioError (file, line) for unreadable or invalid YAML or a
    duplicate key."""
    path = pathlib.Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: invalid YAML: {error}") from None


# --- validation -------------------------------------------------------------------------------

class _Checker:
    """Type and key checks that raise ScenarioError naming the file and the key path."""

    def __init__(self, path):
        self.path = path

    def fail(self, where, message):
        raise ScenarioError(f"{self.path}: {where}: {message}" if where else
                            f"{self.path}: {message}")

    def mapping(self, value, where, allowed, required=()):
        if not isinstance(value, dict):
            self.fail(where, f"must be a mapping, not {_type(value)}")
        for key in value:
            if key not in allowed:
                self.fail(_join(where, key),
                          f"unknown key (expected one of: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                self.fail(_join(where, key), "missing (required)")
        return value

    def string(self, value, where, choices=None):
        if not isinstance(value, str) or not value:
            self.fail(where, f"must be a non-empty string, not {_type(value)}")
        if choices and value not in choices:
            self.fail(where, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def integer(self, value, where, minimum=None):
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be an integer, not {_type(value)}")
        if minimum is not None and value < minimum:
            self.fail(where, f"must be >= {minimum}")
        return value

    def boolean(self, value, where):
        if not isinstance(value, bool):
            self.fail(where, f"must be true or false, not {_type(value)}")
        return value

    def sequence(self, value, where):
        if not isinstance(value, list):
            self.fail(where, f"must be a list, not {_type(value)}")
        return value


def _type(value):
    return "null" if value is None else type(value).__name__


def _join(where, key):
    return f"{where}.{key}" if where else str(key)


TOP_KEYS = ("description", "covers", "quick", "timeout", "setup", "client", "expect")
SETUP_KEYS = ("seed", "args", "env", "config", "faults", "dns")
CLIENT_KEYS = ("action", "domains", "challenge", "runs", "eab", "email")
EXPECT_KEYS = ("exit", "certificate", "faults_fired", "requests", "order", "authz", "report")
REQUEST_KEYS = ("kind", "method", "status", "min", "max")
REPORT_KEYS = ("no_fail", "rules")


def load(path) -> Scenario:
    """Reads and validates one scenario file; its name is the file name without .yaml. Raises
    ScenarioError naming the file and the offending key."""
    path = pathlib.Path(path)
    check = _Checker(path)
    document = read_yaml(path)
    if document is None:
        check.fail("", "empty file")
    check.mapping(document, "", TOP_KEYS, required=("description", "covers", "client", "expect"))
    name = path.name.removesuffix(".yaml").removesuffix(".yml")
    covers = [check.string(item, f"covers[{index}]")
              for index, item in enumerate(check.sequence(document["covers"], "covers"))]
    for index, item in enumerate(covers):
        if not ID.match(item):
            check.fail(f"covers[{index}]", f"{item!r} is not a conformance ID (C-*, F-*, S-*)")
    if name.startswith("F-") and not any(
            name == item or name.startswith(item + "-") for item in covers):
        check.fail("covers", f"the file name {name!r} starts with a fault ID that covers does not "
                             f"list")
    timeout = document.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        check.fail("timeout", f"must be a positive number of seconds, not {timeout!r}")
    setup = _setup(check, document.get("setup", {}))
    client = _client(check, document["client"])
    expect = _expect(check, document["expect"], setup)
    return Scenario(name=name, path=path,
                    description=check.string(document["description"], "description"),
                    covers=covers, quick=check.boolean(document.get("quick", False), "quick"),
                    timeout=float(timeout), setup=setup, client=client, expect=expect)


def load_all(paths) -> list:
    """load() for every path, in order; names must be unique (ScenarioError otherwise)."""
    scenarios, seen = [], {}
    for path in paths:
        scenario = load(path)
        if scenario.name in seen:
            raise ScenarioError(f"{path}: scenario name {scenario.name!r} also used by "
                                f"{seen[scenario.name]}")
        seen[scenario.name] = path
        scenarios.append(scenario)
    return scenarios


def _setup(check, value):
    check.mapping(value, "setup", SETUP_KEYS)
    setup = Setup()
    if value.get("seed") is not None:
        setup.seed = check.integer(value["seed"], "setup.seed", minimum=0)
    setup.args = [check.string(arg, f"setup.args[{index}]") for index, arg
                  in enumerate(check.sequence(value.get("args", []), "setup.args"))]
    env = check.mapping(value.get("env", {}), "setup.env", tuple(value.get("env", {}) or ()))
    for key, item in env.items():
        if not isinstance(key, str) or not re.match(r"^[A-Z_][A-Z0-9_]*$", key):
            check.fail(f"setup.env.{key}", "variable names are upper case letters, digits, _")
        if isinstance(item, (dict, list)) or item is None:
            check.fail(f"setup.env.{key}", f"must be a string or number, not {_type(item)}")
        setup.env[key] = str(item).lower() if isinstance(item, bool) else str(item)
    if "config" in value:
        config = check.mapping(value["config"], "setup.config", ("pebble",), required=("pebble",))
        check.mapping(config["pebble"], "setup.config.pebble", tuple(config["pebble"] or ()))
        setup.config = config
    faults = check.sequence(value.get("faults", []), "setup.faults")
    ids = set()
    for index, rule in enumerate(faults):
        where = f"setup.faults[{index}]"
        if not isinstance(rule, dict):
            check.fail(where, f"must be a fault rule (a mapping), not {_type(rule)}")
        rule_id = check.string(rule.get("id"), f"{where}.id")
        check.string(rule.get("fault"), f"{where}.fault")
        if rule_id in ids:
            check.fail(f"{where}.id", f"duplicate rule id {rule_id!r}")
        ids.add(rule_id)
    setup.faults = faults
    for index, call in enumerate(check.sequence(value.get("dns", []), "setup.dns")):
        where = f"setup.dns[{index}]"
        if not isinstance(call, dict) or len(call) != 1:
            check.fail(where, "must be one mapping {endpoint: body}, e.g. {add-a: {host: a.test, "
                              "addresses: [127.0.0.1]}}")
        endpoint, body = next(iter(call.items()))
        check.string(endpoint, where, DNS_ENDPOINTS)
        check.mapping(body, f"{where}.{endpoint}", tuple(body or ()) if isinstance(body, dict)
                      else ())
        setup.dns.append((endpoint, body))
    return setup


def _client(check, value):
    check.mapping(value, "client", CLIENT_KEYS, required=("domains",))
    client = Client()
    client.action = check.string(value.get("action", "issue"), "client.action", ACTIONS)
    challenges = value.get("challenge", "http-01")
    if isinstance(challenges, str):
        challenges = [challenges]
    check.sequence(challenges, "client.challenge")
    if not challenges:
        check.fail("client.challenge", "must name at least one challenge type")
    client.challenges = [check.string(item, f"client.challenge[{index}]", CHALLENGES)
                         for index, item in enumerate(challenges)]
    domains = check.sequence(value["domains"], "client.domains")
    if not domains:
        check.fail("client.domains", "must name at least one identifier")
    client.domains = [check.string(name, f"client.domains[{index}]")
                      for index, name in enumerate(domains)]
    client.runs = check.integer(value.get("runs", 1), "client.runs", minimum=1)
    if "eab" in value:
        eab = check.mapping(value["eab"], "client.eab", ("kid", "hmac"), required=("kid", "hmac"))
        client.eab = {key: check.string(eab[key], f"client.eab.{key}") for key in ("kid", "hmac")}
    if "email" in value:
        client.email = check.string(value["email"], "client.email")
    return client


def _expect(check, value, setup):
    check.mapping(value, "expect", EXPECT_KEYS)
    expect = Expect()
    exit_value = value.get("exit", 0)
    expect.exit = check.string(str(exit_value) if exit_value == 0 and
                               not isinstance(exit_value, bool) else exit_value,
                               "expect.exit", EXITS)
    expect.certificate = (0 if expect.exit == "0" else None)
    if "certificate" in value:
        expect.certificate = _certificate(check, value["certificate"])
    fired = value.get("faults_fired", [])
    rule_ids = {rule["id"] for rule in setup.faults}
    if isinstance(fired, list):
        fired = {check.string(rule, f"expect.faults_fired[{index}]"): {}
                 for index, rule in enumerate(fired)}
    check.mapping(fired, "expect.faults_fired", tuple(fired) if isinstance(fired, dict) else ())
    for rule, bounds in fired.items():
        where = f"expect.faults_fired.{rule}"
        if rule not in rule_ids:
            check.fail(where, f"no rule {rule!r} in setup.faults")
        bounds = check.mapping(bounds or {}, where, ("min", "max"))
        low = check.integer(bounds.get("min", 1), f"{where}.min", minimum=0)
        high = bounds.get("max")
        if high is not None:
            check.integer(high, f"{where}.max", minimum=low)
        expect.faults_fired[rule] = (low, high)
    for index, item in enumerate(check.sequence(value.get("requests", []), "expect.requests")):
        where = f"expect.requests[{index}]"
        check.mapping(item, where, REQUEST_KEYS, required=("kind",))
        count = RequestCount(kind=check.string(item["kind"], f"{where}.kind", KINDS))
        if "method" in item:
            count.method = check.string(item["method"], f"{where}.method", METHODS)
        if "status" in item:
            count.status = check.integer(item["status"], f"{where}.status", minimum=100)
        count.min = check.integer(item.get("min", 0 if "max" in item else 1), f"{where}.min",
                                  minimum=0)
        if item.get("max") is not None:
            count.max = check.integer(item["max"], f"{where}.max", minimum=count.min)
        expect.requests.append(count)
    if "order" in value:
        expect.order = _states(check, value["order"], "expect.order", ORDER_STATES)
    if "authz" in value:
        expect.authz = _states(check, value["authz"], "expect.authz", AUTHZ_STATES)
    if "report" in value:
        report = check.mapping(value["report"], "expect.report", REPORT_KEYS)
        expect.no_fail = check.boolean(report.get("no_fail", False), "expect.report.no_fail")
        rules = check.mapping(report.get("rules", {}), "expect.report.rules",
                              tuple(report.get("rules", {}) or ()))
        for rule, verdicts in rules.items():
            where = f"expect.report.rules.{rule}"
            if not isinstance(rule, str) or not rule.startswith("C-") or not ID.match(rule):
                check.fail(where, "must be a Part B rule ID (C-AREA-NN)")
            if isinstance(verdicts, str):
                verdicts = [verdicts]
            check.sequence(verdicts, where)
            if not verdicts:
                check.fail(where, "must list at least one verdict")
            expect.rules[rule] = [check.string(v, f"{where}[{i}]", VERDICTS)
                                  for i, v in enumerate(verdicts)]
    return expect


def _states(check, value, where, choices):
    """A state or a list of states (any of them is accepted)."""
    states = [value] if isinstance(value, str) else check.sequence(value, where)
    if not states:
        check.fail(where, "must name at least one state")
    return [check.string(state, f"{where}[{index}]", choices)
            for index, state in enumerate(states)]


def _certificate(check, value):
    """certificate: true (verifies under /roots/0), false (no certificate), {root: N}, any (not
    checked: None)."""
    if isinstance(value, bool):
        return 0 if value else False
    if value == "any":
        return None
    check.mapping(value, "expect.certificate", ("root",), required=("root",))
    return check.integer(value["root"], "expect.certificate.root", minimum=0)


def as_dict(scenario: Scenario) -> dict:
    """The scenario as plain data (for JSON results)."""
    return dataclasses.asdict(scenario) | {"path": str(scenario.path)}
