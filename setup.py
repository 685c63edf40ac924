"""The build's one option: COOP_COMPILE=1 compiles the tagging modules with mypyc, for the Docker image and anyone who
tags in bulk (about 12% more releases a second; README, Performance). Everything else is in pyproject.toml.

    COOP_COMPILE=1 pip install --no-build-isolation --no-deps -e .

after the usual install, in the same environment: mypyc checks the modules' types, so it needs coop's dependencies
and mypy (the test extra), and it needs a C compiler.
"""

from __future__ import annotations

import os

from setuptools import Extension, setup

# Where a release's tagging spends its Python time; the rest of coop waits on the network and the database.
COMPILED = ["bot/textutil.py", "bot/language.py", "bot/matcher.py", "bot/classify.py"]


def compiled_extensions() -> list[Extension]:
    if os.environ.get("COOP_COMPILE") != "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as missing:
        raise SystemExit(
            "COOP_COMPILE=1 needs mypy, which includes mypyc, where coop is built: install coop with its test extra "
            "first, then build without isolation (pip install --no-build-isolation --no-deps -e .)"
        ) from missing
    # One shared library for the four, inside the package: a top-level one would not be found from an editable
    # install, which is how the Docker image runs.
    return list(mypycify(COMPILED, group_name="bot.compiled"))


setup(ext_modules=compiled_extensions())
