"""lego (Debian 4.9.1): its own http-01 and tls-alpn-01 servers, dns-01 through the exec provider
calling mockdns_txt_hook.py. Renews with `lego renew --days 9999` (always due), revokes with
`lego revoke --keep`; EAB through --eab --kid --hmac. It has no command for account deactivation or
key rollover."""
import pathlib

from ..adapter import Adapter, hook, txt_hook_env
from ..plan import Step, Target


class Lego(Adapter):
    name = "lego"
    binary = "lego"
    challenges = frozenset({"http-01", "dns-01", "tls-alpn-01"})
    actions = frozenset({"issue", "renew", "revoke"})
    features = frozenset({"eab"})

    def issue(self, target: Target):
        argv, env = self._command(target)
        return [], [Step(name="lego run", argv=argv + ["run"], env=env, cwd=target.workdir)]

    def renew(self, target: Target):
        services, steps = self.issue(target)
        argv, env = self._command(target)
        return services, steps + [
            Step(name="lego renew", argv=argv + ["renew", "--days", "9999", "--no-random-sleep"],
                 env=env, cwd=target.workdir)]

    def revoke(self, target: Target):
        services, steps = self.issue(target)
        argv, env = self._command(target)
        return services, steps + [
            Step(name="lego revoke", argv=argv + ["revoke", "--keep"], env=env,
                 cwd=target.workdir)]

    def _command(self, target: Target):
        """lego's global flags (server, account, names, challenge) and environment."""
        self.check_challenge(target)
        argv = [self.executable(), "--server", target.directory_url, "--accept-tos", "--email",
                target.email, "--path", str(target.workdir / "lego"), "--key-type", "ec256"]
        if target.eab:
            argv += ["--eab", "--kid", target.eab["kid"], "--hmac", target.eab["hmac"]]
        for domain in target.domains:
            argv += ["--domains", domain]
        env = {"LEGO_CA_CERTIFICATES": target.ca_file}
        if target.challenge == "http-01":
            argv += ["--http", "--http.port", f"127.0.0.1:{target.http_port}"]
        elif target.challenge == "tls-alpn-01":
            argv += ["--tls", "--tls.port", f"127.0.0.1:{target.tls_port}"]
        else:
            argv += ["--dns", "exec", "--dns.disable-cp", "--dns.resolvers", target.dns_server]
            env.update(txt_hook_env(target), EXEC_PATH=str(hook("mockdns_txt_hook.py")),
                       EXEC_POLLING_INTERVAL="1", EXEC_PROPAGATION_TIMEOUT="20",
                       EXEC_SEQUENCE_INTERVAL="1")
        return argv, env

    def certificate_path(self, target: Target) -> pathlib.Path:
        # lego names the bundle after the first domain, "*" written as "_".
        first = target.domains[0].replace("*", "_")
        return target.workdir / "lego" / "certificates" / f"{first}.crt"
