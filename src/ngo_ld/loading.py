"""Read the source files (data/, ontology/, shapes/) into RDF.

Each source file becomes one named graph, ``{base}graph/{file stem}``, so SPARQL clients
can pick graphs with ``default-graph-uri`` / ``named-graph-uri`` while the default graph
is the union of all of them. Parse errors become :class:`~ngo_ld.errors.LoadError` with
the file and line, never a traceback.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .config import Settings
from .errors import LoadError
from .namespaces import graph_iri

RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
                ".rdf": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _LiteralWarningInOneLine(logging.Filter):
    """rdflib logs a whole traceback for each literal whose lexical form it cannot read
    (an engine may hand back ``"24"^^xsd:duration`` for a duration it normalised). The
    literal is kept as written, so that is worth one log line, never a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage().startswith("Failed to convert Literal"):
            said = record.getMessage().split(", Converter=")[0]
            record.msg, record.args = "%s (%s)", (said, record.exc_info[1])
            record.exc_info, record.exc_text = None, None
        return True


logging.getLogger("rdflib.term").addFilter(_LiteralWarningInOneLine())


def _rdf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())


def named_rdf_files(paths: Sequence[Path]) -> list[Path]:
    """The RDF files behind the paths a person named (a file as it is, a folder as the RDF
    files under it), each once, checked before any work starts so that a mistyped name is
    told at once and in one line.

    :raises LoadError: a path that does not exist or cannot be read, a file that is not of
        an RDF type, a folder with no RDF file under it.
    """
    kinds = ", ".join(sorted(RDF_SUFFIXES))
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            inside = _rdf_files(path)
            if not inside:
                raise LoadError(path, f"the folder holds no RDF files ({kinds}); name data "
                                "files, or a folder that holds some, such as data/")
            found.update(dict.fromkeys(p.resolve() for p in inside))
            continue
        if not path.exists():
            raise LoadError(path, "no such file or folder; name data files or folders, "
                            "such as data/collaborations/gaatw.ttl or data/")
        if path.suffix not in RDF_SUFFIXES:
            raise LoadError(path, f"not an RDF file: name files ending in {kinds}")
        try:
            path.open("rb").close()
        except OSError as exc:
            raise LoadError(path, f"cannot read the file ({exc.strerror})") from None
        found[path.resolve()] = None
    return list(found)


def source_files(settings: Settings) -> list[Path]:
    """The files that make up the dataset: data/ then ontology/, in a stable order."""
    return _rdf_files(settings.data_dir) + _rdf_files(settings.ontology_dir)


def shape_files(settings: Settings) -> list[Path]:
    return _rdf_files(settings.shapes_dir)


def metadata_files(settings: Settings) -> list[Path]:
    return _rdf_files(settings.metadata_dir)


def parse_file(path: Path, *, base_iri: str | None = None) -> list[ox.Triple]:
    """Parse one RDF file with pyoxigraph.

    :raises LoadError: the file is missing, unreadable, not UTF-8 or not valid RDF.
    """
    fmt = RDF_SUFFIXES.get(path.suffix)
    if fmt is None:
        raise LoadError(path, f"unknown RDF file type {path.suffix!r}; use one of "
                        + ", ".join(sorted(RDF_SUFFIXES)))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read the file ({exc.strerror})") from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(path, "the file is not UTF-8 text; save it as UTF-8", line=line) from None
    try:
        return [q.triple for q in ox.parse(raw, format=fmt, base_iri=base_iri or path.as_uri())]
    except SyntaxError as exc:
        raise LoadError(path, _clean_parser_message(exc.msg or str(exc)), line=exc.lineno,
                        column=exc.offset, syntax=True) from None


def _clean_parser_message(message: str) -> str:
    """pyoxigraph says "Parser error at line 3 between columns 5 and 9: <what>"; the
    position is reported separately, so keep <what>.

    >>> _clean_parser_message("Parser error at line 2 between columns 1 and 6: A dot is expected")
    'A dot is expected'
    """
    if ": " in message and message.startswith("Parser error"):
        return message.split(": ", 1)[1]
    return message


def graph_name(path: Path, base_iri: str) -> str:
    return graph_iri(path.stem.lower().replace("_", "-"), base_iri)


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if dt == _XSD_STRING else dt)
    raise TypeError(f"unsupported RDF term {term!r}")


def to_rdflib(triples: Iterable[ox.Triple | ox.Quad], graph: rdflib.Graph | None = None
              ) -> rdflib.Graph:
    """Copy pyoxigraph triples into an rdflib graph (for pySHACL and JSON-LD)."""
    g = graph if graph is not None else rdflib.Graph()
    for t in triples:
        g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return g


def parse_rdflib(files: Sequence[Path]) -> rdflib.Graph:
    """The union of ``files`` as one rdflib graph (validated with pyoxigraph's parser first,
    so errors carry file and line), with the project prefixes bound."""
    from .namespaces import PREFIXES

    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for path in files:
        to_rdflib(parse_file(path), g)
    return g


#: A leading line that is blank, a comment or one whole prefix or base directive: the
#: header every chunk of a cut file repeats.
_HEADER_LINE = re.compile(
    rb"[ \t]*(?:(?:@?prefix[ \t]+[^ \t\r\n<>]*:|@?base)[ \t]*<[^<>\r\n]*>[ \t]*\.?[ \t]*)?"
    rb"(?:#[^\r\n]*)?\r?\n", re.IGNORECASE)
#: Below this a file is not worth splitting.
MIN_CHUNK_BYTES = 4 << 20


def split_for_parallel(data: bytes, fmt: ox.RdfFormat, parts: int) -> list[bytes]:
    """``data`` (Turtle or N-Triples) cut into up to ``parts`` documents that pyoxigraph can
    load side by side, each a few threads' worth of work; ``[data]`` when it is too small
    or cannot be cut safely.

    The cuts fall right after a line that ends with ``.``; every chunk after the first
    starts with the file's header (the leading prefix and base lines). That gives the same
    triples as the whole file when each chunk ends between statements, and a chunk that
    does not (a cut inside a statement or a long literal) does not parse either: a caller
    that sees any chunk fail must therefore drop what it loaded and load the file whole.
    What a cut cannot keep is refused here: labelled blank nodes (``_:x``, which name one
    node per load), and prefix or base directives after the header (any "prefix" or
    "base" in the text counts, to be safe).
    """
    if parts < 2 or len(data) < 2 * MIN_CHUNK_BYTES or b"_:" in data:
        return [data]
    parts = min(parts, len(data) // MIN_CHUNK_BYTES)
    return _cut(data, fmt, parts)


def _cut(data: bytes, fmt: ox.RdfFormat, parts: int) -> list[bytes]:
    if fmt == ox.RdfFormat.N_TRIPLES:
        start, ends = 0, (b"\n",)
    elif fmt == ox.RdfFormat.TURTLE:
        start = 0
        while (m := _HEADER_LINE.match(data, start)) and m.end() > start:
            start = m.end()
        ends = (b".\n", b".\r\n")
    else:
        return [data]
    cuts = [0]
    for i in range(1, parts):
        near = max(cuts[-1], start + (len(data) - start) * i // parts)
        found = [at + len(end) for end in ends if (at := data.find(end, near)) >= 0]
        if not found or min(found) >= len(data):
            break
        cuts.append(min(found))
    if len(cuts) < 2:
        return [data]
    if fmt == ox.RdfFormat.TURTLE:
        body = data[start:cuts[-1]].lower()
        if b"prefix" in body or b"base" in body:
            return [data]
    header = data[:start]
    bounds = [*cuts, len(data)]
    return [data[:cuts[1]]] + [header + data[a:b] for a, b in itertools.pairwise(bounds[1:])]


def content_hash(files: Iterable[Path]) -> str:
    """A version string for a set of files: changes whenever any byte or name changes."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
