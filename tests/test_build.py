"""The compiled build (setup.py, COOP_COMPILE=1) must never hide an edit: the tests stop on a stale compiled module."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import _changed_source


def _module_pair(folder: Path, source_age: float, build_age: float) -> Path:
    source, built = folder / "classify.py", folder / "classify.cpython-311-x86_64-linux-gnu.so"
    source.write_text("", encoding="utf-8")
    built.write_bytes(b"")
    now = source.stat().st_mtime
    os.utime(source, (now - source_age, now - source_age))
    os.utime(built, (now - build_age, now - build_age))
    return built


def test_a_source_edited_after_its_build_is_named(tmp_path: Path) -> None:
    built = _module_pair(tmp_path, source_age=10, build_age=60)
    assert _changed_source(built) == tmp_path / "classify.py"


def test_a_build_newer_than_its_source_is_fine(tmp_path: Path) -> None:
    built = _module_pair(tmp_path, source_age=60, build_age=10)
    assert _changed_source(built) is None


def test_the_shared_library_of_the_build_has_no_source_to_compare(tmp_path: Path) -> None:
    shared = tmp_path / "compiled__mypyc.cpython-311-x86_64-linux-gnu.so"
    shared.write_bytes(b"")
    assert _changed_source(shared) is None
