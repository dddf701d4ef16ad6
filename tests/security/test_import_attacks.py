"""Attacks on the import path, written as the attack: archive bombs, macros under another
name, huge row counts, a profile name that is a server path. Each must be refused with a
clear message before any parsing work, and write nothing."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.exports.template import template_workbook
from dashboard.importers.indicators import ImportFailed
from dashboard.importers.projects import MAX_ROWS, MAX_UNPACKED, import_projects, load_profile

from ..unit.test_importer_projects import HEADER, REF

ROOT = Path(__file__).resolve().parents[2]


def _rezip(raw: bytes, extra: dict[str, bytes], types_extra: str = "") -> bytes:
    """A copy of the workbook ``raw`` with ``extra`` parts (and content-type lines) added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml" and types_extra:
                data = data.replace(b"</Types>", types_extra.encode() + b"</Types>")
            dst.writestr(info, data)
        for name, data in extra.items():
            dst.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def test_a_compression_bomb_is_refused_before_parsing(empty_engine: Engine, tmp_path: Path) -> None:
    """A few hundred KB that unpack to more than the limit: refused on the declared sizes."""
    filler = b"<c><v>1</v></c>" * (MAX_UNPACKED // 15 + 1000)
    bomb = _rezip(template_workbook(empty_engine), {"xl/worksheets/sheet9.xml": filler})
    assert len(bomb) < 2_000_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(ImportFailed, match=r"the workbook unpacks to .* bytes; the limit is"):
        import_projects(empty_engine, path, reference_date=REF)


@pytest.mark.parametrize(
    ("parts", "types"),
    [
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512}, ""),
        ({"xl/media/image7.png": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512}, ""),  # renamed OLE part
        (
            {"xl/notes.dat": b"harmless"},
            '<Override PartName="/xl/notes.dat" ContentType="application/vnd.ms-office.vbaProject"/>',
        ),
    ],
)
def test_macros_under_any_name_are_refused(empty_engine: Engine, tmp_path: Path, parts: dict, types: str) -> None:
    path = tmp_path / "makro.xlsx"
    path.write_bytes(_rezip(template_workbook(empty_engine), parts, types))
    with pytest.raises(ImportFailed, match="the workbook contains macros"):
        import_projects(empty_engine, path, reference_date=REF)


def test_too_many_rows_is_refused_while_reading(empty_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "lang.csv"
    line = ";".join(["R", "T"] + [""] * (len(HEADER) - 2)) + "\n"
    path.write_text(";".join(HEADER) + "\n" + line * (MAX_ROWS + 1), encoding="utf-8")
    with pytest.raises(ImportFailed, match=f"more than {MAX_ROWS} rows"):
        import_projects(empty_engine, path, reference_date=REF, max_bytes=100 * 1024 * 1024)


@pytest.mark.parametrize("name", ["/dev/zero", "/etc/passwd", "../../etc/hostname", "data/decks.yaml"])
def test_a_profile_name_from_the_web_never_becomes_a_path(empty_engine: Engine, name: str) -> None:
    with pytest.raises(ImportFailed) as info:
        load_profile(name, empty_engine, files=False)
    text = str(info.value)
    assert "no mapping called" in text and "root:" not in text


def test_every_profile_lookup_in_the_web_app_refuses_files() -> None:
    """Enumerate every call of load_profile outside the command line: each passes files=False."""
    calls = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        if path.name == "cli.py" or path.parent.name == "importers":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "load_profile"
            ):
                files = [k for k in node.keywords if k.arg == "files"]
                calls.append((path.name, node.lineno, bool(files) and getattr(files[0].value, "value", True) is False))
    assert calls, "the import page looks profiles up"
    assert all(ok for _, _, ok in calls), [c for c in calls if not c[2]]


def test_a_large_preview_holds_no_write_lock(any_engine: Engine, tmp_path: Path) -> None:
    """A 20 000-row preview held SQLite's write lock for 49–120 s; every note, answer and
    edit meanwhile failed "locked". Now a write made during the preview goes through."""
    import threading
    import time

    from ..unit.test_import_trust import _row, _write

    big = _write(tmp_path, HEADER, [_row(f"B-{i}") for i in range(20_000)], "big.csv")
    small = _write(tmp_path, HEADER, [_row("W-1")], "small.csv")
    done: list[object] = []
    preview = threading.Thread(
        target=lambda: done.append(import_projects(any_engine, big, reference_date=REF, dry_run=True))
    )
    preview.start()
    time.sleep(0.5)  # the preview is reading and validating
    started = time.monotonic()
    report = import_projects(any_engine, small, reference_date=REF)  # a write meanwhile
    waited = time.monotonic() - started
    preview.join(120)
    assert report.created == 1 and waited < 5, waited
    assert done and done[0].created == 20_000, "the preview still counts everything"
