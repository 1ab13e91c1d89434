"""The fast engine (shapes compiled to SPARQL in Oxigraph) gives pySHACL's verdicts.

Same conforms and the same set of (focus, path, shape, severity, value) on:

* the real data with every failing example of tests/test_shapes.py injected at once
  (each example's own nodes renamed apart, so they cannot mend each other), which must
  make every constrained shape of shapes/ fire: the shapes are read from the shapes files,
  so a shape added without a failing example fails here;
* the clean real data, and a synthetic graph (``ngo-ld synth``) with the same faults;
* malformed dates of each kind.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from ngo_ld.config import Settings
from ngo_ld.errors import ShapesError
from ngo_ld.loading import shape_files, source_files
from ngo_ld.namespaces import turtle_prologue
from ngo_ld.validation import _short, validate_files
from test_shapes import CASES, NAME_SPACING

ROOT = Path(__file__).resolve().parents[1]
NAMESPACES = {"ngo": "https://w3id.org/ngo-ld/id/", "ngold": "https://w3id.org/ngo-ld/ontology#"}
NGOSH = "https://w3id.org/ngo-ld/shapes#"
#: Parameters of a shape that constrain nothing by themselves.
DESCRIPTIVE = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order,
               SH.group, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
               SH.targetObjectsOf, SH.target, SH.path, SH.property, SH.declare,
               SH.prefixes, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags}


@cache
def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shape_files(Settings(home=ROOT)):
        graph.parse(path, format="turtle")
    return graph


def constrained_shapes() -> set[str]:
    """Every named shape of shapes/*.ttl that carries a constraint of its own."""
    g = _shapes_graph()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    return {str(s) for s in shapes if isinstance(s, rdflib.URIRef) and any(
        str(p).startswith(str(SH)) and p not in DESCRIPTIVE for p in g.predicates(s))}


def _keys(outcome) -> set[tuple]:
    return {(r.focus, r.path, r.shape, r.severity, r.value) for r in outcome.results}


def _both(data: list[Path], shapes: list[Path]):
    fast = validate_files(data, shapes, engine="oxigraph")
    reference = validate_files(data, shapes, engine="pyshacl")
    return fast, reference


def _agree(fast, reference) -> None:
    assert fast.conforms == reference.conforms
    only_fast, only_reference = _keys(fast) - _keys(reference), _keys(reference) - _keys(fast)
    assert not only_fast and not only_reference, (
        f"only the fast engine: {sorted(only_fast)}\nonly pySHACL: {sorted(only_reference)}")


def _renamed(turtle: str, case: int, keep: set[str]) -> str:
    """A snippet's own ngo:/ngold: nodes and blank-node labels, suffixed with the case
    number (the nodes of the real data, in ``keep``, stay)."""
    def rename(m: re.Match[str]) -> str:
        prefix, name = m.group(1), m.group(2)
        return m.group(0) if NAMESPACES[prefix] + name in keep else \
            f"{prefix}:{name}-case{case}"
    turtle = re.sub(r"\b(ngo|ngold):([A-Za-z0-9][A-Za-z0-9-]*)", rename, turtle)
    return re.sub(r"_:(\w+)", rf"_:\1case{case}", turtle)


def _injected_home(tmp: Path, base: Path) -> tuple[Path, dict[str, str]]:
    """A copy of ``base`` with every failing example added as data/injected-faults.ttl;
    returns the home and, per shape, the expected focus node (renamed). An example whose
    focus is a node of ``base`` itself (the ontology header) cannot be injected: the data
    there mends it; it goes in data/alone-<shape>.ttl of a home of its own (tmp/<shape>)."""
    home = tmp / "home"
    shutil.copytree(base, home, ignore=shutil.ignore_patterns(".*", "metadata"))
    real = rdflib.Graph()
    for path in source_files(Settings(home=home)):
        real.parse(path, format="turtle")
    keep = {str(s) for s in real.subjects() if isinstance(s, rdflib.URIRef)}
    chunks, focus = [], {}
    for case, (shape, (focus_name, _path, bad, _good)) in enumerate(sorted(CASES.items())):
        if focus_name.startswith("<") and focus_name[1:-1] in keep:
            alone = tmp / shape
            shutil.copytree(base / "shapes", alone / "shapes")
            (alone / "data").mkdir()
            (alone / "data" / f"alone-{shape}.ttl").write_text(turtle_prologue() + bad,
                                                               encoding="utf-8")
        else:
            chunks.append(_renamed(bad, case, keep))
        focus[shape] = "[blank node]" if focus_name == "_:" else (
            _renamed(focus_name, case, keep) if focus_name.startswith(("ngo:", "ngold:"))
            else _short(rdflib.URIRef(focus_name[1:-1])) if focus_name.startswith("<")
            else focus_name)
    (home / "data" / "injected-faults.ttl").write_text(
        turtle_prologue() + "\n".join(chunks) + "\n", encoding="utf-8")
    return home, focus


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory):
    """(fast outcome, pySHACL outcome) of the injected home and of each example that had
    to stay alone, and the expected focus node per shape."""
    tmp = tmp_path_factory.mktemp("injected")
    home, focus = _injected_home(tmp, ROOT)
    runs = []
    for folder in [home, *(p for p in tmp.iterdir() if p != home)]:
        settings = Settings(home=folder)
        runs.append(_both(source_files(settings), shape_files(settings)))
    return runs, focus


def test_at_least_twenty_faults_cover_every_constrained_shape() -> None:
    shapes = constrained_shapes()
    assert len(shapes) >= 20
    missing = {s.removeprefix(NGOSH) for s in shapes} - set(CASES)
    assert not missing, f"shapes without a failing example in tests/test_shapes.py: {missing}"


def test_engines_agree_on_the_real_data_with_injected_faults(injected) -> None:
    runs, _focus = injected
    for fast, reference in runs:
        assert not reference.conforms
        _agree(fast, reference)


def test_every_constrained_shape_fires_on_its_injected_fault(injected) -> None:
    runs, focus = injected
    fired = {(r.shape, r.focus) for _fast, reference in runs for r in reference.results}
    for shape in sorted(constrained_shapes()):
        local = shape.removeprefix(NGOSH)
        expected = focus[local]
        assert any(s in (f"<{shape}>", f"ngosh:{local}") and f == expected for s, f in fired), (
            f"{local}: no result for {expected}")


def test_engines_agree_on_the_clean_real_data() -> None:
    settings = Settings(home=ROOT)
    fast, reference = _both(source_files(settings), shape_files(settings))
    assert fast.conforms and reference.conforms
    _agree(fast, reference)


def test_engines_agree_on_a_synthetic_graph_with_and_without_faults(tmp_path: Path) -> None:
    from ngo_ld.synthetic import write_home

    synthetic = tmp_path / "synthetic"
    write_home(synthetic, 4000, source=Settings(home=ROOT), seed=11)
    settings = Settings(home=synthetic)
    fast, reference = _both(source_files(settings), shape_files(settings))
    assert fast.conforms and reference.conforms
    _agree(fast, reference)
    home, _focus = _injected_home(tmp_path / "faulty", synthetic)
    faulty = Settings(home=home)
    fast, reference = _both(source_files(faulty), shape_files(faulty))
    assert not reference.conforms
    _agree(fast, reference)


@pytest.mark.parametrize("value,datatype,ok", [
    ("April 2014", "gYearMonth", False), ("2014-13", "gYearMonth", False),
    ("2014-04", "gYearMonth", True), ("2014-04Z", "gYearMonth", True),
    ("14", "gYear", False), ("2014 ", "gYear", False), ("2014", "gYear", True),
    ("12014", "gYear", True),
    ("2014-4-1", "date", False), ("2014-04-31", "date", False), ("2015-02-29", "date", False),
    ("1900-02-29", "date", False), ("2000-02-29", "date", True), ("2016-02-29", "date", True),
    ("2014-04-15+02:00", "date", True),
])
def test_malformed_dates_are_violations_that_name_the_value(
        tmp_path: Path, value: str, datatype: str, ok: bool) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "d.ttl").write_text(
        turtle_prologue() + f'ngo:x <https://example.org/when> "{value}"^^xsd:{datatype} .\n',
        encoding="utf-8")
    shapes = [ROOT / "shapes" / "ngo-ld-lexical.ttl"]
    fast, reference = _both([tmp_path / "data" / "d.ttl"], shapes)
    _agree(fast, reference)
    assert fast.conforms is ok
    if not ok:
        (result,) = fast.results
        assert f'"{value}"^^xsd:{datatype}' in result.message
        assert result.value == f'"{value}"^^xsd:{datatype}'
        assert result.path == "<https://example.org/when>"
        assert result.file and result.file.endswith("d.ttl") and result.line


@pytest.mark.parametrize("prop,value,accepted", NAME_SPACING)
def test_engines_agree_on_names_with_stray_spaces(tmp_path: Path, prop: str, value: str,
                                                  accepted: bool) -> None:
    data = tmp_path / "names.ttl"
    data.write_text(turtle_prologue() + f"ngo:x {prop} {value} .\n", encoding="utf-8")
    fast, reference = _both([data], [ROOT / "shapes" / "ngo-ld-lexical.ttl"])
    _agree(fast, reference)
    assert fast.conforms is accepted
    if not accepted:
        (result,) = fast.results
        assert (result.focus, result.path) == ("ngo:x", prop)
        assert result.shape == f"<{NGOSH}NameSpacingShape>"
        assert result.file and result.file.endswith("names.ttl") and result.line == \
            turtle_prologue().count("\n") + 1


def test_a_shape_the_fast_engine_cannot_translate_is_refused_not_skipped(tmp_path: Path) -> None:
    shapes = tmp_path / "closed.ttl"
    shapes.write_text("""\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:ClosedShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true .
""", encoding="utf-8")
    data = tmp_path / "d.ttl"
    data.write_text("<https://example.org/a> a <https://example.org/Thing> .\n",
                    encoding="utf-8")
    with pytest.raises(ShapesError) as caught:
        validate_files([data], [shapes], engine="oxigraph")
    assert "ClosedShape" in str(caught.value) and "sh:closed" in str(caught.value)
    assert "--engine pyshacl" in caught.value.hint


def test_the_fast_engine_validates_ten_to_the_fifth_triples_within_ten_seconds(
        tmp_path: Path) -> None:
    """The maintainer's command at 10^5 synthetic triples, start to verdict (about 2 s on
    2 shared cores; pySHACL takes 2-3 minutes: bench/run.py validation)."""
    import subprocess
    import sys
    import time

    from ngo_ld.synthetic import write_home

    home = tmp_path / "home"
    write_home(home, 100_000, source=Settings(home=ROOT), seed=5)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ngo_ld", "validate", "--home", str(home)],
                          capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Conforms" in done.stdout
    assert seconds <= 10, f"{seconds:.1f} s"
