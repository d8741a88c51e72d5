"""Background services adapters ask for."""
import pathlib

from .plan import PYTHON, Service


def static_web_server(webroot: pathlib.Path, port: int) -> Service:
    """Serves webroot over plain HTTP on 127.0.0.1:port (Python's http.server), for clients that
    answer http-01 by writing files (a webroot). Creates webroot/.well-known/acme-challenge."""
    (webroot / ".well-known" / "acme-challenge").mkdir(parents=True, exist_ok=True)
    return Service(name="webroot",
                   argv=[PYTHON, "-m", "http.server", "--bind", "127.0.0.1", "--directory",
                         str(webroot), str(port)],
                   env={}, cwd=webroot, ready=port)


def acme_challenge_dir(webroot: pathlib.Path) -> pathlib.Path:
    """Where a webroot client writes http-01 tokens: webroot/.well-known/acme-challenge."""
    return webroot / ".well-known" / "acme-challenge"
