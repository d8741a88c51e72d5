"""The check every issued chain gets: it verifies under the CA's issuing root with `openssl verify`
and its leaf carries exactly the names asked for (the scenario judge and tests/e2e's chain_check
both use it)."""
import ipaddress
import pathlib
import re
import subprocess

from cryptography import x509

PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----\r?\n.+?-----END CERTIFICATE-----\r?\n?", re.S)


def chain_problems(chain_pem: str, root_file, names, work) -> list:
    """[] when the chain (PEM, leaf first) verifies with `openssl verify -purpose sslserver` under
    root_file, the rest of the chain as untrusted intermediates, and the leaf's SANs (dNSName and
    iPAddress) are exactly `names` (IP literals compared in canonical form); otherwise one line
    per problem. Writes leaf.pem and intermediates.pem into work (created)."""
    blocks = PEM_CERT.findall(chain_pem)
    if len(blocks) < 2:
        return [f"expected the leaf and at least one intermediate, found {len(blocks)} "
                f"certificate(s)"]
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    leaf, intermediates = work / "leaf.pem", work / "intermediates.pem"
    leaf.write_text(blocks[0])
    intermediates.write_text("".join(block if block.endswith("\n") else block + "\n"
                                     for block in blocks[1:]))
    problems = []
    result = subprocess.run(["openssl", "verify", "-CAfile", str(root_file), "-untrusted",
                             str(intermediates), "-purpose", "sslserver", str(leaf)],
                            capture_output=True, text=True, timeout=10)
    if result.returncode != 0 or not result.stdout.strip().endswith(": OK"):
        problems.append(f"openssl verify: {(result.stdout + result.stderr).strip()}")
    try:
        cert = x509.load_pem_x509_certificate(blocks[0].encode())
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound) as error:
        return problems + [f"leaf: {error}"]
    got = sorted(sans.get_values_for_type(x509.DNSName) +
                 [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)])
    wanted = sorted(_canonical(name) for name in names)
    if got != wanted:
        problems.append(f"leaf names {got}, asked for {wanted}")
    return problems


def _canonical(name):
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name
