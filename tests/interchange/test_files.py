"""Writing an export: a file where a file is asked for, a folder where a folder is, never half of either."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from needsmap.interchange.base import ExportError, ReadError, read_import_text
from needsmap.interchange.files import safe_file_stem, write_export


def test_a_folder_export_writes_every_file_and_makes_the_folder(tmp_path: Path):
    target = tmp_path / "out"
    written = write_export({"a.yaml": "a: 1\n", "models/sources/b.yml": "b: 2\n"}, target, folder=True)
    assert written == [target / "a.yaml", target / "models" / "sources" / "b.yml"]
    assert (target / "models" / "sources" / "b.yml").read_text() == "b: 2\n"


def test_a_second_export_replaces_its_own_files_and_leaves_others_alone(tmp_path: Path):
    target = tmp_path / "out"
    write_export({"a.yaml": "old\n"}, target, folder=True)
    (target / "mine.txt").write_text("kept")
    write_export({"a.yaml": "new\n"}, target, folder=True)
    assert (target / "a.yaml").read_text() == "new\n"
    assert (target / "mine.txt").read_text() == "kept"


def test_a_folder_format_refuses_a_file_and_writes_nothing(tmp_path: Path):
    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(ExportError, match="is a file; this format writes a folder"):
        write_export({"a.yaml": "a\n"}, target, folder=True)
    assert target.read_text() == "not a folder"


def test_a_file_in_the_way_of_a_subfolder_is_found_before_anything_is_written(tmp_path: Path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "models").write_text("in the way")
    with pytest.raises(ExportError, match="is a file where the export needs a folder"):
        write_export({"first.yaml": "1\n", "models/x.yml": "2\n"}, target, folder=True)
    assert not (target / "first.yaml").exists()


def test_a_single_file_format_refuses_a_folder(tmp_path: Path):
    with pytest.raises(ExportError, match="is a folder; this format writes one file"):
        write_export({"glossary.yaml": "x\n"}, tmp_path, folder=False)


def test_a_single_file_format_needs_an_existing_parent_folder(tmp_path: Path):
    with pytest.raises(ExportError, match="no such folder"):
        write_export({"g.csv": "x\n"}, tmp_path / "missing" / "g.csv", folder=False)


@pytest.mark.parametrize("rel", ["../escape.yaml", "/etc/passwd", "a/../../b.yaml", ""])
def test_no_exporter_can_write_outside_its_folder(tmp_path: Path, rel: str):
    with pytest.raises(ExportError, match="outside its folder"):
        write_export({rel: "x"}, tmp_path / "out", folder=True)
    assert not (tmp_path / "escape.yaml").exists()


@pytest.mark.parametrize(
    ("text", "stem"),
    [("Customer data", "Customer_data"), ("../../etc", "etc"), ("", "item"), ("...", "item"), ("é/ü", "item")],
)
def test_file_stems_from_untrusted_text_are_safe(text: str, stem: str):
    assert safe_file_stem(text) == stem


def test_an_import_reads_only_regular_utf8_files_of_bounded_size(tmp_path: Path):
    with pytest.raises(ReadError, match="not a regular file"):
        read_import_text(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read_import_text(fifo)  # refused at once, never blocks
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: ok\ndefinition: caf\xe9\n")
    with pytest.raises(ReadError, match=r"latin\.yaml:2:16: not UTF-8"):
        read_import_text(latin)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(33 * 1024 * 1024)
    with pytest.raises(ReadError, match="more than the"):
        read_import_text(big)
    with pytest.raises(ReadError, match="cannot read"):
        read_import_text(tmp_path / "missing.yaml")
    good = tmp_path / "good.yaml"
    good.write_bytes("\ufeffname: café\n".encode())
    assert read_import_text(good) == "name: café\n"


@pytest.mark.parametrize("fmt", ["odcs", "dbt"])  # the glossary reader keeps every value as text
@pytest.mark.parametrize("value", ["!!timestamp someday", "!!timestamp", "!!int x", "!!float y", "!!binary é"])
def test_a_value_yaml_cannot_build_is_a_located_error_in_every_import(fmt: str, value: str, tmp_path: Path):
    from needsmap.format.opening import open_workshop
    from needsmap.interchange.registry import plan_import
    from tests.conftest import DEMO

    ws = open_workshop(DEMO).workshop
    assert ws is not None
    file = tmp_path / "in.yaml"
    file.write_text(f"version: 2\nsources:\n  - name: x\n    description: {value}\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"in\.yaml:4:18: "):
        plan_import(fmt, ws, file)
