"""certbot (Debian 2.1.0): standalone http-01 server, dns-01 through manual hooks calling
mockdns_txt_hook.py. certbot has no tls-alpn-01. Renews with `certbot renew --force-renewal
--no-random-sleep-on-renew` (the challenge settings come from the renewal configuration certonly
wrote), revokes with `certbot revoke --no-delete-after-revoke`, deactivates the account with
`certbot unregister`; EAB through --eab-kid / --eab-hmac-key."""
import pathlib

from ..adapter import Adapter, hook, txt_hook_env
from ..plan import PYTHON, Step, Target

CERT_NAME = "anvil"


class Certbot(Adapter):
    name = "certbot"
    binary = "certbot"
    challenges = frozenset({"http-01", "dns-01"})
    actions = frozenset({"issue", "renew", "revoke", "deactivate"})
    features = frozenset({"eab"})

    def issue(self, target: Target):
        self.check_challenge(target)
        argv = self._command(target, "certonly") + [
            "--agree-tos", "--email", target.email, "--no-eff-email", "--cert-name", CERT_NAME]
        if target.eab:
            argv += ["--eab-kid", target.eab["kid"], "--eab-hmac-key", target.eab["hmac"]]
        for domain in target.domains:
            argv += ["-d", domain]
        env = self._env(target)
        if target.challenge == "http-01":
            argv += ["--standalone", "--http-01-port", str(target.http_port),
                     "--http-01-address", "127.0.0.1"]
        else:
            txt_hook = hook("mockdns_txt_hook.py")
            argv += ["--manual", "--preferred-challenges", "dns",
                     "--manual-auth-hook", f"{PYTHON} {txt_hook} certbot-auth",
                     "--manual-cleanup-hook", f"{PYTHON} {txt_hook} certbot-cleanup"]
        return [], [Step(name="certbot certonly", argv=argv, env=env, cwd=target.workdir)]

    def renew(self, target: Target):
        services, steps = self.issue(target)
        # Run without a terminal, `certbot renew` sleeps up to 8 minutes first unless told not to.
        argv = self._command(target, "renew") + ["--force-renewal", "--no-random-sleep-on-renew",
                                                 "--cert-name", CERT_NAME]
        return services, steps + [Step(name="certbot renew", argv=argv, env=self._env(target),
                                       cwd=target.workdir)]

    def revoke(self, target: Target):
        services, steps = self.issue(target)
        argv = self._command(target, "revoke") + ["--cert-name", CERT_NAME,
                                                  "--no-delete-after-revoke"]
        return services, steps + [Step(name="certbot revoke", argv=argv, env=self._env(target),
                                       cwd=target.workdir)]

    def deactivate(self, target: Target):
        services, steps = self.issue(target)
        return services, steps + [Step(name="certbot unregister",
                                       argv=self._command(target, "unregister"),
                                       env=self._env(target), cwd=target.workdir)]

    def _command(self, target: Target, subcommand):
        base = target.workdir / "certbot"
        return [self.executable(), subcommand, "--non-interactive", "--server",
                target.directory_url, "--config-dir", str(base / "config"), "--work-dir",
                str(base / "work"), "--logs-dir", str(base / "logs")]

    def _env(self, target: Target):
        env = {"REQUESTS_CA_BUNDLE": target.ca_file}
        if target.challenge == "dns-01":
            env.update(txt_hook_env(target))
        return env

    def certificate_path(self, target: Target) -> pathlib.Path:
        return target.workdir / "certbot" / "config" / "live" / CERT_NAME / "fullchain.pem"

    def log_path(self, target: Target) -> pathlib.Path:
        """certbot's own debug log (every request and response)."""
        return target.workdir / "certbot" / "logs" / "letsencrypt.log"
