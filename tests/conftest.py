"""Shared fixtures: the bundled gazetteer (built and committed) and a pipeline over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.gazetteer import Gazetteer, load_gazetteer
from geomap.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "aljazeera-north-syria.txt"
SOURCES = ROOT.parent / "shared" / "data" / "gazetteer-sources"


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def pipeline(gaz: Gazetteer) -> Pipeline:
    return Pipeline(gaz)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
