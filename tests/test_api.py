"""The public Python API: an explicit ``__all__``, and the README's example runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import corpsearch

from .conftest import ROOT


def test_public_names() -> None:
    assert sorted(corpsearch.__all__) == sorted(set(corpsearch.__all__))
    for name in corpsearch.__all__:
        assert hasattr(corpsearch, name), name
    assert {"Index", "open_index", "Article", "Comment", "CorpsearchError", "QueryError"} <= set(
        corpsearch.__all__
    )


def test_errors_form_one_hierarchy() -> None:
    for name in corpsearch.__all__:
        value = getattr(corpsearch, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, corpsearch.CorpsearchError), name


def test_readme_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    os.symlink(ROOT / "fixtures", tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 articles, 5 comments, 0 failed"
    assert out[1].endswith("_mowaten_ U.S. Insists No Anti-Jihadist Coordination with Assad")
    assert out[1].startswith("2014-09-13T14:32:00+03:00")
    assert out[-1] == "U.S. Insists No Anti-Jihadist Coordination with Assad 5"
