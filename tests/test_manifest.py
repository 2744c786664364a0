from pathlib import Path

from corpsearch.manifest import JOURNAL_FILE, MANIFEST_FILE, Entry, Manifest

A = Entry(10, 123456789, "ab" * 32, ("id1",))
B = Entry(20, 5, "cd" * 32, ("id2", "id3"))


def test_changes_are_journalled_then_compacted(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, "key1")
    manifest.set("/p/a.html", A)
    manifest.set("/p/b.html", B)
    assert manifest.changed
    manifest.save()
    assert not manifest.changed
    assert not (tmp_path / MANIFEST_FILE).exists()
    manifest.remove("/p/a.html")
    manifest.save()
    assert len((tmp_path / JOURNAL_FILE).read_text().splitlines()) == 2
    manifest.settings = "key1"
    manifest.compact()
    assert not (tmp_path / JOURNAL_FILE).exists()
    loaded = Manifest.load(tmp_path)
    assert loaded.settings == "key1"
    assert loaded.entries == {"/p/b.html": B}
    assert not list(tmp_path.glob(".*tmp"))


def test_a_journal_is_replayed_on_load_and_a_torn_line_ignored(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, "key")
    manifest.compact()
    manifest.set("/p/a.html", A)
    manifest.save()
    manifest.set("/p/b.html", B)
    manifest.save()
    with (tmp_path / JOURNAL_FILE).open("a") as handle:
        handle.write('{"set": {"/p/c.html": [1, 2')  # a crash in the middle of an append
    loaded = Manifest.load(tmp_path)
    assert loaded.entries == {"/p/a.html": A, "/p/b.html": B}
    assert not (tmp_path / JOURNAL_FILE).exists()  # folded into the snapshot
    assert Manifest.load(tmp_path).entries == loaded.entries


def test_replaying_a_journal_already_in_the_snapshot_changes_nothing(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, "key")
    manifest.set("/p/a.html", A)
    manifest.save()
    manifest.remove("/p/a.html")
    manifest.set("/p/b.html", B)
    manifest.save()
    journal = (tmp_path / JOURNAL_FILE).read_text()
    manifest.compact()
    # a crash after the new snapshot but before the journal was removed
    (tmp_path / JOURNAL_FILE).write_text(journal)
    assert Manifest.load(tmp_path).entries == {"/p/b.html": B}


def test_an_unreadable_manifest_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_FILE).write_text('{"format": "corpsearch-manifest", "vers', "utf-8")
    assert len(Manifest.load(tmp_path)) == 0
    (tmp_path / MANIFEST_FILE).write_text('{"format": "other"}', "utf-8")
    assert len(Manifest.load(tmp_path)) == 0


def test_under_matches_whole_folder_names_only(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    for source in ("/p/a.html", "/p/sub/b.html", "/p2/c.html", "/p"):
        manifest.set(source, Entry(1, 1, "", ("x",)))
    assert sorted(manifest.under("/p")) == ["/p", "/p/a.html", "/p/sub/b.html"]
    assert sorted(manifest.under("/p/")) == ["/p/a.html", "/p/sub/b.html"]
    assert manifest.owners() == {"x": 4}


def test_same_stat() -> None:
    entry = Entry(10, 99, "h", ())
    assert entry.same_stat(10, 99)
    assert not entry.same_stat(10, 100)
    assert not entry.same_stat(11, 99)
