"""`coop run` as a user starts it, with the Matrix variables set, in a folder of its own."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.conftest import COOP
from tests.matrix.synapse import MatrixUser, Synapse


class CoopProcess:
    def __init__(self, folder: Path, synapse: Synapse, bot: MatrixUser, sources: str = "sources = []\n") -> None:
        self.folder = folder
        self.config = folder / "config"
        if not self.config.exists():
            shutil.copytree(PROJECT_ROOT / "config", self.config)
            defaults = (self.config / "defaults.toml").read_text(encoding="utf-8")
            defaults = defaults.replace("jitter = 30", "jitter = 0").replace("retry_base = 5 ", "retry_base = 1 ")
            (self.config / "defaults.toml").write_text(defaults, encoding="utf-8")
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
