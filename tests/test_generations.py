from pathlib import Path

from corpsearch.generations import (
    CURRENT_FILE,
    current_generation,
    generation_folders,
    new_generation,
    remove_old_generations,
    resolve,
    switch_to,
)


def test_simple_layout_resolves_to_itself(tmp_path: Path) -> None:
    assert current_generation(tmp_path) is None
    assert resolve(tmp_path) == tmp_path
    assert new_generation(tmp_path).name == "gen-000001"


def test_switch_and_clean_up(tmp_path: Path) -> None:
    (tmp_path / "corpsearch.json").write_text("{}")
    for _ in range(3):
        generation = new_generation(tmp_path)
        generation.mkdir()
        switch_to(tmp_path, generation)
        assert resolve(tmp_path) == generation
        remove_old_generations(tmp_path)
    assert (tmp_path / CURRENT_FILE).read_text().strip() == "gen-000003"
    # the current generation and the one before it stay; older ones and the simple layout go
    assert [g.name for g in generation_folders(tmp_path)] == ["gen-000002", "gen-000003"]
    assert not (tmp_path / "corpsearch.json").exists()
    assert not list(tmp_path.glob(".*tmp"))
