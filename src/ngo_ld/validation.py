"""SHACL validation: the one place that picks an engine, and the one caller of pySHACL.

Two engines give the same results: the shapes compiled to SPARQL and run in Oxigraph
(:mod:`ngo_ld.shacl_sparql`, the default: seconds where pySHACL takes minutes) and pySHACL,
the reference. Either way callers get a :class:`ValidationOutcome` whose results carry what
a maintainer needs to fix the data: file and line, focus node, path, value, message, shape.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from .config import DEFAULT_BASE_IRI, Settings
from .errors import LoadError, ShapesError
from .loading import (
    RDF_SUFFIXES,
    content_hash,
    metadata_files,
    parse_file,
    parse_rdflib,
    shape_files,
    source_files,
    to_rdflib,
    to_rdflib_term,
)
from .namespaces import PREFIXES
from .shacl_sparql import RawResult, validate_store
from .speedups import cached_sparql_translation
from .store import graph_names


@dataclass(frozen=True)
class ValidationResult:
    severity: str  # Violation, Warning or Info
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    file: str | None = None  # the data file that defines the focus node
    line: int | None = None


@dataclass(frozen=True)
class ValidationOutcome:
    conforms: bool
    results: tuple[ValidationResult, ...]
    data_files: tuple[str, ...]
    shape_files: tuple[str, ...]
    data_version: str
    ran_at: str
    seconds: float
    engine: str = "pyshacl"
    report: rdflib.Graph | None = field(default=None, compare=False, repr=False)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    def to_json(self) -> str:
        body = {k: v for k, v in asdict(self).items() if k != "report"}
        body["violations"] = len(self.violations)
        return json.dumps(body, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ValidationOutcome:
        body = json.loads(text)
        body.pop("violations", None)
        body["results"] = tuple(ValidationResult(**r) for r in body["results"])
        body["data_files"] = tuple(body["data_files"])
        body["shape_files"] = tuple(body["shape_files"])
        return cls(**body)

    def to_text(self) -> str:
        lines = []
        for r in self.results:
            where = r.file or "?"
            if r.line:
                where += f":{r.line}"
            lines.append(f"{where}: {r.severity}: {r.message}")
            lines.append(f"    focus node: {r.focus}")
            if r.path:
                lines.append(f"    path:       {r.path}")
            if r.value is not None:
                lines.append(f"    value:      {r.value}")
            if r.shape:
                lines.append(f"    shape:      {r.shape}")
        count = len(self.violations)
        verdict = (
            f"Conforms: {_count(len(self.data_files), 'file')} checked against "
            f"{_count(len(self.shape_files), 'shape file')}, no violations."
            if self.conforms
            else f"Does not conform: {_count(count, 'violation')} "
            f"in {_count(len(self.data_files), 'file')}."
        )
        lines.append(verdict)
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _short(node: rdflib.term.Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        for prefix, ns in PREFIXES.items():
            if str(node).startswith(ns) and len(str(node)) > len(ns):
                return f"{prefix}:{str(node)[len(ns):]}"
        return f"<{node}>"
    if isinstance(node, rdflib.BNode):
        return "[blank node]"
    if isinstance(node, rdflib.Literal) and node.datatype is not None:
        return f"{rdflib.Literal(str(node)).n3()}^^{_short(node.datatype)}"
    return node.n3()


def _path_text(report: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_short(inverse)}"
        return "(complex path)"
    return _short(path)


def to_oxigraph_term(node: rdflib.term.Node) -> object:
    """The pyoxigraph term of an rdflib IRI or blank node (None for anything else)."""
    import pyoxigraph as ox

    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    return None


def _spellings(focus: rdflib.term.Node) -> list[str]:
    spellings = [f"<{focus}>"]
    short = _short(focus)
    if short and not short.startswith("<"):
        spellings.append(short)
    return spellings


def _locate(foci: set[rdflib.term.Node], files: Sequence[Path]
            ) -> dict[rdflib.term.Node, tuple[Path, int]]:
    """For each IRI focus node, the first file and line that spell it at the start of a
    statement, else (a node described nowhere, such as a mistyped slug) the first line
    that mentions it; one pass over each file, stopping once every focus node is found."""
    wanted = {s: f for f in foci if isinstance(f, rdflib.URIRef) for s in _spellings(f)}
    found: dict[rdflib.term.Node, tuple[Path, int]] = {}
    mentioned: dict[rdflib.term.Node, tuple[Path, int]] = {}
    for path in files:
        if len(found) == len(set(wanted.values())):
            break
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                tokens = line.split()
                focus = wanted.get(tokens[0]) if tokens else None
                if focus is not None and focus not in found:
                    found[focus] = (path, number)
                for token in tokens[1:]:
                    other = wanted.get(token.rstrip(";,."))
                    if other is not None and other not in mentioned:
                        mentioned[other] = (path, number)
    return {**mentioned, **found}


#: The validation engines: SHACL compiled to SPARQL in Oxigraph (the default, fast) and
#: pySHACL (the reference). Their verdicts agree (tests/test_validation_engines.py).
ENGINES = ("oxigraph", "pyshacl")
DEFAULT_ENGINE = "oxigraph"

class Owners:
    """Which named files a result concerns (the rule of :func:`validate_files`): those
    that describe its focus node, or, for a focus node described nowhere, those that
    mention it. Built from the named files' triples as the engine loaded them, so blank
    nodes match too."""

    def __init__(self, described_anywhere: Callable[[rdflib.term.Node], bool]) -> None:
        self._described_anywhere = described_anywhere
        self._subjects: dict[Path, set[rdflib.term.Node]] = {}
        self._objects: dict[Path, set[rdflib.term.Node]] = {}

    def add(self, path: Path, triples: Sequence[object]) -> None:
        self._subjects[path] = {to_rdflib_term(t.subject) for t in triples}  # type: ignore[attr-defined]
        self._objects[path] = {to_rdflib_term(t.object) for t in triples}  # type: ignore[attr-defined]

    def __call__(self, focus: rdflib.term.Node) -> set[Path]:
        described = {p for p, s in self._subjects.items() if focus in s}
        if described or self._described_anywhere(focus):
            return described
        return {p for p, o in self._objects.items() if focus in o}


def _run_pyshacl(data_files: Sequence[Path], shapes: Sequence[Path], named: set[Path]
                 ) -> tuple[list[RawResult], rdflib.Graph, Owners]:
    # Imported here: pySHACL takes ~0.5 s to import, and the default engine never needs it.
    from pyshacl import validate as pyshacl_validate

    data = parse_rdflib([])
    owners = Owners(lambda focus: (focus, None, None) in data)
    for path in data_files:
        triples = parse_file(path)
        to_rdflib(triples, data)
        if path in named:
            owners.add(path, triples)
    shacl = parse_rdflib(shapes)
    with cached_sparql_translation():  # 3x faster on these shapes (docs/performance.md)
        _conforms, report, _ = pyshacl_validate(
            data, shacl_graph=shacl, inference="none", advanced=True, allow_warnings=True
        )
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        path_node = report.value(node, SH.resultPath)
        results.append(RawResult(
            focus=report.value(node, SH.focusNode),
            path=_path_text(report, path_node),
            value=report.value(node, SH.value),
            message=str(report.value(node, SH.resultMessage) or "constraint not met"),
            shape=report.value(node, SH.sourceShape),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            component=report.value(node, SH.sourceConstraintComponent),
            path_node=path_node,
        ))
    return results, report, owners


def _run_oxigraph(data_files: Sequence[Path], shapes: Sequence[Path], named: set[Path]
                  ) -> tuple[list[RawResult], rdflib.Graph, Owners]:
    import pyoxigraph as ox

    # All the data in the store's default graph: one graph is what the shapes validate,
    # and queries over it are 3-4x faster than over a union of named graphs.
    store = ox.Store()
    graph_names(data_files, DEFAULT_BASE_IRI)  # refuses unknown file types, like `serve`

    def described_anywhere(focus: rdflib.term.Node) -> bool:
        term = to_oxigraph_term(focus)
        return term is not None and next(iter(store.quads_for_pattern(
            term, None, None, ox.DefaultGraph())), None) is not None  # type: ignore[arg-type]

    owners = Owners(described_anywhere)
    for path in data_files:
        if path in named:  # parsed here, so that its blank nodes are the store's
            triples = parse_file(path)
            store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
            owners.add(path, triples)
            continue
        try:
            store.load(path=str(path), format=RDF_SUFFIXES[path.suffix],
                       base_iri=path.as_uri())
        except (SyntaxError, OSError, ValueError) as exc:
            parse_file(path)  # raises LoadError with file and line
            raise LoadError(path, str(exc)) from None
    shacl = parse_rdflib(shapes)
    results = validate_store(store, shacl, _path_text)
    return results, report_graph(results, shacl), owners


def report_graph(results: Sequence[RawResult], shapes: rdflib.Graph) -> rdflib.Graph:
    """The W3C sh:ValidationReport of ``results`` (what pySHACL returns as its report)."""
    report = parse_rdflib([])
    root = rdflib.BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, rdflib.Literal(
        not any(r.severity == "Violation" for r in results))))
    for r in results:
        node = rdflib.BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, r.focus))
        report.add((node, SH.resultSeverity, SH[r.severity]))
        report.add((node, SH.resultMessage, rdflib.Literal(r.message)))
        report.add((node, SH.sourceShape, r.shape))
        if r.component is not None:
            report.add((node, SH.sourceConstraintComponent, r.component))
        if r.value is not None:
            report.add((node, SH.value, r.value))
        if isinstance(r.path_node, rdflib.URIRef):
            report.add((node, SH.resultPath, r.path_node))
        elif r.path_node is not None:
            inverse = shapes.value(r.path_node, SH.inversePath)
            if inverse is not None:
                path = rdflib.BNode()
                report.add((node, SH.resultPath, path))
                report.add((path, SH.inversePath, inverse))
    return report


def validate_files(data_files: Sequence[Path], shapes: Sequence[Path], *,
                   display_root: Path | None = None, engine: str = DEFAULT_ENGINE,
                   only: Sequence[Path] = ()) -> ValidationOutcome:
    """Validate the union of ``data_files`` against ``shapes``.

    With ``only`` (some of ``data_files``), the whole union is still validated, so that
    references into other files resolve, but the outcome keeps just the results that
    concern those files: a result concerns a file when its focus node is described there
    (is the subject of one of its triples), or, for a focus node described in no file at
    all (a dangling reference), when the file mentions it. The verdict is that of the
    results kept.

    :raises LoadError: a file does not parse.
    :raises ShapesError: there are no shapes, or the engine cannot check one of them.
    """
    if not shapes:
        raise ShapesError("no shapes found", hint="put SHACL shapes (.ttl) in shapes/")
    if engine not in ENGINES:
        raise ShapesError(f"unknown validation engine {engine!r}",
                          hint="use one of: " + ", ".join(ENGINES))
    started = time.perf_counter()
    named = set(only)
    run = _run_pyshacl if engine == "pyshacl" else _run_oxigraph
    # rdflib logs a traceback for each literal whose lexical form it cannot read (say
    # "2015-02-29"^^xsd:date); the report says what is wrong with such values.
    quiet = logging.getLogger("rdflib.term")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        raw, report, owners = run(data_files, shapes, named)
    finally:
        quiet.setLevel(level)
    files_of: dict[rdflib.term.Node, set[Path]] = {}
    if named:
        for r in raw:
            if r.focus not in files_of:
                files_of[r.focus] = owners(r.focus)
        raw = [r for r in raw if files_of[r.focus]]
    searched = [p for p in data_files if p in named] if named else list(data_files)
    located = _locate({r.focus for r in raw}, searched) if raw else {}
    order = {p: i for i, p in enumerate(data_files)}

    def shown(p: Path | str | None) -> str | None:
        if p is None or display_root is None:
            return None if p is None else str(p)
        try:
            return str(Path(p).relative_to(display_root))
        except ValueError:
            return str(p)

    results = []
    for r in raw:
        file, line = located.get(r.focus, (None, None))
        if file is None and named:
            file = min(files_of[r.focus], key=lambda p: order.get(p, 0))
        results.append((order.get(file, len(order)) if file else len(order), ValidationResult(
            severity=r.severity,
            focus=_short(r.focus) or "?",
            path=r.path,
            value=_short(r.value),
            message=r.message,
            shape=_short(r.shape),
            file=shown(file),
            line=line,
        )))
    results.sort(key=lambda pair: (pair[0], pair[1].line or 0, pair[1].focus,
                                   pair[1].path or "", pair[1].message, pair[1].value or ""))
    outcome_results = tuple(r for _, r in results)
    return ValidationOutcome(
        conforms=not any(r.severity == "Violation" for r in outcome_results),
        results=outcome_results,
        data_files=tuple(shown(p) or "" for p in (searched if named else data_files)),
        shape_files=tuple(shown(p) or "" for p in shapes),
        data_version=content_hash([*data_files, *shapes]),
        ran_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - started, 3),
        report=report,
        engine=engine,
    )


def validate_sources(settings: Settings, files: Sequence[Path] | None = None, *,
                     remember: bool = False, engine: str = DEFAULT_ENGINE) -> ValidationOutcome:
    """Validate data/, ontology/ and metadata/ against shapes/; with ``files``, report
    only what concerns those files (see :func:`validate_files`), the rest being context.
    (metadata/ is not served as data, but it states facts the server sends, such as the
    day the data last changed.)

    A named file outside those folders stands in for the file of the same name there (an
    edited copy), or is added to them when there is none.

    With ``remember``, a verdict is kept in ``settings.cache_dir`` per content hash of
    the validated files and the shapes, so a restart on unchanged data does not validate again.
    """
    named = [Path(f) for f in files or ()]
    sources = [*source_files(settings), *metadata_files(settings)]
    replaced = {n.name for n in named if n not in sources}
    data_files = [p for p in sources if p.name not in replaced] + \
        [n for n in named if n not in sources]
    shapes = shape_files(settings)
    cache_file = None
    if remember and settings.cache_dir is not None and not named:
        version = content_hash([*data_files, *shapes])
        cache_file = settings.cache_dir / f"validation-{engine}-{version}.json"
        if cache_file.is_file():
            try:
                return ValidationOutcome.from_json(cache_file.read_text(encoding="utf-8"))
            except (ValueError, TypeError, KeyError):
                pass  # an unreadable memory is no memory; validate again
    outcome = validate_files(data_files, shapes, display_root=settings.home, engine=engine,
                             only=named)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(outcome.to_json(), encoding="utf-8")
        except OSError:
            pass  # remembering is an optimisation only
    return outcome
