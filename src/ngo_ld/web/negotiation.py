"""Choosing a representation by extension, ``?format=`` or ``Accept``, and answering
when there is none: the HTTP side of :func:`ngo_ld.formats.negotiate`, shared by the
blueprints."""

from __future__ import annotations

import json

from flask import Response, render_template, request
from werkzeug.exceptions import NotFound

from .. import pages
from ..errors import NotAcceptable
from ..formats import Format, negotiate_header
from .language import page_language


def link_header(stem: str, formats: tuple[Format, ...], *, served: Format | None = None,
                extra: tuple[str, ...] = ()) -> str:
    """``Link`` alternates for every format of ``stem`` (``/doc/astra`` → ``.ttl`` …)."""
    links = [f'<{stem}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in formats if f is not served]
    return ", ".join([*links, *extra])


def chosen_format(offered: tuple[Format, ...], extension: str | None, *,
                  stem: str | None = None) -> Format:
    """The representation asked for by extension, ``?format=`` or ``Accept``.

    :raises NotFound: an extension that is not offered here (that URL does not exist).
    :raises NotAcceptable: nothing offered matches ``Accept``; with ``stem``, it carries
        the ``Link`` alternates of every format (``{stem}.{ext}``) for the 406 answer.
    """
    if extension is not None:
        fmt = next((f for f in offered if f.extension == extension), None)
        if fmt is None:
            raise NotFound(f"no such representation: .{extension}")
        return fmt
    override = request.args.get("format")
    fmt = negotiate_header(request.headers.get("Accept"), offered, override)
    if fmt is None:
        exc = NotAcceptable([f.media_type for f in offered])
        if stem is not None:
            exc.links = link_header(stem, offered)  # type: ignore[attr-defined]
        raise exc
    return fmt


def not_found_in(fmt: Format, message: str, alternates: str = "") -> Response:
    """A 404 whose body is in the negotiated format (an empty graph with a comment for
    RDF formats, so an RDF client still parses what it asked for)."""
    headers = {"Vary": "Accept"}
    if alternates:
        headers["Link"] = alternates
    if fmt.kind == "html":
        body = render_template("error.html", status=404, title=pages.ui_strings(
            page_language()[0])["not_found"], message=message)
        return Response(body, 404, content_type=fmt.content_type, headers=headers)
    safe = message.replace("\n", " ").replace("--", "- -")
    if fmt.token in ("turtle", "ntriples"):
        body = f"# 404 Not Found: {safe}\n"
    elif fmt.token == "jsonld":
        body = json.dumps({"@context": {}, "@graph": [], "error": {
            "status": 404, "title": "Not Found", "message": message}}, ensure_ascii=False)
    elif fmt.token == "rdfxml":
        body = ('<?xml version="1.0" encoding="utf-8"?>\n<!-- 404 Not Found: '
                f'{safe.replace("<", "&lt;")} -->\n<rdf:RDF xmlns:rdf='
                '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    else:
        body = f"404 Not Found: {message}\n"
    return Response(body, 404, content_type=fmt.content_type, headers=headers)
