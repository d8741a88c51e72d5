"""What an adapter plans and the runner executes: the target a client is pointed at, the commands
(steps) to run to completion and the background services they need."""
import pathlib
from dataclasses import dataclass
from typing import Callable, Optional, Union

PYTHON = "/usr/bin/python3"  # Debian's interpreter, the one with python3-acme and friends


@dataclass
class Target:
    """What a client is pointed at."""
    directory_url: str
    ca_file: str  # PEM bundle that verifies mockca's HTTPS (mockca/certs/test-root.pem by default)
    dns_management_url: str  # http://host:port of mockdns's challtestsrv-compatible API
    dns_server: str  # host:port of mockdns (the DNS server the VA asks)
    http_port: int  # the port mockca's VA probes for http-01; bound on 127.0.0.1 by us
    tls_port: int  # the port the VA probes for tls-alpn-01
    domains: list
    workdir: pathlib.Path  # an empty directory owned by this run
    email: str = "anvil@example.com"
    challenge: str = "http-01"  # or "dns-01", "tls-alpn-01"
    # External Account Binding credentials {"kid": ..., "hmac": base64url MAC key}, for adapters
    # whose features include "eab"; None: register without one.
    eab: Optional[dict] = None


@dataclass
class Step:
    """One command run to completion. env holds variables added to the runner's environment;
    stdout_file, when set, receives the command's stdout if it exits 0 (for clients that print
    the certificate)."""
    name: str
    argv: list
    env: dict
    cwd: pathlib.Path
    timeout: float = 120
    stdout_file: Optional[pathlib.Path] = None


@dataclass
class Service:
    """A background process the steps need (a static web server, a tls-alpn-01 responder): started
    before the first step and stopped by PID after the last. ready is a TCP port on 127.0.0.1 that
    accepts connections once the service is up, or a callable returning True once it is."""
    name: str
    argv: list
    env: dict
    cwd: pathlib.Path
    ready: Union[int, Callable[[], bool]]
    ready_timeout: float = 10
