"""The pages in a real browser, as a visitor sees them: Debian's chromium, driven by
puppeteer-core with axe-core injected (tests/browser/, installed by ``npm ci`` there; no
browser is ever downloaded), against a real ``ngo-ld serve``, at a desktop width (1280 px)
and a phone's (390 px).

For each page and width: no serious or critical axe-core violation (WCAG 2.1 A/AA); the page
is no wider than the screen (a wide table scrolls in its own box); and the pictures keep
their rules: no name cut with "…", no text under 9 px, no SVG of links marked as an image.

Screenshots go to tests/artifacts/ (gitignored); ``NGO_LD_SHOTS=docs/img`` keeps them with
the docs instead (how the README's screenshots are made).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSER_DIR = ROOT / "tests" / "browser"
ARTIFACTS = Path(os.environ.get("NGO_LD_SHOTS") or ROOT / "tests" / "artifacts")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")
WIDTHS = (1280, 390)
PAGES = {
    "landing": "/",
    "ban": "/doc/balkans-act-now.html",
    "astra": "/doc/astra.html",
    "query": "/sparql",
    "results": "/sparql?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+40&format=html",
    "validation": "/validation",
    "ontology": "/ontology.html",
    "dataset": "/.well-known/void",
    "ban-sr-cyrl": "/doc/balkans-act-now.html?lang=sr-Cyrl",
    "search": "/search?q=zenska",
    "index-az": "/organisations",
    "index-countries": "/organisations/by-country?lang=sr-Cyrl",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                       "(apt-get install chromium; .ci/run does it)"),
    pytest.mark.skipif(NODE is None or not (BROWSER_DIR / "node_modules").is_dir(),
                       reason="the browser driver is not installed (cd tests/browser && "
                       "npm ci; .ci/run does it)"),
]


@pytest.fixture(scope="module")
def looked_at(ld_server: object) -> dict[tuple[str, int], dict]:
    """Every page at every width, looked at once (one browser for all of them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    targets = [f"{path}|{name}" for name, path in PAGES.items()]
    command = [NODE or "node", str(BROWSER_DIR / "check.mjs"), CHROMIUM or "chromium",
               ld_server.url, str(ARTIFACTS), ",".join(map(str, WIDTHS)), *targets]  # type: ignore[attr-defined]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                          cwd=BROWSER_DIR)
    assert done.returncode == 0, done.stderr[-3000:]
    found = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        found[(record["name"], record["width"])] = record
    assert len(found) == len(PAGES) * len(WIDTHS), sorted(found)
    return found


CASES = [(name, width) for name in PAGES for width in WIDTHS]


@pytest.mark.parametrize(("name", "width"), CASES)
def test_no_serious_or_critical_accessibility_violation(looked_at: dict, name: str,
                                                       width: int) -> None:
    page = looked_at[(name, width)]
    assert page["status"] == 200
    bad = [v for v in page["axe"] if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, indent=1)


@pytest.mark.parametrize(("name", "width"), CASES)
def test_no_page_is_wider_than_the_screen(looked_at: dict, name: str, width: int) -> None:
    page = looked_at[(name, width)]
    assert page["scrollWidth"] <= page["clientWidth"], page["wide"]


@pytest.mark.parametrize(("name", "width"), CASES)
def test_pictures_show_whole_names_in_readable_text(looked_at: dict, name: str,
                                                    width: int) -> None:
    page = looked_at[(name, width)]
    assert page["ellipsised"] == []
    assert page["spilled"] == []  # every line stays inside its box
    assert page["svgImgWithLinks"] == 0
    if page["svgTexts"]:
        assert page["minTextPx"] >= 9, page["minTextPx"]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_menu_folds_on_a_phone_and_opens_with_its_toggle(looked_at: dict,
                                                            name: str) -> None:
    assert looked_at[(name, 1280)]["menuShown"] is True
    phone = looked_at[(name, 390)]
    assert phone["menuShown"] is False and phone["menuShownAfterToggle"] is True


@pytest.mark.parametrize("name", ["landing", "ban", "astra"])
def test_the_pages_with_pictures_have_them(looked_at: dict, name: str) -> None:
    assert looked_at[(name, 390)]["svgTexts"] > 10


@pytest.mark.parametrize(("name", "width"), CASES)
def test_a_screenshot_is_kept(looked_at: dict, name: str, width: int) -> None:
    shot = Path(looked_at[(name, width)]["shot"])
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
