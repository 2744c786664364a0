"""Facet counts and histograms over the seed's comments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from corpsearch import ConfigError, Index
from corpsearch.engine.base import DocValues
from corpsearch.facets import period_key, summarise
from corpsearch.query.ast import MatchAll

from .conftest import SEED_TEXT


@pytest.fixture()
def seed_values(seed_index: Index) -> list[DocValues]:
    return list(seed_index.engine.scan(MatchAll()))


def test_counts_by_author_and_kind(seed_values: list[DocValues]) -> None:
    summary = summarise(seed_values, facets=["author", "kind", "site"])
    assert summary.total == 6
    assert summary.facets["author"] == [("_mowaten_", 4), ("(none)", 1), ("imagine_1979", 1)]
    assert summary.facets["kind"] == [("comment", 5), ("article", 1)]
    assert summary.facets["site"] == [("naharnet.com", 6)]
    assert summarise(seed_values, facets=["author"], top=1).facets["author"] == [("_mowaten_", 4)]


def test_periods_are_read_in_the_given_zone(seed_values: list[DocValues]) -> None:
    # 11:11-14:43 UTC is the 13th in UTC and in Beirut, the 14th on Kiritimati (UTC+14)
    assert summarise(seed_values, facets=["day"]).facets["day"][0] == ("2014-09-13", 5)
    kiritimati = summarise(seed_values, facets=["day"], tz=ZoneInfo("Pacific/Kiritimati"))
    assert kiritimati.facets["day"][0] == ("2014-09-14", 5)
    assert summarise(seed_values, facets=["week"]).facets["week"][0] == ("2014-W37", 5)
    assert summarise(seed_values, facets=["year"]).facets["year"] == [("2014", 5), ("(none)", 1)]


def test_histogram_lists_empty_periods_between_hits() -> None:
    def at(day: str) -> DocValues:
        when = datetime.fromisoformat(day).replace(tzinfo=UTC)
        return DocValues(id=day, kind="comment", article_id="a", author=None, site=None, date=when)

    values = [at("2014-09-13"), at("2014-09-13"), at("2014-11-02"), at("2015-01-31")]
    summary = summarise(values, histogram="month")
    assert [(b.key, b.count) for b in summary.histogram] == [
        ("2014-09", 2),
        ("2014-10", 0),
        ("2014-11", 1),
        ("2014-12", 0),
        ("2015-01", 1),
    ]
    weeks = summarise(values[:3], histogram="week").histogram
    assert weeks[0].start == date(2014, 9, 8) and weeks[0].key == "2014-W37"
    assert len(weeks) == 8 and sum(b.count for b in weeks) == 3
    assert summary.to_dict()["histogram"] == {
        "unit": "month",
        "buckets": [b.to_dict() for b in summary.histogram],
        "undated": 0,
    }


def test_iso_week_keys_at_year_ends() -> None:
    assert period_key(date(2014, 12, 29), "week") == "2015-W01"
    assert period_key(date(2016, 1, 3), "week") == "2015-W53"


def test_unknown_facet_or_unit() -> None:
    with pytest.raises(ConfigError, match="unknown facet 'colour'"):
        summarise([], facets=["colour"])
    with pytest.raises(ConfigError, match="unknown histogram unit"):
        summarise([], histogram="hour")


def test_summary_through_the_index(seed_index: Index) -> None:
    summary = seed_index.summary("civilians OR chupachups", facets=["author"], histogram="day")
    assert summary.total == 3
    assert dict(summary.facets["author"]) == {"_mowaten_": 2, "imagine_1979": 1}
    assert [(b.key, b.count) for b in summary.histogram] == [("2014-09-13", 3)]
    assert SEED_TEXT.exists()
