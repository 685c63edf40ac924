"""End to end on the console: `coop run` with a loopback feed, as a user at the prompt sees it."""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Delivery, Release, utcnow
from bot.settings import PROJECT_ROOT
from bot.store import Store
from tests.conftest import COOP
from tests.feedserver import feed_server, rss
from tests.matrix.coop_process import wait_synced


def _reader(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


def _wait_for(lines: queue.Queue[str], seen: list[str], text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=0.2))
        except queue.Empty:
            continue
        if text in seen[-1]:
            return True
    return False


@dataclass
class _Coop:
    """`coop run` on the console, with what it has printed so far."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def wait_for(self, text: str, timeout: float) -> bool:
        return _wait_for(self.lines, self.seen, text, timeout)

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    @property
    def output(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


@contextmanager
def _coop_running(env: dict[str, str]) -> Iterator[_Coop]:
    """Started and running; stopped at the end as a user stops it, by the end of its input."""
    process = subprocess.Popen([COOP, "run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env={**env, "COOP_HTTP_PORT": "0",
                                                                          "PATH": "/usr/bin:/bin"})
    coop = _Coop(process)
    threading.Thread(target=_reader, args=(process.stdout, coop.lines), daemon=True).start()
    try:
        assert coop.wait_for("coop is running", 30)
        yield coop
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()


def test_subscribe_then_one_alert_for_a_new_release_and_none_for_the_backlog(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    defaults = (config / "defaults.toml").read_text(encoding="utf-8")
    (config / "defaults.toml").write_text(defaults.replace("jitter = 30", "jitter = 0"), encoding="utf-8")
    with feed_server() as server:
        server.set("/feed", rss(("old", "Backlog: Europol annual review", "Old news.")))
        (config / "sources.toml").write_text(
            f'[[sources]]\nid = "loop"\npublisher = "europol"\nurl = "{server.url("/feed")}"\ninterval = 1\n',
            encoding="utf-8",
        )
        env = {"COOP_CONFIG_DIR": str(config), "COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
        with _coop_running(env) as coop:
            coop.type("/coop subscribe europol")
            assert coop.wait_for("Subscribed", 10)
            wait_synced(tmp_path / "c.sqlite3", "loop")  # the first sync stores the backlog silently
            server.set("/feed", rss(("new", "Europol takes down a ransomware botnet", "Servers seized."),
                                    ("old", "Backlog: Europol annual review", "Old news.")))
            assert coop.wait_for("Europol takes down a ransomware botnet", 15)
            time.sleep(3)  # several more polls: nothing may be announced twice
    assert coop.output.count("[NEW] Europol takes down a ransomware botnet") == 1
    assert "[NEW] Backlog" not in coop.output
    assert coop.process.returncode == 0


def test_coop_run_serves_web_feeds_and_spreadsheets_of_its_releases(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}", "COOP_SOURCES": str(tmp_path / "sources.toml")}
    with _coop_running(env) as coop:
        port = re.search(r"feeds at http://127\.0\.0\.1:(\d+)/feed\?q=<terms>", coop.seen[-1])
        assert port is not None, coop.seen[-1]
        assert f"spreadsheets at http://127.0.0.1:{port[1]}/export.csv?q=<terms>" in coop.seen[-1]
        coop.type("/coop export moldova")  # on the console, the links are to this machine
        assert coop.wait_for(f"http://127.0.0.1:{port[1]}/export.csv?q=moldova", 10), coop.output
        with urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/feed?q=moldova", timeout=10) as response:
            body = response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/export.csv?q=moldova", timeout=10) as response:
            sheet = response.read().decode("utf-8-sig").splitlines()
    assert "<title>coop: latest for Moldova</title>" in body
    assert "Leveraging" in body and "Interpol and Europol" not in body
    assert len(sheet) == 2 and sheet[0].startswith("id,date,publisher,title,") and "Leveraging" in sheet[1]


def _metrics_when(port: str, wanted: str, timeout: float = 20) -> str:
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            text = response.read().decode()
        if wanted in text:
            break
        time.sleep(0.2)
    return text


def test_metrics_tell_an_operator_which_source_fails_and_which_alerts_were_given_up(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'c.sqlite3'}")  # an alert coop gave up on before this start
    store.releases.save(Release(id="r1", source_id="loop", publisher="europol", title="Old alert", text="Text."))
    store.outbox.enqueue([Delivery(release_id="r1", platform="slack", workspace="T1", channel="C1")])
    store.outbox.mark_given_up([d.id for d in store.outbox.due(utcnow(), 10)], "gave up: HTTP 503")
    store.close()
    with feed_server() as server:
        server.set("/feed", rss(("n1", "Europol item", "Text.", "Tue, 30 Apr 2024 10:00:00 GMT")))
        (tmp_path / "sources.toml").write_text(
            f'[[sources]]\nid = "loop"\npublisher = "europol"\nurl = "{server.url("/feed")}"\n'
            f'[[sources]]\nid = "dead"\npublisher = "europol"\nurl = "{server.url("/missing")}"\n', encoding="utf-8")
        env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
               "COOP_SOURCES": str(tmp_path / "sources.toml")}
        with _coop_running(env) as coop:
            port = re.search(r"http://127\.0\.0\.1:(\d+)/healthz", coop.seen[-1])
            assert port is not None, coop.seen[-1]
            metrics = _metrics_when(port[1], 'coop_source_failures{source="dead"} 1.0')
            metrics = _metrics_when(port[1], 'coop_source_last_success_timestamp_seconds{source="loop"}')
    assert 'coop_source_failures{source="dead"} 1.0' in metrics
    assert 'coop_source_failures{source="loop"} 0.0' in metrics
    published = datetime(2024, 4, 30, 10, tzinfo=UTC).timestamp()
    newest = 'coop_source_newest_release_timestamp_seconds{source="loop"} '
    assert float(next(line for line in metrics.splitlines() if line.startswith(newest)).split()[-1]) == published
    assert 'coop_source_quiet{source="loop"} 0.0' in metrics
    assert 'coop_deliveries_unsent{state="given_up"} 1.0' in metrics
    assert 'coop_deliveries_unsent{state="to_send"} 0.0' in metrics
    assert "coop_polls_total" in metrics  # the process's counters are still there
