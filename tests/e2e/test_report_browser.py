"""The conformance report's HTML page in a real headless browser (issue 6): Debian's chromium
loads the page mockca serves, with every network request refused, renders it to a PNG screenshot,
and dumps the DOM it built. Skipped when chromium is not installed (ci/setup installs it).

Set ANVIL_ARTIFACTS=DIR to keep the screenshot (DIR/conformance-report.png).
"""
import os
import pathlib
import shutil
import struct
import subprocess
import zlib

import pytest

from acme_probe import Probe
from conftest import MOCKCA_TLS_ROOT

CHROMIUM = shutil.which("chromium")
WIDTH = 1280


def png_summary(data):
    """(width, height, distinct byte values of the decompressed image data) of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, size = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    pixels = zlib.decompress(idat)
    return size[0], size[1], len(set(pixels))


def chromium(tmp_path, *args):
    """Runs headless chromium on a fresh profile with every host unresolvable (no network)."""
    command = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}",
               "--host-resolver-rules=MAP * ~NOTFOUND", *args]
    return subprocess.run(command, capture_output=True, timeout=90, check=False,
                          env=dict(os.environ, HOME=str(tmp_path)))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (ci/setup installs it)")
def test_report_page_renders_in_headless_chromium(mockca, tmp_path):
    """An issuance with a held order (a fault event) and a validation (a VA probe), then the page:
    chromium renders it to a screenshot with real content, and its DOM has the summary, the
    findings table and the sequence diagram with the probe and the fault drawn."""
    mockca.add_faults([{"id": "hold", "where": "order", "fault": "stuckProcessing", "polls": 1}])
    probe = Probe(mockca.directory, str(MOCKCA_TLS_ROOT))
    account = probe.new_account()
    probe.issue(account, ["browser.example.test"], mockca)

    status, html = mockca.management_get("/conformance-report.html")
    assert status == 200
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")

    shot = tmp_path / "conformance-report.png"
    result = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},2400",
                      page.as_uri())
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    width, height, distinct = png_summary(shot.read_bytes())
    assert (width, height) == (WIDTH, 2400)
    assert distinct > 50, "the screenshot is (nearly) blank"
    if os.environ.get("ANVIL_ARTIFACTS"):
        shutil.copy(shot, pathlib.Path(os.environ["ANVIL_ARTIFACTS"]) / shot.name)

    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    rendered = dom.stdout.decode()
    assert "<title>mockca client conformance report</title>" in rendered
    assert rendered.count('class="client"') == 1
    assert "<svg" in rendered and 'class="ex"' in rendered
    assert 'class="probe"' in rendered and "VA dns-01 browser.example.test" in rendered
    assert 'class="fault-event"' in rendered and "hold stuckProcessing" in rendered
    assert "State history" in rendered
