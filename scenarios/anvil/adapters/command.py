"""The generic adapter: any ACME client, given as a shell command template.

    scenarios/run --command 'my-client --server {directory_url} --ca {ca_file} \\
        --http-port {http_port} -d {domains} --out {cert_file}' library/happy-http-01.yaml

The template runs with `sh -c` in the run's work directory after its placeholders are replaced
(each value shell-quoted; `{domains}` is every name, space-separated): {directory_url} {ca_file}
{dns_mgmt_url} {dns_server} {http_port} {tls_port} {domain} (the first name) {domains} {workdir}
{email} {challenge} {cert_file}. Other braces (`${VAR}`) are left alone. The command must leave
the issued chain (PEM, leaf first) at {cert_file} ({workdir}/cert.pem). It is offered every
challenge type and the action "issue" only.
"""
import pathlib
import re
import shlex

from ..adapter import Adapter
from ..plan import Step, Target

PLACEHOLDERS = ("directory_url", "ca_file", "dns_mgmt_url", "dns_server", "http_port", "tls_port",
                "domain", "domains", "workdir", "email", "challenge", "cert_file")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


class Command(Adapter):
    """A client run as `sh -c TEMPLATE` (see the module doc)."""
    binary = None
    challenges = frozenset({"http-01", "dns-01", "tls-alpn-01"})

    def __init__(self, template, name="command"):
        self.template = template
        self.name = name

    def issue(self, target: Target):
        self.check_challenge(target)
        target.workdir.mkdir(parents=True, exist_ok=True)
        return [], [Step(name=self.name, argv=["sh", "-c", self.command(target)], env={},
                         cwd=target.workdir)]

    def command(self, target: Target) -> str:
        """The template with every placeholder replaced by its shell-quoted value."""
        values = {"directory_url": target.directory_url, "ca_file": target.ca_file,
                  "dns_mgmt_url": target.dns_management_url, "dns_server": target.dns_server,
                  "http_port": str(target.http_port), "tls_port": str(target.tls_port),
                  "domain": target.domains[0], "workdir": str(target.workdir),
                  "email": target.email, "challenge": target.challenge,
                  "cert_file": str(self.certificate_path(target))}
        quoted = {key: shlex.quote(value) for key, value in values.items()}
        quoted["domains"] = " ".join(shlex.quote(domain) for domain in target.domains)
        return _PLACEHOLDER.sub(lambda match: quoted[match.group(1)], self.template)

    def certificate_path(self, target: Target) -> pathlib.Path:
        return target.workdir / "cert.pem"
