from pathlib import Path

import pytest

from corpsearch.config import CONFIG_FILE, JobSettings, find_config, load_config
from corpsearch.errors import ConfigError


def test_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        'sources = ["pages", "/abs/more"]\nindex = "idx"\nprofiles = "profiles"\n'
        'site_tz = "Asia/Beirut"\nbatch = 50\nworkers = 2\nwait = 1.5\nkeep_removed = true\n',
        "utf-8",
    )
    settings = load_config(find_config(None, tmp_path))
    base = tmp_path.resolve()
    assert settings.sources == (base / "pages", Path("/abs/more"))
    assert settings.index == base / "idx"
    assert settings.profiles == (base / "profiles",)
    assert settings.site_tz == "Asia/Beirut"
    assert (settings.batch, settings.workers, settings.wait, settings.keep_removed) == (
        50,
        2,
        1.5,
        True,
    )


def test_options_override_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('index = "idx"\nbatch = 50\n', "utf-8")
    settings = load_config(path).with_overrides(index=Path("other"), batch=None, wait=2.0)
    assert settings.index == Path("other")
    assert settings.batch == 50
    assert settings.wait == 2.0


def test_no_file_means_defaults(tmp_path: Path) -> None:
    assert find_config(None, tmp_path) is None
    assert load_config(None) == JobSettings()
    with pytest.raises(ConfigError, match="does not exist"):
        find_config(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sorces = ['x']", "unknown setting"),
        ("site_tz = 'Mars/Olympus'", "unknown time zone"),
        ("batch = 0", "at least 1"),
        ("batch = 'ten'", "wrong type"),
        ("keep_removed = 1", "wrong type"),
        ("engine = 'lucene'", "unknown engine"),
        ("sources = [1]", "list of paths"),
        ("sources = [", "not valid TOML"),
    ],
)
def test_bad_files_get_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / CONFIG_FILE
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)
