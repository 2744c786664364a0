from __future__ import annotations

from pathlib import Path

import pytest

from corpsearch import Index

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEED_TEXT = FIXTURES / "seed" / "000_0b9b997b58ed1954.txt"
SEED_HTML = FIXTURES / "seed" / "seed_page.html"
PAGES = FIXTURES / "pages"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture()
def seed_index(tmp_path: Path) -> Index:
    index = Index.create(tmp_path / "index")
    index.add([SEED_TEXT])
    yield index
    index.close()
