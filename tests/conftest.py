"""Shared fixtures, built from the factory (flaskr's habit): settings, store, app, client.

The real data never changes during a run, so these are session-scoped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

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
