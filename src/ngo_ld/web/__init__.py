"""The web application: Linked Data documents, the SPARQL endpoint, dumps."""

from .app import InvalidData, Site, create_app, site

__all__ = ["InvalidData", "Site", "create_app", "site"]
