"""The fast validation engine: SHACL shapes compiled to SPARQL and run in pyoxigraph.

pySHACL walks every focus node in Python and runs each SHACL-SPARQL constraint once per
focus node through rdflib; at 10^6 triples that took 18.7 minutes and 2.9 GB. Here each
constraint of each shape becomes ONE SPARQL query over the whole data (focus nodes joined
in as a subquery), answered by Oxigraph in Rust, so the cost grows with the data, not
with focus nodes times constraints.

The verdicts are pySHACL's (the reference engine, ``--engine pyshacl``): same focus node,
path, value, source shape and severity for each result, checked by the agreement tests on
injected faults, the real data and a synthetic graph. To keep that promise, a shape that
uses a SHACL feature this compiler does not translate is refused with
:class:`~ngo_ld.errors.ShapesError` naming the shape and the feature, never skipped.

Translated: targets (``sh:targetClass`` with ``rdfs:subClassOf*``, implicit class targets,
``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, SPARQL targets);
predicate and inverse paths; ``sh:property``; ``sh:nodeKind``, ``sh:pattern``/``sh:flags``,
``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:hasValue``, ``sh:languageIn``,
``sh:min/maxInclusive``, ``sh:min/maxExclusive``, ``sh:min/maxLength``,
``sh:minCount``/``sh:maxCount``, ``sh:uniqueLang``, ``sh:qualifiedValueShape`` with
``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``, ``sh:node``/``sh:not``/``sh:and``/
``sh:or`` over shapes made of value tests, and SHACL-SPARQL constraints (``sh:sparql``
with ``sh:select`` of the form ``SELECT ... WHERE { ... }``, ``$this``, ``$PATH``,
``sh:prefixes``, ``{?var}`` in messages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from .errors import ShapesError
from .loading import to_rdflib_term


@dataclass(frozen=True)
class RawResult:
    """One validation result, in rdflib terms (what both engines produce)."""

    focus: rdflib.term.Node
    path: str | None  # rendered by the caller's path renderer
    value: rdflib.term.Node | None
    message: str
    shape: rdflib.term.Node
    severity: str
    component: rdflib.term.Node | None = None  # sh:...ConstraintComponent
    path_node: rdflib.term.Node | None = None  # the path as the shapes graph spells it


PathText = Callable[[rdflib.Graph, rdflib.term.Node | None], str | None]

#: Parameters that describe a shape but constrain nothing.
_DESCRIPTIVE = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order,
                SH.group, SH.defaultValue, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                SH.targetObjectsOf, SH.target, SH.path, SH.declare, SH.prefixes,
                SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
                SH.maxExclusive: "<"}
#: Datatypes whose values pySHACL takes as they are (a string is always well-formed).
_TEXT_TYPES = {XSD.string, RDF.langString}
_SIMPLE_SELECT = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(?P<vars>[^{]*?)\s*"
                            r"WHERE\s*\{(?P<body>.*)\}\s*$", re.IGNORECASE | re.DOTALL)
#: Where the focus nodes of each shape are kept while validating: (node, FOCUS_OF, shape).
FOCUS_GRAPH = ox.NamedNode("urn:ngo-ld:validation:focus-nodes")
FOCUS_OF = ox.NamedNode("urn:ngo-ld:validation:focus-of")
#: A SPARQL function of the generated queries: is this literal's lexical form one rdflib
#: (and so pySHACL's sh:datatype) reads as a value of its datatype?
WELL_FORMED = ox.NamedNode("urn:ngo-ld:validation:well-formed")
#: Prefixes the generated queries use; a shapes file may declare them too.
_STANDARD_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL),
                      "sh": str(SH)}
_MESSAGE_VAR = re.compile(r"\{[?$](\w+)\}")


class _Unsupported(Exception):
    pass


def _n3(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.BNode):
        raise _Unsupported("a blank node as a constant")
    return term.n3()


class Compiler:
    """Turns the shapes graph into queries and runs them against one pyoxigraph store."""

    def __init__(self, shapes: rdflib.Graph, store: ox.Store) -> None:
        self.shapes = shapes
        self.store = store
        self.prefixes = self._declared_prefixes()

    # -- prefixes --------------------------------------------------------------------
    def _declared_prefixes(self) -> str:
        declared: dict[str, str] = {}
        for decl in self.shapes.objects(None, SH.declare):
            prefix = self.shapes.value(decl, SH.prefix)
            namespace = self.shapes.value(decl, SH.namespace)
            if prefix is None or namespace is None:
                continue
            if declared.get(str(prefix), str(namespace)) != str(namespace):
                raise ShapesError(f"the prefix {prefix}: is declared twice with different "
                                  "namespaces in the shapes",
                                  hint="give each sh:declare prefix one namespace")
            declared[str(prefix)] = str(namespace)
        for prefix, namespace in _STANDARD_PREFIXES.items():
            declared.setdefault(prefix, namespace)
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))

    def _query(self, text: str) -> ox.QuerySolutions:
        """Run a query whose default graph is the data and whose one named graph holds
        the focus nodes of each shape (see :meth:`materialize_focus`)."""
        return self.store.query(self.prefixes + text, named_graphs=[FOCUS_GRAPH],  # type: ignore[return-value]
                                custom_functions={WELL_FORMED: _well_formed_term})

    def materialize_focus(self, shape: rdflib.term.Node, targets: str) -> str:
        """Work out the focus nodes of ``shape`` once, into the focus graph, and return
        the pattern that reads them back: a SPARQL target (every IRI under /id/) would
        otherwise be computed once per constraint, the costliest part at 10^6 triples.
        Class and property targets are index look-ups, cheaper to repeat than to copy."""
        self.store.update(self.prefixes + f"INSERT {{ GRAPH <{FOCUS_GRAPH.value}> {{ ?this "
                          f"<{FOCUS_OF.value}> {_n3(shape)} }} }} WHERE {{ {targets} }}")
        return f"GRAPH <{FOCUS_GRAPH.value}> {{ ?this <{FOCUS_OF.value}> {_n3(shape)} }}"

    # -- shapes ----------------------------------------------------------------------
    def shapes_with_targets(self) -> list[rdflib.term.Node]:
        found = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                  SH.target):
            found.update(self.shapes.subjects(p, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            for shape in self.shapes.subjects(RDF.type, kind):
                if (shape, RDF.type, RDFS.Class) in self.shapes or \
                        (shape, RDF.type, OWL.Class) in self.shapes:
                    found.add(shape)
        return sorted(found, key=str)

    def focus_group(self, shape: rdflib.term.Node) -> str:
        """A subquery binding ?this to every focus node of ``shape``."""
        parts = []
        g = self.shapes
        for cls in g.objects(shape, SH.targetClass):
            parts.append(f"?this rdf:type/rdfs:subClassOf* {_n3(cls)} .")
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            parts.append(f"?this rdf:type/rdfs:subClassOf* {_n3(shape)} .")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " }")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {_n3(p)} ?target_o .")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"?target_s {_n3(p)} ?this .")
        for target in g.objects(shape, SH.target):
            select = g.value(target, SH.select)
            if select is None or (target, RDF.type, SH.SPARQLTarget) not in g:
                raise _Unsupported("a target that is not a sh:SPARQLTarget with sh:select")
            parts.append("{ " + str(select).replace("$this", "?this") + " }")
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return "{ SELECT DISTINCT ?this WHERE { " + union + " } }"

    def path_sparql(self, path: rdflib.term.Node) -> str:
        if isinstance(path, rdflib.URIRef):
            return path.n3()
        inverse = self.shapes.value(path, SH.inversePath)
        if isinstance(inverse, rdflib.URIRef):
            return f"^{inverse.n3()}"
        raise _Unsupported("a path other than a predicate or sh:inversePath of a predicate")

    def message(self, shape: rdflib.term.Node, constraint: rdflib.term.Node | None = None,
                row: ox.QuerySolution | None = None) -> str:
        text = None
        if constraint is not None:
            text = self.shapes.value(constraint, SH.message)
        if text is None:
            text = self.shapes.value(shape, SH.message)
        if text is None:
            return "constraint not met"
        message = str(text)
        if row is not None:
            def substitute(m: re.Match[str]) -> str:
                try:
                    term = row[m.group(1)]
                except (KeyError, IndexError, ValueError):
                    return m.group(0)
                return m.group(0) if term is None else str(to_rdflib_term(term))
            message = _MESSAGE_VAR.sub(substitute, message)
        return message

    def severity(self, shape: rdflib.term.Node) -> str:
        severity = self.shapes.value(shape, SH.severity)
        return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"

    # -- value tests -----------------------------------------------------------------
    def value_test(self, shape: rdflib.term.Node, param: rdflib.term.Node,
                   arg: rdflib.term.Node, v: str) -> str | None:
        """A SPARQL expression true when the value ``v`` meets one constraint, or None
        when ``param`` is not a value test."""
        g = self.shapes
        if param == SH.nodeKind:
            if arg not in _NODE_KINDS:
                raise _Unsupported(f"sh:nodeKind {arg}")
            return _NODE_KINDS[arg].format(v=v)
        if param == SH.pattern:
            flags = g.value(shape, SH.flags)
            flag_text = f", {rdflib.Literal(str(flags)).n3()}" if flags is not None else ""
            return (f"(!isBlank({v}) && REGEX(STR({v}), "
                    f"{rdflib.Literal(str(arg)).n3()}{flag_text}))")
        if param == SH["class"]:
            return f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {_n3(arg)} }}"
        if param == SH["in"]:
            members = list(Collection(g, arg))
            return "(" + (" || ".join(f"sameTerm({v}, {_n3(m)})" for m in members)
                          or "false") + ")"
        if param == SH.languageIn:
            tags = list(Collection(g, arg))
            return (f"(isLiteral({v}) && (" + " || ".join(
                f"langMatches(LANG({v}), {rdflib.Literal(str(t)).n3()})" for t in tags)
                + "))") if tags else "false"
        if param in _COMPARISONS:
            return f"COALESCE({v} {_COMPARISONS[param]} {_n3(arg)}, false)"
        if param == SH.minLength:
            return f"COALESCE(!isBlank({v}) && STRLEN(STR({v})) >= {int(arg)}, false)"
        if param == SH.maxLength:
            return f"COALESCE(!isBlank({v}) && STRLEN(STR({v})) <= {int(arg)}, false)"
        if param == SH.datatype and arg in _TEXT_TYPES:
            return f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_n3(arg)}))"
        if param == SH.datatype:  # and a lexical form rdflib reads, as pySHACL checks it
            return (f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_n3(arg)}) "
                    f"&& <{WELL_FORMED.value}>({v}))")
        if param == SH.node:
            return self.shape_test(arg, v)
        if param == SH["not"]:
            return f"!({self.shape_test(arg, v)})"
        if param in (SH["and"], SH["or"]):
            joiner = " && " if param == SH["and"] else " || "
            members = [self.shape_test(m, v) for m in Collection(g, arg)]
            return "(" + (joiner.join(members) or ("true" if param == SH["and"]
                                                   else "false")) + ")"
        return None

    def shape_test(self, shape: rdflib.term.Node, v: str) -> str:
        """A SPARQL expression true when ``v`` conforms to ``shape``, a shape made of
        value tests only (as in sh:qualifiedValueShape [ sh:languageIn (...) ])."""
        if (shape, SH.path, None) in self.shapes:
            raise _Unsupported("a property shape inside sh:node/sh:not/sh:and/sh:or/"
                               "sh:qualifiedValueShape")
        tests = []
        for param, arg in self.shapes.predicate_objects(shape):
            if not str(param).startswith(str(SH)) or param in _DESCRIPTIVE:
                continue
            test = self.value_test(shape, param, arg, v)
            if test is None:
                raise _Unsupported(f"{_sh(param)} inside a nested shape")
            tests.append(test)
        return "(" + (" && ".join(tests) or "true") + ")"

    # -- running ---------------------------------------------------------------------
    def run(self, path_text: PathText) -> Iterator[RawResult]:
        for shape in self.shapes_with_targets():
            try:
                focus = self.focus_group(shape)
                if (shape, SH.target, None) in self.shapes:  # a SPARQL target: costly
                    focus = self.materialize_focus(shape, focus)
            except _Unsupported as exc:
                raise _refusal(shape, exc) from None
            yield from self.check(shape, focus, path_text)

    def check(self, shape: rdflib.term.Node, focus: str,
              path_text: PathText) -> Iterator[RawResult]:
        g = self.shapes
        if g.value(shape, SH.deactivated) == rdflib.Literal(True):
            return
        try:
            yield from self._check(shape, focus, path_text)
        except _Unsupported as exc:
            raise _refusal(shape, exc) from None

    def _check(self, shape: rdflib.term.Node, focus: str,
               path_text: PathText) -> Iterator[RawResult]:
        g = self.shapes
        path_node = g.value(shape, SH.path)
        path = self.path_sparql(path_node) if path_node is not None else None
        shown_path = path_text(g, path_node)
        severity = self.severity(shape)

        def result(row: ox.QuerySolution, value: bool, param: rdflib.term.Node
                   ) -> RawResult:
            v = row["value"] if value else None
            return RawResult(focus=to_rdflib_term(row["this"]), path=shown_path,
                             value=to_rdflib_term(v) if v is not None else None,
                             message=self.message(shape), shape=shape, severity=severity,
                             component=component(param), path_node=path_node)

        values = f"?this {path} ?value ." if path else "BIND (?this AS ?value)"
        for param, arg in sorted(g.predicate_objects(shape), key=lambda po: str(po)):
            if not str(param).startswith(str(SH)) or param in _DESCRIPTIVE:
                continue
            test = self.value_test(shape, param, arg, "?value")
            if test is not None:
                rows = self._query(f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} "
                                   f"FILTER (!({test})) }}")
                yield from (result(r, True, param) for r in rows)
            elif param == SH.property:
                yield from self.check(arg, focus, path_text)
            elif param == SH.minCount and path and int(arg) == 1:  # the usual case
                rows = self._query(f"SELECT ?this WHERE {{ {focus} "
                                   f"FILTER NOT EXISTS {{ {values} }} }}")
                yield from (result(r, False, param) for r in rows)
            elif param in (SH.minCount, SH.maxCount) and path:
                having = (f"COUNT(DISTINCT ?value) < {int(arg)}" if param == SH.minCount
                          else f"COUNT(DISTINCT ?value) > {int(arg)}")
                optional = "OPTIONAL" if param == SH.minCount else ""
                rows = self._query(f"SELECT ?this WHERE {{ {focus} {optional} {{ {values} }} }}"
                                   f" GROUP BY ?this HAVING ({having})")
                yield from (result(r, False, param) for r in rows)
            elif param == SH.uniqueLang and path:
                if arg != rdflib.Literal(True):
                    continue
                rows = self._query(
                    f"SELECT ?this WHERE {{ {focus} {values} FILTER (LANG(?value) != \"\") }} "
                    "GROUP BY ?this (LCASE(LANG(?value))) HAVING (COUNT(DISTINCT ?value) > 1)")
                yield from (result(r, False, param) for r in rows)
            elif param == SH.hasValue and path:
                rows = self._query(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ "
                                   f"{values} FILTER (sameTerm(?value, {_n3(arg)})) }} }}")
                yield from (result(r, False, param) for r in rows)
            elif param == SH.hasValue:
                rows = self._query(f"SELECT ?this WHERE {{ {focus} "
                                   f"FILTER (!sameTerm(?this, {_n3(arg)})) }}")
                yield from (result(r, False, param) for r in rows)
            elif param == SH.qualifiedValueShape and path:
                if g.value(shape, SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
                    raise _Unsupported("sh:qualifiedValueShapesDisjoint")
                test = self.shape_test(arg, "?value")
                for bound, compare in ((SH.qualifiedMinCount, "<"),
                                       (SH.qualifiedMaxCount, ">")):
                    count = g.value(shape, bound)
                    if count is None:
                        continue
                    if bound == SH.qualifiedMinCount and int(count) == 1:
                        rows = self._query(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS "
                                           f"{{ {values} FILTER ({test}) }} }}")
                        yield from (result(r, False, bound) for r in rows)
                        continue
                    rows = self._query(
                        f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} FILTER ({test}) }} }}"
                        f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {compare} {int(count)})")
                    yield from (result(r, False, bound) for r in rows)
            elif param == SH.sparql:
                yield from self._sparql(shape, arg, focus, path, severity, path_text)
            elif param != SH.qualifiedValueShapesDisjoint:
                raise _Unsupported(_sh(param) + ("" if path else " on a node shape"))

    def _sparql(self, shape: rdflib.term.Node, constraint: rdflib.term.Node, focus: str,
                path: str | None, severity: str, path_text: PathText) -> Iterator[RawResult]:
        g = self.shapes
        if g.value(constraint, SH.deactivated) == rdflib.Literal(True):
            return
        select = g.value(constraint, SH.select)
        if select is None:
            raise _Unsupported("sh:sparql without sh:select")
        text = str(select)
        if "$currentShape" in text or "$shapesGraph" in text:
            raise _Unsupported("$currentShape or $shapesGraph in sh:select")
        match = _SIMPLE_SELECT.match(text)
        if match is None:
            raise _Unsupported("an sh:select that is not of the form SELECT ... WHERE { ... }")
        if path is not None:
            text = text.replace("$PATH", path)
        elif "$PATH" in text:
            raise _Unsupported("$PATH in a constraint of a node shape")
        match = _SIMPLE_SELECT.match(text.replace("$this", "?this"))
        assert match is not None
        selected = set(re.findall(r"[?$](\w+)", match.group("vars"))) - {"this"}
        query = ("SELECT DISTINCT ?this " + " ".join(f"?{v}" for v in sorted(selected))
                 + f" WHERE {{ {focus} {match.group('body')} }}")
        shown_path = path_text(g, g.value(shape, SH.path))
        for row in self._query(query):
            value = row["value"] if "value" in selected else None
            row_path = None
            if shown_path is None and "path" in selected and row["path"] is not None:
                row_path = path_text(g, to_rdflib_term(row["path"]))
            yield RawResult(focus=to_rdflib_term(row["this"]), path=shown_path or row_path,
                            value=to_rdflib_term(value) if value is not None else None,
                            message=self.message(shape, constraint, row), shape=shape,
                            severity=severity, component=SH.SPARQLConstraintComponent,
                            path_node=g.value(shape, SH.path) or (
                                to_rdflib_term(row["path"]) if row_path else None))


#: The Python type rdflib gives a well-formed value, for the datatypes pySHACL checks so.
_VALUE_TYPES = {XSD.integer: int, XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool,
                XSD.date: date, XSD.time: dt_time, XSD.dateTime: datetime}


@lru_cache(maxsize=1 << 16)  # counts and years repeat: at 10^6 triples, 80,000 values
def well_formed(lexical: str, datatype: rdflib.term.Node) -> bool:
    """Whether rdflib (and so pySHACL) takes ``lexical`` as a value of ``datatype``."""
    literal = rdflib.Literal(lexical, datatype=datatype)
    if getattr(literal, "ill_typed", None) is True:
        return False
    expected = _VALUE_TYPES.get(datatype)  # type: ignore[call-overload]
    return expected is None or isinstance(literal.value, expected)


def _well_formed_term(value: ox.Literal) -> ox.Literal:
    return ox.Literal(well_formed(value.value, rdflib.URIRef(value.datatype.value)))


def component(param: rdflib.term.Node) -> rdflib.URIRef:
    """The constraint component of a parameter: sh:minCount -> sh:MinCountConstraintComponent."""
    name = str(param)[len(str(SH)):]
    return SH[name[:1].upper() + name[1:] + "ConstraintComponent"]


def _sh(term: rdflib.term.Node) -> str:
    return "sh:" + str(term)[len(str(SH)):] if str(term).startswith(str(SH)) else str(term)


def _refusal(shape: rdflib.term.Node, exc: _Unsupported) -> ShapesError:
    return ShapesError(f"the fast validation engine cannot check the shape {shape}: it uses "
                       f"{exc}",
                       hint="validate with `ngo-ld validate --engine pyshacl`, or express "
                            "the rule with the features listed in docs/maintainers.md")


def validate_store(store: ox.Store, shapes: rdflib.Graph, path_text: PathText
                   ) -> list[RawResult]:
    """Every validation result of the data in the default graph of ``store`` against
    ``shapes``. Adds the named graph :data:`FOCUS_GRAPH` to the store: give it a store of
    its own.

    :raises ShapesError: a shape uses a feature this engine does not translate.
    """
    return list(Compiler(shapes, store).run(path_text))
