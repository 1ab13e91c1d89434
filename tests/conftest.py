"""Shared fixtures, built from the factory (flaskr's habit): settings, store, app, client.

The real data never changes during a run, so these are session-scoped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from engines import Engine, start_oxigraph, start_virtuoso
from ngo_ld.config import Settings
from ngo_ld.store import GraphStore
from ngo_ld.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(home=ROOT, cache_dir=tmp_path_factory.mktemp("ngo-ld-cache"))


@pytest.fixture(scope="session")
def store(settings: Settings) -> GraphStore:
    return open_store(settings)


@pytest.fixture(scope="session")
def app(settings: Settings, store: GraphStore) -> Iterator[Flask]:
    from ngo_ld.web import create_app

    application = create_app(settings, store=store)
    application.config["TESTING"] = True
    yield application


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def ld_server() -> Iterator[object]:
    """One real ``ngo-ld serve`` for the Linked Data tests (documents, dumps, browser)."""
    from live import live_server

    with live_server() as server:
        yield server


# --- SPARQL engines behind the remote store (tests/engines.py) ------------------------------


def _engine(start: Callable[..., Engine], folder: Path) -> Iterator[Engine]:
    """Started once per session, stopped by PID at the end; skipped (with the reason) where
    the engine is not installed. Tests that freeze or stop it put it back as it was."""
    try:
        engine = start(folder, ROOT)
    except RuntimeError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))
        raise
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="session")
def oxigraph_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Oxigraph's server holding the release, loaded with ``ngo-ld load-remote``."""
    yield from _engine(start_oxigraph, tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture(scope="session")
def virtuoso_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Virtuoso holding the release, loaded with ``ngo-ld load-remote --virtuoso``."""
    yield from _engine(start_virtuoso, tmp_path_factory.mktemp("virtuoso"))
