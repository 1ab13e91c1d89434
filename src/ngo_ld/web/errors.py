"""Errors become HTTP answers here, and only here: error class → status in :data:`STATUS`,
the body in a format the client reads.

An error is told in a format the client named, never one it merely accepts: an HTML page
to a client whose Accept names ``text/html`` above JSON (every browser), plain text to one
that prefers ``text/plain``, and to everyone else, ``*/*`` and no Accept included, a JSON
body of one shape ``{"error": {"status", "title", "message", "hint"}}``, whatever the route.
A 404 about a thing or graph is told in its RDF format (or as the site's page) only where the
client named that format itself, by URL extension, ``?format=`` or its media type in Accept
(:func:`named_by_client`), so an RDF client still parses what it asked for.
Work refused for now (:class:`~ngo_ld.errors.TryLater`) also says ``Retry-After`` and, in
the body, which limit was hit (``"limit"``).

:func:`error_answer` needs no Flask (the front door's direct path uses it);
:func:`register` installs the same answers as the application's error handlers.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

from flask import Flask, Response, render_template, render_template_string, request
from jinja2 import TemplateNotFound
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header

from .. import pages
from ..errors import (
    IndexNotReady,
    NgoLdError,
    NotAcceptable,
    OverShare,
    QueryCrashed,
    QueryError,
    QueryRefused,
    QueryTimeout,
    QueryTooLarge,
    ServiceBusy,
    TryLater,
    UnknownResource,
    UpstreamError,
    UpstreamTimeout,
)
from ..formats import Format, without_parameters
from .language import page_language

#: The status of each error class; a subclass takes its nearest listed ancestor's.
STATUS: dict[type[NgoLdError], int] = {
    QueryError: 400,
    QueryRefused: 403,
    UnknownResource: 404,
    NotAcceptable: 406,
    QueryTooLarge: 413,
    OverShare: 429,
    QueryCrashed: 500,
    UpstreamError: 502,
    UpstreamTimeout: 503,
    ServiceBusy: 503,
    IndexNotReady: 503,
    QueryTimeout: 503,
}

_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ status }} {{ title }} — ngo_ld</title></head>
<body><h1>{{ status }} {{ title }}</h1><p>{{ message }}</p>
{% if hint %}<p>{{ hint }}</p>{% endif %}<p><a href="/">ngo_ld home</a></p></body></html>"""

#: A complete answer: status line, headers, body.
Answer = tuple[str, list[tuple[str, str]], bytes]


_log = logging.getLogger(__name__)


def told(exc: NgoLdError) -> tuple[str, str]:
    """The message and hint a client is told of ``exc``. A remote store's failure names the
    endpoint, its setting and the engine's own words: those go to the server log, in one
    line, and the client learns only that the store is unavailable and to try again."""
    if isinstance(exc, UpstreamError):
        _log.warning("remote store: %s", " ".join(str(exc).split()))
        return exc.public_message, exc.public_hint
    return exc.message, exc.hint


def status_for(exc: NgoLdError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def reason(status: int) -> str:
    """The reason phrase of ``status`` (``400`` → ``Bad Request``)."""
    return HTTP_STATUS_CODES.get(status, "Error")


def error_headers(exc: NgoLdError, path: str) -> dict[str, str]:
    """What an error's answer says beyond its body: ``Retry-After`` for work refused for
    now; for 406, ``Vary`` and the ``Link`` alternates of what can be served (the URL of
    each format where there is one, else this URL, negotiated); for a 404 told in a
    format, ``Vary`` and the thing's other representations, if it has any."""
    headers: dict[str, str] = {}
    if isinstance(exc, TryLater):
        headers["Retry-After"] = str(exc.retry_after)
        headers["Cache-Control"] = "no-store"
    if isinstance(exc, NotAcceptable):
        headers["Vary"] = "Accept"
        headers["Link"] = exc.links or ", ".join(
            f'<{path}>; rel="alternate"; type="{m}"' for m in exc.offered)
    if isinstance(exc, UnknownResource) and exc.format is not None:
        headers["Vary"] = "Accept"
        if exc.links:
            headers["Link"] = exc.links
    return headers


def named_by_client(fmt: Format, accept_header: str | None, path: str,
                    format_values: list[str]) -> bool:
    """Whether the client named ``fmt`` itself: by the URL's extension, a ``?format=``
    value, or its media type (or an alias) in Accept with a quality above 0. A wildcard
    names nothing, so ``*/*`` gets an error as JSON on every route."""
    if path.endswith(f".{fmt.extension}"):
        return True
    if any(fmt.is_called(v.strip().lower()) for v in format_values):
        return True
    accept = without_parameters(parse_accept_header(accept_header, MIMEAccept))
    return any(q > 0 and value in (fmt.media_type, *fmt.aliases) for value, q in accept)


def page_message(status: int, message: str, exc: object = None) -> tuple[str, str]:
    """(title, message) of an error page: a 404 in the reader's language (the name asked
    for, or that nothing is published at the address); other errors as raised, with
    their reason phrase."""
    if status != 404:
        return reason(status), message
    ui = pages.ui_strings(page_language()[0])
    if isinstance(exc, UnknownResource) and exc.name:
        return ui["not_found"], ui["nothing_called"].format(exc.name)
    return ui["not_found"], ui["not_found_path"]


def not_found_body(fmt: Format, message: str, exc: UnknownResource | None = None) -> str:
    """A 404's body in the format asked for: an empty graph with a comment for RDF formats,
    so an RDF client still parses what it asked for; the site's page for browsers, in
    their language."""
    if fmt.kind == "html":
        title, text = page_message(404, message, exc)
        return render_template("error.html", status=404, title=title, message=text)
    safe = message.replace("\n", " ").replace("--", "- -")
    if fmt.token in ("turtle", "ntriples"):
        return f"# 404 Not Found: {safe}\n"
    if fmt.token == "jsonld":
        return json.dumps({"@context": {}, "@graph": [], "error": {
            "status": 404, "title": "Not Found", "message": message}}, ensure_ascii=False)
    if fmt.token == "rdfxml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<!-- 404 Not Found: '
                f'{safe.replace("<", "&lt;")} -->\n<rdf:RDF xmlns:rdf='
                '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    return f"404 Not Found: {message}\n"


def _body_fields(status: int, title: str, message: str, hint: str,
                 exc: NgoLdError | None) -> dict[str, object]:
    fields: dict[str, object] = {"status": status, "title": title, "message": message,
                                 "hint": hint}
    if isinstance(exc, TryLater):
        fields["limit"] = exc.limit
        fields["retry_after"] = exc.retry_after
    return fields


def _machine_body(kind: str, status: int, title: str, message: str, hint: str,
                  exc: NgoLdError | None) -> tuple[str, bytes]:
    if kind == "text/plain":
        limit = f"\nlimit: {exc.limit}; retry after {exc.retry_after} s" if isinstance(
            exc, TryLater) else ""
        text = f"{status} {title}: {message}" + (f"\n{hint}" if hint else "") + limit + "\n"
        return "text/plain; charset=utf-8", text.encode("utf-8")
    body = json.dumps({"error": _body_fields(status, title, message, hint, exc)},
                      ensure_ascii=False)
    return "application/json; charset=utf-8", body.encode("utf-8")


def _best(accept: MIMEAccept) -> str:
    return accept.best_match(["application/json", "text/html", "text/plain"],  # type: ignore[no-any-return]
                             default="application/json")


@lru_cache(maxsize=256)
def errors_in_html(accept_header: str | None) -> bool:
    """Whether this ``Accept`` header gets its errors as an HTML page (rendered in the
    site's frame, by the application) rather than JSON or plain text."""
    accept = parse_accept_header(accept_header, MIMEAccept)
    return _best(accept) == "text/html" and accept["text/html"] > accept["application/json"]


def error_answer(exc: NgoLdError, accept_header: str | None, path: str) -> Answer:
    """The answer to ``exc`` for a client whose errors are not HTML
    (see :func:`errors_in_html`); needs no Flask."""
    best = _best(parse_accept_header(accept_header, MIMEAccept))
    status = status_for(exc)
    content_type, body = _machine_body(best, status, reason(status), *told(exc), exc)
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))),
               *error_headers(exc, path).items()]
    return f"{status} {reason(status).upper()}", headers, body  # as Werkzeug writes it


#: Blueprints whose errors are JSON whatever the Accept header says: APIs whose clients
#: read only JSON (OpenRefine's Java client sends an Accept header that prefers HTML).
JSON_ONLY_BLUEPRINTS = frozenset({"reconcile"})


def error_response(status: int, title: str, message: str, hint: str = "",
                   extra_headers: dict[str, str] | None = None,
                   exc: NgoLdError | None = None) -> Response:
    """One error body, in HTML, JSON or plain text according to Accept (``title``: the
    reason phrase, by default that of ``status``); always JSON from the APIs of
    :data:`JSON_ONLY_BLUEPRINTS`."""
    title = title or reason(status)
    accept = request.accept_mimetypes
    best = "application/json" if request.blueprint in JSON_ONLY_BLUEPRINTS else _best(accept)
    if best == "text/html" and accept["text/html"] > accept["application/json"]:
        if status == 404:
            title, message = page_message(status, message, exc)
        try:  # the site's own error page (templates/error.html), in the site's frame
            body = render_template("error.html", status=status, title=title, message=message,
                                   hint=hint)
        except TemplateNotFound:
            body = render_template_string(_HTML, status=status, title=title, message=message,
                                          hint=hint)
        response = Response(body, status, content_type="text/html; charset=utf-8")
    else:
        content_type, data = _machine_body(best, status, title, message, hint, exc)
        response = Response(data, status, content_type=content_type)
    for key, value in (extra_headers or {}).items():
        response.headers[key] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(NgoLdError)
    def _project_error(exc: NgoLdError) -> Response:
        status = status_for(exc)
        headers = error_headers(exc, request.path)
        if isinstance(exc, UnknownResource) and exc.format is not None and named_by_client(
                exc.format, request.headers.get("Accept"), request.path,
                request.args.getlist("format")):
            return Response(not_found_body(exc.format, exc.message, exc), status,
                            content_type=exc.format.content_type, headers=headers)
        return error_response(status, reason(status), *told(exc), headers, exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        message = exc.description or ""
        if isinstance(exc, RequestEntityTooLarge):
            message = (f"the request is larger than {app.config['MAX_CONTENT_LENGTH']:,} "
                       "bytes, the most this server reads: send less (for /reconcile, fewer "
                       "queries in one batch)")
        response = error_response(exc.code or 500, exc.name, message)
        for key, value in exc.get_headers():
            if key.lower() == "allow":  # 405 says what is allowed
                response.headers["Allow"] = value
        return response
