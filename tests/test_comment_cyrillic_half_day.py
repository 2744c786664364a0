"""Russian and Ukrainian WordPress write the 12-hour clock's half of the day after the time
("27.02.2013 в 10:08 дп", "2:00 пп"): the afternoon's hours are read as such, and 12 дп is
just after midnight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpsearch.extract.comment_dates import parse_visible_date


@pytest.mark.parametrize(
    ("shown", "want"),
    [
        ("27.02.2013 в 10:08 дп", datetime(2013, 2, 27, 10, 8)),
        ("20.04.2013 в 2:00 пп", datetime(2013, 4, 20, 14, 0)),
        ("01.01.2013 в 12:40 дп", datetime(2013, 1, 1, 0, 40)),
        ("01.01.2013 в 12:40 пп", datetime(2013, 1, 1, 12, 40)),
        ("19.09.2013 о 1:51 ПП", datetime(2013, 9, 19, 13, 51)),
        # a 24-hour time, and a word that merely starts with the letters, change nothing
        ("19.09.2013 в 13:51", datetime(2013, 9, 19, 13, 51)),
        ("19.09.2013 в 1:51 ппц", datetime(2013, 9, 19, 1, 51)),
    ],
)
def test_the_half_of_the_day_after_the_time(shown: str, want: datetime) -> None:
    found = parse_visible_date(shown, UTC)
    assert found is not None and found.value is not None
    assert found.value == want.replace(tzinfo=UTC)
