"""The Python API as a researcher calls it: one path as a string, results as a sequence, dates
as dates, ids and threads, and every error the library raises in the one hierarchy."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import corpsearch
from corpsearch import Index, errors

from .conftest import PAGES, SEED_HTML


def test_a_string_is_one_path_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PAGES.parent)
    with Index.create(tmp_path / "index") as index:
        report = index.add("pages/")  # used to be walked as the paths "p", "a", "g", ...
        assert report.pages == len(list(PAGES.iterdir())) and not report.failures
        assert index.add(Path("seed") / "seed_page.html").pages == 1
    records = list(corpsearch.extract_paths("seed/seed_page.html"))
    assert len(records) == 1 and isinstance(records[0], corpsearch.Article)
    assert [type(d).__name__ for d in corpsearch.iter_sources(str(SEED_HTML))] == ["SourceDocument"]


@pytest.fixture()
def seed(tmp_path: Path) -> Index:
    index = Index.create(tmp_path / "index")
    index.add([SEED_HTML])
    yield index
    index.close()


def test_search_result_is_a_sequence_of_its_hits(seed: Index) -> None:
    result = seed.search("author:_mowaten_", limit=3)
    assert len(result) == 3 and result.total == 4
    assert [hit.author for hit in result] == ["_mowaten_"] * 3
    grouped = seed.search("author:_mowaten_", group="article")
    assert len(grouped) == 1 and [hit.kind for hit in grouped] == ["article"]


def test_since_and_until_take_dates_and_datetimes(seed: Index) -> None:
    beirut = ZoneInfo("Asia/Beirut")
    by_text = seed.search("kind:comment", since="2014-09-13", until="2014-09-13", tz=beirut)
    by_date = seed.search(
        "kind:comment", since=date(2014, 9, 13), until=date(2014, 9, 13), tz=beirut
    )
    assert by_text.total == by_date.total == 5
    later = seed.search("kind:comment", since=datetime(2014, 9, 13, 17, 0, tzinfo=beirut))
    assert later.total == 3  # 17:11, 17:24 and 17:26 local time
    assert seed.search("kind:comment", until=date(2014, 9, 12)).total == 0


def test_get_and_thread(seed: Index) -> None:
    hit = seed.search('quote:"kill their own people"').hits[0]
    doc = seed.get(hit.id[:6])
    assert doc.id == hit.id and doc.kind == "comment" and "Bushes" in doc.text
    thread = seed.thread(hit.id)
    assert thread.focus == hit.id and len(thread.entries) == 5
    assert thread.article.headline == "U.S. Insists No Anti-Jihadist Coordination with Assad"
    with pytest.raises(corpsearch.DocumentNotFoundError):
        seed.get("ffffffffffffffff")


def test_opening_a_file_as_an_index_is_the_projects_error(tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    with pytest.raises(corpsearch.IndexNotFoundError, match="is a file, not an index folder"):
        Index.open(afile)
    with pytest.raises(corpsearch.IndexNotFoundError):
        corpsearch.open_index(afile)


def test_every_error_class_is_exported_and_in_the_documented_tree() -> None:
    for module in pkgutil.walk_packages(corpsearch.__path__, "corpsearch."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: set[type] = set()
    stack: list[type] = [corpsearch.CorpsearchError]
    while stack:
        kind = stack.pop()
        found.add(kind)
        stack.extend(kind.__subclasses__())
    tree = errors.__doc__ or ""
    for kind in found:
        assert getattr(corpsearch, kind.__name__, None) is kind, f"{kind.__name__} not exported"
        assert kind.__name__ in corpsearch.__all__, kind.__name__
        assert kind.__name__ in tree, f"{kind.__name__} missing from the errors docstring"
