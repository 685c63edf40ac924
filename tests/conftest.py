"""Shared fixtures: a fresh SQLite file per test, the project's runtime on it, and the shared data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.build import stale_note, stale_sources
from bot.runtime import Runtime
from bot.settings import PROJECT_ROOT, Settings
from handlers.context import CommandContext, Deps
from tests.feedserver import FeedServer, feed_server

pytest_plugins = ["tests.slackbot"]  # the Slack app's fixtures, for every test that runs against it

SHARED = PROJECT_ROOT.parent / "shared"
COOP = str(Path(sys.executable).parent / "coop")
CHANNEL = CommandContext(platform="console", channel="C1", workspace="T1", user="U1")  # where chat commands run


def pytest_sessionstart(session: pytest.Session) -> None:
    """A stale compiled module (bot/build.py) would make the tests pass or fail on old code: stop before that."""
    stale = stale_note(stale_sources())
    if stale:
        pytest.exit(stale, returncode=2)


@contextmanager
def threads_switching_often() -> Iterator[None]:
    """Threads take turns every microsecond, as many polls storing releases at once would make them: a race that
    rarely shows otherwise shows in nearly every run."""
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(switch)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coop.sqlite3'}"


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text("sources = []\n", encoding="utf-8")
    return path


@pytest.fixture
def runtime(db_url: str, sources_file: Path) -> Iterator[Runtime]:
    settings = Settings(COOP_DATABASE_URL=db_url, COOP_SOURCES=sources_file)
    built = Runtime.build(settings)
    yield built
    built.close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A real HTTP server on loopback that serves the feeds and pages a test sets."""
    with feed_server() as running:
        yield running


@pytest.fixture
def deps(seeded: Runtime) -> Deps:
    """What a chat command runs against: the seeded store, on 15 February 2024 (the Moldovan seed is two weeks old)."""
    return Deps(store=seeded.store, taxonomy=seeded.taxonomy, ingestor=seeded.ingestor,
                now=lambda: datetime(2024, 2, 15, tzinfo=UTC))


@pytest.fixture
def seeded(runtime: Runtime) -> Runtime:
    runtime.seed()
    return runtime


def run_coop(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs the installed `coop` console script as a user would."""
    return subprocess.run(
        [COOP, *args], input=stdin, capture_output=True, text=True, env=coop_env(env), timeout=timeout, check=False
    )


def coop_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without any coop, Slack or Matrix setting of the developer's, plus `env`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("COOP_", "SLACK_", "MATRIX_"))}
    full_env.update(env or {})
    return full_env
