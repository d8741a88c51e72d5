"""uacme (Debian 1.7.4, libcurl-gnutls): http-01 through a hook writing into a served webroot,
dns-01 through mockdns_txt_hook.py, tls-alpn-01 through ualpn (uacme's own responder) as a
service. uacme cannot be told which CA to trust, so it runs under anvil.trust.only_trusting.
Renews with `issue --force`, revokes with `revoke CERT`, deactivates the account with `deactivate`,
rolls the account key over with `newkey`; EAB through `--eab KID:KEY` on `new`."""
import pathlib

from .. import trust
from ..adapter import Adapter, hook, txt_hook_env
from ..plan import Service, Step, Target
from ..services import static_web_server

UALPN_SOCKET = "ualpn.sock"  # relative to the workdir: unix socket paths are short (108 bytes)
UNUSED_BACKEND = "127.0.0.1@1"  # ualpn wants a backend for non-ACME handshakes; none come


class Uacme(Adapter):
    name = "uacme"
    binary = "uacme"
    challenges = frozenset({"http-01", "dns-01", "tls-alpn-01"})
    actions = frozenset({"issue", "renew", "revoke", "deactivate", "rollover"})
    features = frozenset({"eab"})

    def unavailable(self):
        # ualpn ships in the same Debian package as uacme.
        return super().unavailable() or trust.unavailable()

    def issue(self, target: Target):
        """`uacme new` (only while there is no account key yet: a second run, as from cron,
        just issues), then `uacme issue`."""
        self.check_challenge(target)
        services, env, hook_script = self._challenge(target)
        eab = ["--eab", f"{target.eab['kid']}:{target.eab['hmac']}"] if target.eab else []
        steps = [self._step(target, "uacme issue",
                            ["--hook", str(hook_script), "issue", *target.domains], env)]
        if not (target.workdir / "uacme" / "private" / "key.pem").exists():
            steps.insert(0, self._step(target, "uacme new", eab + ["--yes", "new", target.email],
                                       env))
        return services, steps

    def renew(self, target: Target):
        services, steps = self.issue(target)
        _, env, hook_script = self._challenge(target)
        return services, steps + [self._step(
            target, "uacme issue --force",
            ["--force", "--hook", str(hook_script), "issue", *target.domains], env)]

    def revoke(self, target: Target):
        services, steps = self.issue(target)
        return services, steps + [self._step(target, "uacme revoke",
                                             ["revoke", str(self.certificate_path(target))], {})]

    def deactivate(self, target: Target):
        services, steps = self.issue(target)
        return services, steps + [self._step(target, "uacme deactivate", ["deactivate"], {})]

    def rollover(self, target: Target):
        services, steps = self.issue(target)
        return services, steps + [self._step(target, "uacme newkey", ["newkey"], {})]

    def _step(self, target: Target, name, arguments, env):
        """uacme with its common options and arguments, trusting only target.ca_file."""
        argv = [self.executable(), "--verbose", "--confdir", str(target.workdir / "uacme"),
                "--acme-url", target.directory_url, "--type", "EC", *arguments]
        return Step(name=name, argv=trust.only_trusting(target.ca_file,
                                                        target.workdir / "uacme-trust", argv),
                    env=env, cwd=target.workdir)

    def certificate_path(self, target: Target) -> pathlib.Path:
        # uacme names the directory after the first identifier, without a leading "*.".
        first = target.domains[0].removeprefix("*.")
        return target.workdir / "uacme" / first / "cert.pem"

    def _challenge(self, target):
        """(services, env, hook) answering target.challenge."""
        if target.challenge == "http-01":
            webroot = target.workdir / "webroot"
            return ([static_web_server(webroot, target.http_port)],
                    {"ANVIL_WEBROOT": str(webroot)}, hook("webroot_hook.py"))
        if target.challenge == "dns-01":
            return [], txt_hook_env(target), hook("mockdns_txt_hook.py")
        ualpn = Service(name="ualpn",
                        argv=["ualpn", "--bind", f"127.0.0.1@{target.tls_port}", "--connect",
                              UNUSED_BACKEND, "--sock", UALPN_SOCKET, "--pidfile",
                              str(target.workdir / "ualpn.pid"), "--num-workers", "1",
                              "--proxy", "0", "--verbose"],
                        env={}, cwd=target.workdir, ready=target.tls_port)
        return [ualpn], {"ANVIL_UALPN_SOCKET": UALPN_SOCKET}, hook("ualpn_hook.py")
