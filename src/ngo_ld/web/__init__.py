"""The web application: Linked Data documents, the SPARQL endpoint, dumps."""

from ..errors import InvalidData
from .app import create_app
from .site import Site, site

__all__ = ["InvalidData", "Site", "create_app", "site"]
