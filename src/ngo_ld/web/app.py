"""The application factory.

``create_app(settings)`` opens the store once, validates the data (remembered per data
version), registers the blueprints and the error table, and adds CORS headers. Tests and
``ngo-ld serve`` each build their own (flaskr's ``create_app(test_config)``).
"""

from __future__ import annotations

import time

from flask import Flask, Response, jsonify, request

from ..config import Settings
from ..errors import InvalidData, UpstreamError
from ..store import GraphStore
from ..stores import open_store
from ..validation import validate_sources
from ..version import __version__
from . import dataset_page, dumps, errors, graphs, index, reconcile, resources, search, sparql
from .frontdoor import FrontDoor
from .language import chrome
from .site import CONTENT_SECURITY_POLICY, CORS_HEADERS, Site, site

#: The parts of the site: modules of this package, each with a ``blueprint``. A part is
#: added by importing its module and naming it here.
BLUEPRINTS = (sparql, resources, dumps, graphs, search, index, reconcile, dataset_page)


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> Flask:
    """Build the application.

    :raises InvalidData: validation is on and the data does not conform.
    :raises LoadError: a source file does not parse.
    """
    settings = settings or Settings.from_env()
    store = store if store is not None else open_store(settings)
    outcome = None
    if settings.validate_on_start:
        outcome = validate_sources(settings, remember=True)
        if not outcome.conforms:
            raise InvalidData(outcome.to_text(), len(outcome.violations))

    # The app is named after the package (ngo_ld), so these are src/ngo_ld/templates and
    # src/ngo_ld/static.
    app = Flask(__name__.rsplit(".", 2)[0], template_folder="templates",
                static_folder="static")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["ngo_ld"] = Site(settings=settings, store=store, validation=outcome)

    errors.register(app)
    app.context_processor(chrome)
    for part in BLUEPRINTS:
        app.register_blueprint(part.blueprint)
    app.after_request(_cors)
    direct = sparql.direct_answerer(app)
    app.wsgi_app = FrontDoor(  # type: ignore[method-assign]
        app.wsgi_app, max_entries=settings.answer_cache_entries,
        max_bytes=settings.answer_cache_bytes,
        log_fd=2 if settings.access_log else None, direct=direct,
    )

    @app.get("/healthz")
    def healthz() -> Response:
        """Is the graph loaded and valid? For load balancers and monitoring."""
        s = site()
        valid = None if s.validation is None else s.validation.conforms
        body = {
            "status": "ok" if valid is not False else "invalid",
            "loaded": True,
            "valid": valid,
            "store": s.settings.store,
            "version": __version__,
            "uptime_seconds": round(time.time() - s.started_at, 1),
        }
        try:
            ping = getattr(s.store, "ping", None)  # a remote store: is its engine up now?
            if ping is not None:
                ping()
            body.update(triples=len(s.store), data_version=s.store.version)
        except UpstreamError as exc:
            body.update(status="unavailable", loaded=False, error=errors.told(exc)[0])
        response = jsonify(body)
        if body["status"] == "unavailable":
            response.status_code = 503
        response.headers["Cache-Control"] = "no-store"
        return response

    return app


def _cors(response: Response) -> Response:
    """Open data: any origin may read (the contract's ``Access-Control-Allow-Origin: *``)."""
    response.headers[CORS_HEADERS[0][0]] = CORS_HEADERS[0][1]
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            request.headers.get("Access-Control-Request-Headers") or "Accept, Content-Type"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    if response.mimetype == "text/html":
        # No script runs on these pages (the JSON-LD blocks are data, not scripts): a
        # hostile IRI or label that slipped past escaping still cannot execute.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault(*CORS_HEADERS[1])
    return response
