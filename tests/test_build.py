"""The compiled build (setup.py, COOP_COMPILE=1) must never hide an edit: a source newer than its build is named."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bot import __version__
from bot.build import compiled_modules, description, stale_note, stale_sources
from tests.conftest import COOP

BUILT = "classify.cpython-311-x86_64-linux-gnu.so"
SHARED = "compiled__mypyc.cpython-311-x86_64-linux-gnu.so"  # the build's own library: no source of its own


def _package(folder: Path, source_age: float, build_age: float) -> Path:
    (folder / "classify.py").write_text("", encoding="utf-8")
    (folder / BUILT).write_bytes(b"")
    (folder / SHARED).write_bytes(b"")
    now = (folder / "classify.py").stat().st_mtime
    for name, age in [("classify.py", source_age), (BUILT, build_age), (SHARED, build_age)]:
        os.utime(folder / name, (now - age, now - age))
    return folder


def test_a_source_edited_after_its_build_is_named(tmp_path: Path) -> None:
    package = _package(tmp_path, source_age=10, build_age=60)
    assert stale_sources(package) == [tmp_path / "classify.py"]
    assert compiled_modules(package) == ["classify"]
    assert description(package) == "compiled with mypyc: classify"


def test_a_build_newer_than_its_source_is_not_stale(tmp_path: Path) -> None:
    assert stale_sources(_package(tmp_path, source_age=60, build_age=10)) == []


def test_a_package_without_builds_is_pure_python(tmp_path: Path) -> None:
    (tmp_path / "classify.py").write_text("", encoding="utf-8")
    assert compiled_modules(tmp_path) == [] and stale_sources(tmp_path) == []
    assert description(tmp_path) == "pure Python"


def test_the_version_says_which_build_runs() -> None:
    shown = subprocess.run([COOP, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert shown == f"coop {__version__} ({description()})"


def test_the_note_on_a_stale_build_names_it_and_says_how_to_mend_it(tmp_path: Path) -> None:
    note = stale_note([tmp_path / "matcher.py"])
    assert note.startswith("bot/matcher.py changed after it was compiled")
    assert "COOP_COMPILE=1" in note and "remove bot/*.so" in note
    assert stale_note([]) == ""
