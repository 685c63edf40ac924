"""Which build of coop runs: pure Python, or with the tagging modules compiled by mypyc (setup.py, COOP_COMPILE=1).

Python imports a compiled module before its source, so an edit made after compiling goes unseen until the next
build: `stale_sources` names such sources, for the command line to warn and the tests to stop.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REBUILD = "compile again (COOP_COMPILE=1 pip install --no-build-isolation --no-deps -e .) or remove bot/*.so"


def compiled_modules(package: Path = PACKAGE) -> list[str]:
    """The modules of the package that have a compiled build beside their source ("classify", ...)."""
    return sorted({_module_of(built) for built in package.glob("*.so") if _source_of(built).exists()})


def stale_sources(package: Path = PACKAGE) -> list[Path]:
    """Sources changed after their module was compiled."""
    stale = {_source_of(built) for built in package.glob("*.so") if _is_older_than_source(built)}
    return sorted(stale)


def _module_of(built: Path) -> str:
    return built.name.split(".", 1)[0]  # classify.cpython-311-x86_64-linux-gnu.so


def _source_of(built: Path) -> Path:
    return built.with_name(_module_of(built) + ".py")


def _is_older_than_source(built: Path) -> bool:
    source = _source_of(built)  # the build's shared library (compiled__mypyc) has no source
    return source.exists() and source.stat().st_mtime > built.stat().st_mtime
