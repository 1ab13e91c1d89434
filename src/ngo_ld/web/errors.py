"""Errors mapped once: error class → HTTP status, body in a format the client reads.

Browsers get a small HTML page, everyone else a JSON body of one shape
``{"error": {"status", "title", "message", "hint"}}`` (plain text for ``text/*`` clients).
"""

from __future__ import annotations

from flask import Flask, Response, render_template, render_template_string, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..errors import (
    NgoLdError,
    NotAcceptable,
    QueryError,
    UnknownResource,
    UpstreamError,
    UpstreamTimeout,
)

STATUS: dict[type[NgoLdError], int] = {
    UnknownResource: 404,
    NotAcceptable: 406,
    QueryError: 400,
    UpstreamTimeout: 503,
    UpstreamError: 502,
}

_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ status }} {{ title }} — ngo_ld</title></head>
<body><h1>{{ status }} {{ title }}</h1><p>{{ message }}</p>
{% if hint %}<p>{{ hint }}</p>{% endif %}<p><a href="/">ngo_ld home</a></p></body></html>"""


def status_for(exc: NgoLdError) -> int:
    explicit = getattr(exc, "status", None)
    if isinstance(explicit, int):
        return explicit
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def reason(status: int) -> str:
    """The reason phrase of ``status`` (``400`` → ``Bad Request``)."""
    return HTTP_STATUS_CODES.get(status, "Error")


def error_response(status: int, title: str, message: str, hint: str = "",
                   extra_headers: dict[str, str] | None = None) -> Response:
    """One error body, in HTML, JSON or plain text according to Accept (``title``: the
    reason phrase, by default that of ``status``)."""
    title = title or reason(status)
    accept = request.accept_mimetypes
    best = accept.best_match(["application/json", "text/html", "text/plain"],
                             default="application/json")
    if best == "text/html" and accept["text/html"] > accept["application/json"]:
        try:  # the site's own error page (templates/error.html), in the site's frame
            body = render_template("error.html", status=status, title=title, message=message,
                                   hint=hint)
        except TemplateNotFound:
            body = render_template_string(_HTML, status=status, title=title, message=message,
                                          hint=hint)
        response = Response(body, status, content_type="text/html; charset=utf-8")
    elif best == "text/plain":
        text = f"{status} {title}: {message}" + (f"\n{hint}" if hint else "") + "\n"
        response = Response(text, status, content_type="text/plain; charset=utf-8")
    else:
        import json

        body = json.dumps({"error": {"status": status, "title": title, "message": message,
                                     "hint": hint}}, ensure_ascii=False)
        response = Response(body, status, content_type="application/json; charset=utf-8")
    for key, value in (extra_headers or {}).items():
        response.headers[key] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(NgoLdError)
    def _project_error(exc: NgoLdError) -> Response:
        status = status_for(exc)
        headers = {}
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        if isinstance(exc, NotAcceptable):
            headers["Vary"] = "Accept"
            # Say what can be served, in the body (hint) and as a header a client can read:
            # the URL of each format where there is one (set by resources.chosen_format),
            # else this URL (negotiated: the SPARQL endpoint).
            links = getattr(exc, "links", None)
            headers["Link"] = links or ", ".join(
                f'<{request.path}>; rel="alternate"; type="{m}"' for m in exc.offered)
        return error_response(status, reason(status), exc.message, exc.hint, headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, exc.name, exc.description or "")
        for key, value in exc.get_headers():
            if key.lower() == "allow":  # 405 says what is allowed
                response.headers["Allow"] = value
        return response
