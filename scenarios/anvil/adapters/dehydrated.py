"""dehydrated (Debian 0.7.0, bash + curl + openssl): http-01 by writing tokens into a webroot that
a static web server serves, dns-01 through its HOOK (mockdns_txt_hook.py). Its tls-alpn-01 needs
an outside TLS server to present the certificates it writes, so it is not offered. Renews with
`--cron --force`, revokes with `--revoke certs/<alias>/cert.pem`, deactivates the account with
`--deactivate`; EAB through EAB_KID / EAB_HMAC_KEY in its config. No key rollover command."""
import pathlib
import shlex

from ..adapter import Adapter, hook, txt_hook_env
from ..plan import Step, Target
from ..services import acme_challenge_dir, static_web_server

ALIAS = "anvil"  # the certificate directory's name (a wildcard first name needs one anyway)


class Dehydrated(Adapter):
    name = "dehydrated"
    binary = "dehydrated"
    challenges = frozenset({"http-01", "dns-01"})
    actions = frozenset({"issue", "renew", "revoke", "deactivate"})
    features = frozenset({"eab"})

    def renew(self, target: Target):
        services, steps = self.issue(target)
        return services, steps + [self._again(steps[-1], "dehydrated --cron --force",
                                              ["--force"])]

    def revoke(self, target: Target):
        services, steps = self.issue(target)
        cert = target.workdir / "dehydrated" / "certs" / ALIAS / "cert.pem"
        return services, steps + [self._again(steps[0], "dehydrated --revoke",
                                              ["--revoke", str(cert)], replace=True)]

    def deactivate(self, target: Target):
        services, steps = self.issue(target)
        return services, steps + [self._again(steps[0], "dehydrated --deactivate",
                                              ["--deactivate"], replace=True)]

    @staticmethod
    def _again(step, name, extra, replace=False):
        """A step like step (its config and environment) with extra arguments; with replace,
        extra replaces step's command (everything after --config FILE)."""
        argv = (step.argv[:3] if replace else step.argv) + extra
        return Step(name=name, argv=argv, env=step.env, cwd=step.cwd)

    def issue(self, target: Target):
        self.check_challenge(target)
        base = target.workdir / "dehydrated"
        base.mkdir(parents=True, exist_ok=True)
        webroot = target.workdir / "webroot"
        settings = {"CA": target.directory_url, "BASEDIR": str(base),
                    "WELLKNOWN": str(acme_challenge_dir(webroot)),
                    "CHALLENGETYPE": target.challenge, "CONTACT_EMAIL": target.email,
                    "KEYSIZE": "2048"}  # the RSA account key; 4096 only costs time here
        if target.eab:
            settings.update(EAB_KID=target.eab["kid"], EAB_HMAC_KEY=target.eab["hmac"])
        services, env = [], {"CURL_CA_BUNDLE": target.ca_file}  # dehydrated talks through curl
        if target.challenge == "http-01":
            services.append(static_web_server(webroot, target.http_port))
        else:
            settings["HOOK"] = str(hook("mockdns_txt_hook.py"))
            env.update(txt_hook_env(target))
        config = base / "config"
        config.write_text("".join(f"{key}={shlex.quote(value)}\n"
                                  for key, value in settings.items()))
        command = [self.executable(), "--config", str(config)]
        sign = command + ["--cron", "--alias", ALIAS]
        for domain in target.domains:
            sign += ["--domain", domain]
        return services, [
            Step(name="dehydrated --register", argv=command + ["--register", "--accept-terms"],
                 env=env, cwd=target.workdir),
            Step(name="dehydrated --cron", argv=sign, env=env, cwd=target.workdir)]

    def certificate_path(self, target: Target) -> pathlib.Path:
        return target.workdir / "dehydrated" / "certs" / ALIAS / "fullchain.pem"
