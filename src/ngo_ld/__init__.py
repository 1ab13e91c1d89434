"""ngo_ld: ASTRA's international collaborations published as W3C ORG Linked Data.

The small public API: :func:`load_store` builds the queryable store, :func:`validate`
checks the data against the shapes, :func:`create_app` builds the web application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask

    from .config import Settings
    from .store import GraphStore
    from .validation import ValidationOutcome


def load_store(settings: Settings | None = None) -> GraphStore:
    """Open the store the settings name (the in-memory one by default)."""
    from .config import Settings
    from .stores import open_store

    return open_store(settings or Settings.from_env())


def validate(settings: Settings | None = None, **kwargs: Any) -> ValidationOutcome:
    """Validate data/, ontology/ and metadata/ against shapes/."""
    from .config import Settings
    from .validation import validate_sources

    return validate_sources(settings or Settings.from_env(), **kwargs)


def create_app(settings: Settings | None = None) -> Flask:
    """Build the Flask application (see :mod:`ngo_ld.web`)."""
    from .web import create_app as _create_app

    return _create_app(settings)


__all__ = ["__version__", "create_app", "load_store", "validate"]
