"""The check every client test makes on the chain it got: it verifies under the CA's issuing root
and its leaf carries exactly the names asked for. The check itself lives in
scenarios/anvil/certcheck.py (shared with the scenario runner)."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scenarios"))
from anvil.certcheck import chain_problems  # noqa: E402  (after the path insert)


def assert_chain(ca, chain_pem, names, work):
    """The chain (PEM, leaf first) verifies with `openssl verify` under the root ca.root_pem(work)
    fetches, the rest of the chain as untrusted intermediates, and the leaf's SANs are exactly
    `names`. ca: anything with root_pem(directory) -> path (conftest.MockCa, the clients' Ca)."""
    work.mkdir(parents=True, exist_ok=True)
    root = ca.root_pem(work)
    problems = chain_problems(chain_pem, root, names, work)
    assert not problems, "\n".join(problems) + f"\nchain:\n{chain_pem}"
