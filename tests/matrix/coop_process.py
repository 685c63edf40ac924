"""`coop run` as a user starts it, with the Matrix variables set, in a folder of its own."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.conftest import COOP
from tests.matrix.synapse import MatrixUser, Synapse


def wait_synced(database: Path, source_id: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if database.exists():
            with (contextlib.closing(sqlite3.connect(database, timeout=5)) as conn,
                  contextlib.suppress(sqlite3.OperationalError)):  # the tables are created at start
                query = "SELECT synced FROM source_state WHERE source_id = ?"
                row = conn.execute(query, (source_id,)).fetchone()
                if row and row[0]:
                    return
        time.sleep(0.1)
    raise AssertionError(f"source {source_id} had no successful poll within {timeout} s")


class CoopProcess:
    def __init__(self, folder: Path, synapse: Synapse, bot: MatrixUser, sources: str = "sources = []\n") -> None:
        self.folder = folder
        self.config = folder / "config"
        if not self.config.exists():
            shutil.copytree(PROJECT_ROOT / "config", self.config)
            self.set_default("jitter = 30", "jitter = 0")
            self.set_default("retry_base = 5 ", "retry_base = 1 ")
        (self.config / "sources.toml").write_text(sources, encoding="utf-8")
        self.env = {
            "COOP_CONFIG_DIR": str(self.config), "COOP_DATABASE_URL": f"sqlite:///{folder / 'coop.sqlite3'}",
            "COOP_HTTP_PORT": "0", "PATH": "/usr/bin:/bin", "MATRIX_HOMESERVER": synapse.url,
            "MATRIX_USER_ID": bot.user_id, "MATRIX_ACCESS_TOKEN": bot.access_token,
        }
        self.log = folder / "coop.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([COOP, "run"], stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "coop is running" in self.output():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"coop run exited with {self.process.returncode}: {self.output()[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"coop run did not start: {self.output()[-3000:]}")

    def set_default(self, line: str, replacement: str) -> None:
        """Changes one line of this run's defaults.toml (before `start`)."""
        path = self.config / "defaults.toml"
        text = path.read_text(encoding="utf-8")
        assert line in text, f"{line!r} is not in defaults.toml"
        path.write_text(text.replace(line, replacement), encoding="utf-8")

    def wait_synced(self, source_id: str, timeout: float = 30) -> None:
        """Until the source's first poll is stored (it is silent): what the test changes after it is news."""
        wait_synced(self.folder / "coop.sqlite3", source_id, timeout)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    def __enter__(self) -> CoopProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
