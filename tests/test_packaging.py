"""A wheel carries data/, ontology/, shapes/ and metadata/, and the installed package
finds them (not only an editable install)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling builds the wheel (test extra)")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out)],
        check=True, capture_output=True, timeout=240,
    )
    (built,) = out.glob("ngo_ld-*.whl")
    return built


def test_wheel_ships_the_sources_of_the_dataset(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("data", "ontology", "shapes", "metadata"):
        shipped = [n for n in names if n.startswith(f"ngo_ld/_resources/{folder}/")]
        in_repo = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
        assert len(shipped) == len(in_repo), folder


def test_installed_wheel_validates_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("import sys; from ngo_ld.config import default_home; from ngo_ld.cli import main;"
            "print(default_home(), file=sys.stderr); sys.argv=['ngo-ld','validate']; main()")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(target),
                                                       "PATH": "/usr/bin:/bin"})
    assert str(target / "ngo_ld" / "_resources") in done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Conforms" in done.stdout
