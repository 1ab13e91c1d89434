"""Which store the settings ask for: above :mod:`ngo_ld.store` (the interface and the
in-memory store), :mod:`ngo_ld.backends` (disk) and :mod:`ngo_ld.remote` (remote), so
none imports the others' users. A backend is added by adding its branch here.
"""

from __future__ import annotations

from .backends import open_disk_store
from .config import Settings
from .errors import ConfigError
from .loading import source_files
from .remote import open_remote_store
from .store import GraphStore, OxigraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store the settings ask for, loaded and ready to query.

    :raises LoadError: a source file does not parse.
    :raises ConfigError: the backend is unknown or misconfigured.
    """
    if settings.store == "memory":
        return OxigraphStore.from_files(source_files(settings), base_iri=settings.base_iri)
    if settings.store == "disk":
        return open_disk_store(settings)
    if settings.store == "remote":
        return open_remote_store(settings)
    raise ConfigError(f"unknown store backend {settings.store!r}",
                      hint="set NGO_LD_STORE to memory, disk or remote")
