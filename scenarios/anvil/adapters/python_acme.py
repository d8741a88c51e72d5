"""python3-acme (Debian 2.1.0) driven by tests/e2e/clients/acme_lifecycle.py, which answers dns-01
by publishing the TXT record itself through mockdns's management API."""
import functools
import pathlib
import subprocess

from ..adapter import Adapter
from ..plan import PYTHON, Step, Target

LIFECYCLE = pathlib.Path(__file__).resolve().parents[3] / "tests" / "e2e" / "clients" / \
    "acme_lifecycle.py"


class PythonAcme(Adapter):
    """full_lifecycle=False (the registered adapter) stops once the chain is saved; True also
    revokes, rolls the account key over and deactivates the account (the conformance report runs
    use it to exercise those endpoints)."""
    name = "python3-acme"
    binary = None
    challenges = frozenset({"dns-01"})
    # The script does revoke, rollover and deactivate in one run (full_lifecycle): each of these
    # actions runs all three, in that order.
    actions = frozenset({"issue", "revoke", "rollover", "deactivate"})

    def __init__(self, full_lifecycle=False):
        self.full_lifecycle = full_lifecycle

    def unavailable(self):
        if not _python_acme_importable():
            return "Debian's python3-acme is not installed for /usr/bin/python3 (ci/setup)"
        return None

    def issue(self, target: Target):
        return self._lifecycle(target, self.full_lifecycle)

    def revoke(self, target: Target):
        return self._lifecycle(target, True)

    rollover = deactivate = revoke

    def _lifecycle(self, target: Target, full):
        self.check_challenge(target)
        out = target.workdir / "python3-acme"
        out.mkdir(parents=True, exist_ok=True)
        argv = [PYTHON, str(LIFECYCLE)] + ([] if full else ["--issue-only"])
        argv += [target.directory_url, target.ca_file, target.dns_management_url, str(out),
                 *target.domains]
        return [], [Step(name="acme_lifecycle.py", argv=argv, env={}, cwd=target.workdir)]

    def certificate_path(self, target: Target) -> pathlib.Path:
        return target.workdir / "python3-acme" / "chain.pem"


@functools.lru_cache(maxsize=None)
def _python_acme_importable():
    try:
        return subprocess.run([PYTHON, "-c", "import acme, josepy"], capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
