"""The runnable examples in docstrings are part of the documentation: they must hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["ngo_ld.formats", "ngo_ld.namespaces", "ngo_ld.sparql", "ngo_ld.pages",
           "ngo_ld.pages.languages", "ngo_ld.pages.cyrillic", "ngo_ld.loading", "ngo_ld.remote",
           "ngo_ld.search"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
