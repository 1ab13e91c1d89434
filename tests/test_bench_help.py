"""Every benchmark mode the docs tell people to run is listed by ``bench/run.py --help``.

Modes given as a word (``python bench/run.py validation``) are not argparse options, so
they are named in the help's closing lines; each must also answer its own ``--help``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "bench" / "run.py"


def _documented_modes() -> set[str]:
    texts = [p.read_text(encoding="utf-8") for p in [ROOT / "README.md",
                                                     *sorted((ROOT / "docs").glob("*.md"))]]
    return {m for text in texts for m in re.findall(r"python3? bench/run\.py ([a-z][\w-]*)", text)}


def _help(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUN), *args, "--help"], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)


def test_the_docs_name_the_validation_mode() -> None:
    assert "validation" in _documented_modes()


@pytest.mark.parametrize("mode", sorted(_documented_modes()))
def test_a_documented_mode_is_listed_by_the_help_and_has_its_own(mode: str) -> None:
    main = _help()
    assert main.returncode == 0, main.stderr
    assert f"bench/run.py {mode}" in " ".join(main.stdout.split())
    own = _help(mode)
    assert own.returncode == 0, own.stderr
    assert own.stdout.startswith(f"usage: bench/run.py {mode}")
