"""acme-tiny (Debian 5.0.1): http-01 only, by writing tokens into a served webroot (--acme-dir).
It needs an RSA account key and a CSR, made with openssl first, and prints the chain on stdout.
Its self-check fetches the token through the system resolver, which does not know the test names
(only mockdns does), so it runs with --disable-check."""
import ipaddress
import pathlib

from ..adapter import Adapter
from ..plan import Step, Target
from ..services import acme_challenge_dir, static_web_server


class AcmeTiny(Adapter):
    name = "acme-tiny"
    binary = "acme-tiny"
    challenges = frozenset({"http-01"})

    def issue(self, target: Target):
        self.check_challenge(target)
        work = target.workdir / "acme-tiny"
        work.mkdir(parents=True, exist_ok=True)
        account_key, domain_key = work / "account.key", work / "domain.key"
        csr = work / "domain.csr"
        webroot = target.workdir / "webroot"
        names = ",".join(f"{'IP' if _is_ip(domain) else 'DNS'}:{domain}"
                         for domain in target.domains)
        steps = [
            Step(name="openssl account key",
                 argv=["openssl", "genrsa", "-out", str(account_key), "2048"], env={}, cwd=work),
            Step(name="openssl csr",
                 argv=["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                       "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(domain_key),
                       "-subj", "/", "-addext", f"subjectAltName={names}", "-out", str(csr)],
                 env={}, cwd=work),
            Step(name="acme-tiny",
                 argv=[self.executable(), "--account-key", str(account_key), "--csr", str(csr),
                       "--acme-dir", str(acme_challenge_dir(webroot)), "--directory-url",
                       target.directory_url, "--contact", f"mailto:{target.email}",
                       "--disable-check"],
                 # urllib's default context reads SSL_CERT_FILE (OpenSSL's default paths).
                 env={"SSL_CERT_FILE": target.ca_file}, cwd=work,
                 stdout_file=self.certificate_path(target))]
        return [static_web_server(webroot, target.http_port)], steps

    def certificate_path(self, target: Target) -> pathlib.Path:
        return target.workdir / "acme-tiny" / "chain.pem"


def _is_ip(name):
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False
