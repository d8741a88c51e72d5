"""Trusting mockca's HTTPS certificate for clients that offer no way to name a CA file.

uacme links libcurl-gnutls, which reads the CA directory compiled into it (/etc/ssl/certs) and no
environment variable. Rather than touching the machine's trust store, the client runs in a private
mount namespace (unshare(1), an unprivileged user namespace when not root) where a directory
holding only the given CA file is bind-mounted over /etc/ssl/certs. Verification stays on; the
client trusts that one CA and nothing else.
"""
import functools
import pathlib
import shutil
import subprocess
import tempfile

SYSTEM_CA_DIR = "/etc/ssl/certs"
# sh -c script: $1 is the directory to mount, the rest is the command (exec'd: same PID).
_MOUNT_AND_EXEC = 'mount --bind "$1" ' + SYSTEM_CA_DIR + ' && shift && exec "$@"'


def only_trusting(ca_file, directory: pathlib.Path, argv):
    """argv wrapped so that it sees /etc/ssl/certs holding ca_file alone. Copies ca_file into
    directory (created), which must stay until the command ends."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ca_file, directory / "anvil-ca.pem")
    return _unshare() + ["sh", "-c", _MOUNT_AND_EXEC, "anvil-trust", str(directory), *argv]


@functools.lru_cache(maxsize=None)
def unavailable():
    """Why only_trusting cannot work on this machine (no unshare, or user/mount namespaces not
    permitted), or None."""
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    with tempfile.TemporaryDirectory() as scratch:
        probe = _unshare() + ["sh", "-c", _MOUNT_AND_EXEC, "anvil-trust", scratch, "true"]
        try:
            result = subprocess.run(probe, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"unshare failed: {error}"
    if result.returncode != 0:
        return f"cannot bind-mount over {SYSTEM_CA_DIR} in a private namespace: {result.stderr}"
    return None


def _unshare():
    # --map-root-user gives an unprivileged user the right to mount in its own namespaces.
    return ["unshare", "--user", "--map-root-user", "--mount"]
