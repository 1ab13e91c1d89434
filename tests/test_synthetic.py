"""The synthetic data generator of the scale sweep (issue 5, point 4)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ngo_ld.cli import cli
from ngo_ld.config import Settings
from ngo_ld.loading import source_files
from ngo_ld.synthetic import generate, slugify, write_home
from ngo_ld.validation import validate_sources

ROOT = Path(__file__).resolve().parents[1]
ORG = "http://www.w3.org/ns/org#"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def small_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_home(tmp_path_factory.mktemp("synth") / "home", 4000,
                      source=Settings(home=ROOT))


def graph(home: Path) -> ox.Store:
    store = ox.Store()
    for path in source_files(Settings(home=home)):
        store.load(path=str(path))
    return store


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    a = dict(generate(3000, seed=7))
    b = dict(generate(3000, seed=7))
    c = dict(generate(3000, seed=8))
    assert a == b
    assert a != c


def test_cli_writes_a_servable_home(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(ROOT), "synth", "--triples", "3000",
                                      "-o", str(tmp_path / "h")])
    assert result.exit_code == 0, result.output
    home = tmp_path / "h"
    for folder in ("data", "ontology", "shapes"):
        assert (home / folder).is_dir()
    assert (home / "data" / "synthetic" / "synthetic-organisations.ttl").is_file()
    again = CliRunner().invoke(cli, ["--home", str(ROOT), "synth", "--triples", "3000",
                                     "-o", str(tmp_path / "h2")])
    assert again.exit_code == 0
    assert digest(home / "data") == digest(tmp_path / "h2" / "data")


@pytest.mark.parametrize("target", [5_000, 20_000])
def test_size_is_close_to_the_target(tmp_path: Path, target: int) -> None:
    home = write_home(tmp_path / "h", target, source=Settings(home=ROOT))
    count = len(graph(home))
    assert abs(count - target) <= 0.05 * target, count


def test_names_use_serbian_diacritics_and_slugs_are_ascii(small_home: Path) -> None:
    store = graph(small_home)
    names = [s["l"].value for s in store.query(
        'SELECT ?l WHERE { ?o a <http://www.w3.org/ns/org#FormalOrganization> ; '
        '<http://www.w3.org/2004/02/skos/core#prefLabel> ?l . '
        'FILTER(lang(?l) = "sr-latn") }')]  # type: ignore[index, union-attr]
    text = "".join(names)
    for letter in "čćšžđ":
        assert letter in text.lower(), letter
    iris = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)
            if isinstance(q.subject, ox.NamedNode)}
    synthetic = [i for i in iris if "/id/syn-" in i]
    assert synthetic and all(i.isascii() for i in synthetic)
    assert slugify("Đurđevak – Čačak, Šid, Žabalj, Ćuprija") == \
        "djurdjevak-cacak-sid-zabalj-cuprija"


def test_memberships_have_role_dates_and_shortcuts(small_home: Path) -> None:
    store = graph(small_home)
    q = f"""SELECT (COUNT(?m) AS ?n) (COUNT(?start) AS ?dated) WHERE {{
        ?m a <{ORG}Membership> ; <{ORG}member> ?o ; <{ORG}organization> ?c ; <{ORG}role> ?r .
        ?c <{ORG}hasMember> ?o . ?o <{ORG}memberOf> ?c .
        OPTIONAL {{ ?m <{ORG}memberDuring>/<http://www.w3.org/2006/time#hasBeginning> ?start }}
        FILTER(STRSTARTS(STR(?m), "https://w3id.org/ngo-ld/id/membership-syn-"))
    }}"""
    row = next(iter(store.query(q)))  # type: ignore[call-overload]
    assert int(row["n"].value) > 20
    assert row["n"].value == row["dated"].value


def test_generated_data_conforms_to_the_shapes(small_home: Path) -> None:
    outcome = validate_sources(Settings(home=small_home))
    assert outcome.conforms, outcome.to_text()[:2000]
