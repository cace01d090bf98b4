"""Atomic writes: permissions, no temporary file left behind, no write redirected by a planted link."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from needsmap.util import atomic_write
from needsmap.util.atomic_write import current_umask, temp_glob, write_atomically, write_text_atomically


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(atomic_write.TEMP_SUFFIX)]


def test_a_new_file_gets_0o666_minus_the_umask(tmp_path: Path, umask_027):
    target = tmp_path / "report.html"
    write_text_atomically(target, "<p>hello</p>")
    assert target.read_text(encoding="utf-8") == "<p>hello</p>"
    assert target.stat().st_mode & 0o7777 == 0o640


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_027):
    target = tmp_path / "w.yaml"
    target.write_bytes(b"old")
    os.chmod(target, 0o604)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o7777 == 0o604


def test_an_explicit_mode_wins(tmp_path: Path):
    target = tmp_path / "w.yaml.bak"
    write_atomically(target, b"x", mode=0o600)
    assert target.stat().st_mode & 0o7777 == 0o600


def test_content_can_be_written_by_a_function_into_a_private_temporary_file(tmp_path: Path):
    target = tmp_path / "book.xlsx"
    modes: list[int] = []

    def write(fh) -> None:
        modes.append(os.fstat(fh.fileno()).st_mode & 0o777)
        fh.write(b"PK")

    write_atomically(target, write)
    assert target.read_bytes() == b"PK"
    assert modes == [0o600]  # nobody else can read it before it is complete


def test_an_error_while_writing_leaves_the_target_and_no_temporary_file(tmp_path: Path):
    target = tmp_path / "w.yaml"
    target.write_bytes(b"original")

    def half_then_fail(fh) -> None:
        fh.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"original"
    assert _temps(tmp_path) == []


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path):
    target = tmp_path / "a-folder"
    target.mkdir()
    (target / "inside").write_bytes(b"x")  # os.replace cannot put a file over a non-empty folder
    with pytest.raises(OSError):
        write_atomically(target, b"data")
    assert target.is_dir()
    assert _temps(tmp_path) == []


def test_a_planted_link_at_the_temporary_name_cannot_redirect_the_write(tmp_path: Path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    target = tmp_path / "w.yaml"
    planted = tmp_path / f".w.yaml.guessed{atomic_write.TEMP_SUFFIX}"
    planted.symlink_to(victim)
    names = iter(["guessed", "fresh"])
    monkeypatch.setattr(atomic_write, "_random_part", lambda: next(names))

    write_atomically(target, b"new content")

    assert target.read_bytes() == b"new content"
    assert not target.is_symlink()
    assert victim.read_bytes() == b"precious"
    assert planted.is_symlink() and planted.resolve() == victim


def test_when_every_temporary_name_is_taken_nothing_is_written(tmp_path: Path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    (tmp_path / f".w.yaml.same{atomic_write.TEMP_SUFFIX}").symlink_to(victim)
    monkeypatch.setattr(atomic_write, "_random_part", lambda: "same")
    with pytest.raises(FileExistsError):
        write_atomically(tmp_path / "w.yaml", b"new content")
    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "w.yaml").exists()


def test_temporary_names_are_unpredictable(tmp_path: Path, monkeypatch):
    made: list[str] = []
    real = os.replace

    def record(src, dst):
        made.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", record)
    for _ in range(3):
        write_atomically(tmp_path / "w.yaml", b"x")
    assert len(set(made)) == 3
    assert all(name.startswith(".w.yaml.") and name.endswith(atomic_write.TEMP_SUFFIX) for name in made)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the umask from /proc")
def test_the_umask_is_read_without_setting_it(umask_027, monkeypatch):
    def no_umask(mask: int) -> int:
        raise AssertionError("os.umask changes the mask for every thread while it is read")

    monkeypatch.setattr(os, "umask", no_umask)
    assert current_umask() == 0o027


def test_the_temporary_files_of_a_target_match_its_glob(tmp_path: Path, monkeypatch):
    target = tmp_path / "odd [name]*.yaml"
    other = tmp_path / "odd.yaml"
    monkeypatch.setattr(os, "replace", lambda src, dst: None)  # leave the temporary files behind
    write_atomically(target, b"x")
    write_atomically(other, b"y")
    found = list(tmp_path.glob(temp_glob(target)))
    assert len(found) == 1 and found[0].read_bytes() == b"x"


def test_many_files_are_written_whole_and_keep_their_permissions(tmp_path: Path):
    old = tmp_path / "old.yml"
    old.write_text("old")
    old.chmod(0o640)
    (tmp_path / "sub").mkdir()
    new = tmp_path / "sub" / "new.yml"
    atomic_write.write_many_atomically([(old, b"one"), (new, b"two")])
    assert old.read_bytes() == b"one" and new.read_bytes() == b"two"
    assert old.stat().st_mode & 0o777 == 0o640
    assert not list(tmp_path.rglob("*" + atomic_write.TEMP_SUFFIX))


def test_when_one_of_many_files_cannot_be_written_none_is_replaced_and_no_temporary_file_is_left(tmp_path: Path):
    first = tmp_path / "first.yml"
    first.write_text("kept")
    missing_folder = tmp_path / "missing" / "second.yml"
    with pytest.raises(FileNotFoundError):
        atomic_write.write_many_atomically([(first, b"new"), (missing_folder, b"x")])
    assert first.read_text() == "kept"
    assert not list(tmp_path.rglob("*" + atomic_write.TEMP_SUFFIX))
