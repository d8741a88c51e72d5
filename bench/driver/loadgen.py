"""Running anvil-loadgen: one measurement per call, its JSON line back as a dict."""
import json
import subprocess


class LoadgenError(RuntimeError):
    pass


def run(binary, args, env=None, cwd=None, timeout=1800):
    """Runs `anvil-loadgen args` and returns its JSON output (exit status 1, some operation
    failed, still returns it: the record says how many). Raises LoadgenError when it printed no
    JSON (usage error, crash, timeout)."""
    try:
        result = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                                env=env, cwd=cwd, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LoadgenError(f"anvil-loadgen {' '.join(map(str, args[:1]))} timed out") from None
    lines = result.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise LoadgenError(f"anvil-loadgen {' '.join(map(str, args))} exited "
                           f"{result.returncode}: {result.stderr[-2000:]}") from None
