#!/usr/bin/python3
"""uacme's tls-alpn-01 hook (--hook this file): hands the authorization to a running ualpn server
(server mode, unix socket $ANVIL_UALPN_SOCKET), which then answers the VA's acme-tls/1 handshakes.

    uacme calls:  ualpn_hook.py begin|done|failed TYPE IDENT TOKEN AUTH

AUTH is already the SHA-256 digest ualpn wants (uacme(1), ualpn(1)). begin sends
"auth IDENT AUTH", done and failed "unauth IDENT"; the hook fails unless ualpn answers OK. A TYPE
other than tls-alpn-01 is declined with exit 1, so uacme picks the tls-alpn-01 challenge.
"""
import os
import subprocess
import sys


def tell_ualpn(command):
    """Sends one command line to the ualpn server; exits non-zero unless it answers OK. (The
    answer is what counts: ualpn 1.7.4's client mode exits 1 even after answering OK.)"""
    result = subprocess.run(["ualpn", "--sock", os.environ["ANVIL_UALPN_SOCKET"]],
                            input=command + "\n", capture_output=True, text=True, timeout=10)
    if not result.stdout.startswith("OK"):
        sys.exit(f"ualpn_hook: {command!r} -> {result.returncode} {result.stdout}{result.stderr}")


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    method, challenge_type, ident, _token, auth = argv
    if challenge_type != "tls-alpn-01":
        sys.exit(1)
    if method == "begin":
        tell_ualpn(f"auth {ident} {auth}")
    elif method in ("done", "failed"):
        tell_ualpn(f"unauth {ident}")
    else:
        sys.exit(f"ualpn_hook: unknown method {method!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
