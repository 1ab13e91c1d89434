"""SHACL validation: the one caller of pySHACL.

pySHACL returns a bare tuple; callers get a :class:`ValidationOutcome` whose results carry
what a maintainer needs to fix the data: file, focus node, path, value, message, shape.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from .config import Settings
from .errors import ShapesError
from .loading import content_hash, parse_rdflib, shape_files, source_files
from .namespaces import PREFIXES
from .speedups import cached_sparql_translation


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


def _locate(focus: rdflib.term.Node, files: Sequence[Path], texts: dict[Path, list[str]]
            ) -> tuple[str | None, int | None]:
    """The first file and line that spell the focus node at the start of a statement."""
    if not isinstance(focus, rdflib.URIRef):
        return None, None
    spellings = [f"<{focus}>"]
    short = _short(focus)
    if short and not short.startswith("<"):
        spellings.append(short)
    for path in files:
        for number, line in enumerate(texts[path], start=1):
            stripped = line.lstrip()
            if any(stripped.startswith(s) and stripped[len(s):len(s) + 1] in (" ", "\t", "")
                   for s in spellings):
                return str(path), number
    return None, None


def validate_files(data_files: Sequence[Path], shapes: Sequence[Path], *,
                   display_root: Path | None = None) -> ValidationOutcome:
    """Validate the union of ``data_files`` against ``shapes``.

    :raises LoadError: a file does not parse.
    :raises ShapesError: there are no shapes.
    """
    if not shapes:
        raise ShapesError("no shapes found", hint="put SHACL shapes (.ttl) in shapes/")
    # Imported here: pySHACL takes ~0.5 s to import, and a start whose verdict is
    # remembered never needs it (issue 5, start to first answer).
    from pyshacl import validate as pyshacl_validate

    started = time.perf_counter()
    data = parse_rdflib(data_files)
    shacl = parse_rdflib(shapes)
    with cached_sparql_translation():  # 3× faster on these shapes (issue 5)
        conforms, report, _ = pyshacl_validate(
            data, shacl_graph=shacl, inference="none", advanced=True, allow_warnings=True
        )
    texts = {p: p.read_text(encoding="utf-8").splitlines() for p in data_files}
    order = {str(p): i for i, p in enumerate(data_files)}

    def shown(p: str | None) -> str | None:
        if p is None or display_root is None:
            return p
        try:
            return str(Path(p).relative_to(display_root))
        except ValueError:
            return p

    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        severity = report.value(node, SH.resultSeverity)
        file, line = _locate(focus, data_files, texts)
        results.append(ValidationResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=_short(focus) or "?",
            path=_path_text(report, report.value(node, SH.resultPath)),
            value=_short(report.value(node, SH.value)),
            message=str(report.value(node, SH.resultMessage) or "constraint not met"),
            shape=_short(report.value(node, SH.sourceShape)),
            file=shown(file),
            line=line,
        ))
    results.sort(key=lambda r: (order.get(str(display_root / r.file) if display_root and r.file
                                          else r.file or "", len(order)),
                                r.line or 0, r.focus, r.path or "", r.message))
    return ValidationOutcome(
        conforms=bool(conforms),
        results=tuple(results),
        data_files=tuple(shown(str(p)) or "" for p in data_files),
        shape_files=tuple(shown(str(p)) or "" for p in shapes),
        data_version=content_hash([*data_files, *shapes]),
        ran_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - started, 3),
        report=report,
    )


def validate_sources(settings: Settings, files: Sequence[Path] | None = None, *,
                     remember: bool = False) -> ValidationOutcome:
    """Validate ``files`` (default: data/ and ontology/) against shapes/.

    With ``remember``, a verdict is kept in ``settings.cache_dir`` per content hash of
    data, ontology and shapes, so a restart on unchanged data does not validate again.
    """
    data_files = list(files) if files else source_files(settings)
    shapes = shape_files(settings)
    cache_file = None
    if remember and settings.cache_dir is not None:
        version = content_hash([*data_files, *shapes])
        cache_file = settings.cache_dir / f"validation-{version}.json"
        if cache_file.is_file():
            try:
                return ValidationOutcome.from_json(cache_file.read_text(encoding="utf-8"))
            except (ValueError, TypeError, KeyError):
                pass  # an unreadable memory is no memory; validate again
    outcome = validate_files(data_files, shapes, display_root=settings.home)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(outcome.to_json(), encoding="utf-8")
        except OSError:
            pass  # remembering is an optimisation only
    return outcome
