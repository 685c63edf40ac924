"""Which build of coop runs: pure Python, or with the tagging modules compiled by mypyc (setup.py, COOP_COMPILE=1).

Python imports a compiled module before its source, so an edit made after compiling goes unseen until the next
build: `stale_note` says which sources changed since and how to mend it, for the command line to warn and the tests to
stop.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def compiled_modules(package: Path = PACKAGE) -> list[str]:
    """The modules of the package that have a compiled build beside their source ("classify", ...)."""
    return sorted({_module_of(built) for built in package.glob("*.so") if _source_of(built).exists()})


def description(package: Path = PACKAGE) -> str:
    """"pure Python", or which modules are compiled: for `coop --version` and the benchmark's figures."""
    compiled = compiled_modules(package)
    return f"compiled with mypyc: {', '.join(compiled)}" if compiled else "pure Python"


def stale_sources(package: Path = PACKAGE) -> list[Path]:
    """Sources changed after their module was compiled."""
    stale = {_source_of(built) for built in package.glob("*.so") if _is_older_than_source(built)}
    return sorted(stale)


def stale_note(stale: list[Path]) -> str:
    """What to tell whoever runs or tests coop on compiled modules older than their sources ("" when none is)."""
    if not stale:
        return ""
    names = ", ".join(f"bot/{source.name}" for source in stale)
    return (f"{names} changed after it was compiled, and Python imports the old build: compile again "
            "(COOP_COMPILE=1 pip install --no-build-isolation --no-deps -e .) or remove bot/*.so")


def _module_of(built: Path) -> str:
    return built.name.split(".", 1)[0]  # classify.cpython-311-x86_64-linux-gnu.so


def _source_of(built: Path) -> Path:
    return built.with_name(_module_of(built) + ".py")


def _is_older_than_source(built: Path) -> bool:
    source = _source_of(built)  # the build's shared library (compiled__mypyc) has no source
    return source.exists() and source.stat().st_mtime > built.stat().st_mtime
