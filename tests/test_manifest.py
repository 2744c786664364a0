from pathlib import Path

from corpsearch.manifest import MANIFEST_FILE, Entry, Manifest


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / MANIFEST_FILE, "key1")
    manifest.entries["/p/a.html"] = Entry(10, 123456789, "ab" * 32, ("id1",))
    manifest.entries["/p/b.html"] = Entry(20, 5, "cd" * 32, ("id2", "id3"))
    manifest.save()
    loaded = Manifest.load(tmp_path)
    assert loaded.settings == "key1"
    assert loaded.entries == manifest.entries
    assert not list(tmp_path.glob(".*tmp"))


def test_an_unreadable_manifest_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_FILE).write_text('{"format": "corpsearch-manifest", "vers', "utf-8")
    assert len(Manifest.load(tmp_path)) == 0
    (tmp_path / MANIFEST_FILE).write_text('{"format": "other"}', "utf-8")
    assert len(Manifest.load(tmp_path)) == 0


def test_under_matches_whole_folder_names_only(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / MANIFEST_FILE)
    for source in ("/p/a.html", "/p/sub/b.html", "/p2/c.html", "/p"):
        manifest.entries[source] = Entry(1, 1, "", ("x",))
    assert sorted(manifest.under("/p")) == ["/p", "/p/a.html", "/p/sub/b.html"]
    assert sorted(manifest.under("/p/")) == ["/p/a.html", "/p/sub/b.html"]
    assert manifest.owners() == {"x": 4}


def test_same_stat() -> None:
    entry = Entry(10, 99, "h", ())
    assert entry.same_stat(10, 99)
    assert not entry.same_stat(10, 100)
    assert not entry.same_stat(11, 99)
