#!/usr/bin/python3
"""uacme's http-01 hook (--hook this file): writes the key authorization where a static web server
serves it, and removes it afterwards.

    uacme calls:  webroot_hook.py begin|done|failed TYPE IDENT TOKEN AUTH

begin writes AUTH to $ANVIL_WEBROOT/.well-known/acme-challenge/TOKEN; done and failed delete it. A
TYPE other than http-01 is declined with exit 1, so uacme picks the http-01 challenge.
"""
import os
import pathlib
import sys


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    method, challenge_type, _ident, token, auth = argv
    if challenge_type != "http-01":
        sys.exit(1)
    if "/" in token or token in ("", ".", ".."):
        sys.exit(f"webroot_hook: refusing token {token!r}")
    directory = pathlib.Path(os.environ["ANVIL_WEBROOT"]) / ".well-known" / "acme-challenge"
    if method == "begin":
        directory.mkdir(parents=True, exist_ok=True)
        (directory / token).write_text(auth)
    elif method in ("done", "failed"):
        (directory / token).unlink(missing_ok=True)
    else:
        sys.exit(f"webroot_hook: unknown method {method!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
