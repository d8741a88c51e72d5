"""The interface every client adapter implements."""
import pathlib
import shutil
from typing import Optional

from .plan import Service, Step, Target

HOOKS = pathlib.Path(__file__).resolve().parent / "hooks"
# What a scenario can ask a client to do. Every action but "issue" starts by issuing.
ACTIONS = ("issue", "renew", "revoke", "deactivate", "rollover")


class Adapter:
    """Turns a Target into what it takes for one ACME client to get a certificate.

    name: the client's name. binary: its executable, looked up with shutil.which (None when the
    adapter runs a Python script with /usr/bin/python3). challenges: the challenge types this
    adapter has been seen to pass with (a Target asking for another is refused). actions: what
    plan_for() can do (from ACTIONS; "issue" always). features: optional abilities a scenario
    may need ("eab": registers with target.eab)."""
    name = ""
    binary: Optional[str] = None
    challenges = frozenset()
    actions = frozenset({"issue"})
    features = frozenset()

    def plan_for(self, action, target: Target) -> "tuple[list[Service], list[Step]]":
        """The services and steps of one action (ACTIONS) on target: "issue" is issue(); every
        other action first issues, then renews / revokes / deactivates the account / rolls the
        account key over, through the method of the same name. Raises ValueError for an action
        not in self.actions."""
        if action not in self.actions:
            raise ValueError(f"{self.name} cannot {action} "
                             f"(it can {', '.join(sorted(self.actions))})")
        return getattr(self, action)(target)

    def unavailable(self) -> Optional[str]:
        """Why this client cannot run on this machine, or None when it can."""
        if self.binary and shutil.which(self.binary) is None:
            return f"{self.binary} is not installed (Debian package, see ci/setup)"
        return None

    def issue(self, target: Target) -> "tuple[list[Service], list[Step]]":
        """Registers an account if needed and obtains one certificate for target.domains with
        target.challenge. May write the client's config files under target.workdir; runs
        nothing. The certificate lands at certificate_path(target)."""
        raise NotImplementedError

    def certificate_path(self, target: Target) -> pathlib.Path:
        """Where the issued chain (PEM, leaf first) lands after a successful issue()."""
        raise NotImplementedError

    def check_challenge(self, target: Target):
        """Raises ValueError unless this adapter handles target.challenge."""
        if target.challenge not in self.challenges:
            raise ValueError(f"{self.name} does not do {target.challenge} "
                             f"(it does {', '.join(sorted(self.challenges))})")

    def executable(self) -> str:
        """The binary's full path (or its bare name when it is missing)."""
        return shutil.which(self.binary) or self.binary


def hook(name) -> pathlib.Path:
    """One of the hook scripts shipped in scenarios/anvil/hooks/."""
    return HOOKS / name


def txt_hook_env(target: Target) -> dict:
    """The environment mockdns_txt_hook.py needs to publish through target's mockdns."""
    return {"MOCKDNS_MANAGEMENT": target.dns_management_url,
            "HOOK_LOG": str(target.workdir / "hook.log")}
