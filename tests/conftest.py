from __future__ import annotations

from pathlib import Path

import pytest

from corpsearch import Index
from corpsearch.engine import ENGINES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEED_TEXT = FIXTURES / "seed" / "000_0b9b997b58ed1954.txt"
SEED_HTML = FIXTURES / "seed" / "seed_page.html"
PAGES = FIXTURES / "pages"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: tests that take this fixture run on every engine."""
    return str(request.param)


@pytest.fixture()
def seed_index(tmp_path: Path, engine: str) -> Index:
    index = Index.create(tmp_path / "index", engine=engine)
    index.add([SEED_TEXT])
    yield index
    index.close()
