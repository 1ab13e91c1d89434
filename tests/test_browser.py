"""The pages in a real headless browser (Debian's chromium) against the real server.

Screenshots are kept under tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                       "(apt-get install chromium; .ci/run does it)"),
]


def chromium(args: list[str], url: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               *args, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


@pytest.mark.parametrize(("path", "name", "expected"), [
    ("/", "landing", ["Balkans Act Now", "Global Alliance Against Traffic in Women",
                      "Missing Children Europe", "SPARQL"]),
    ("/doc/astra.html", "astra", ["ASTRA", "Balkans Act Now", "GlobalGiving"]),
    ("/doc/balkans-act-now.html?lang=sr-Cyrl", "ban-sr-cyrl", ["Чланови", "Србија"]),
])
def test_pages_render_in_headless_chromium(ld_server, tmp_path: Path, path: str, name: str,
                                           expected: list[str]) -> None:
    url = ld_server.url + path
    dom = chromium(["--dump-dom"], url, tmp_path / "dom-profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for text in expected:
        assert text in dom.stdout, text
    assert "<svg" in dom.stdout
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    result = chromium([f"--screenshot={shot}", "--window-size=1280,2000",
                       "--hide-scrollbars"], url, tmp_path / "shot-profile")
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
