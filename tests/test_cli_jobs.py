import pytest

from corpsearch.cli_jobs import parse_every
from corpsearch.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("1d", 86400),
        ("0.5s", 0.5),
    ],
)
def test_parse_every(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "15x", "m", "0", "-5m"])
def test_parse_every_refuses(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_every(text)
