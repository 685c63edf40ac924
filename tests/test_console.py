"""End to end on the console: `coop run` with a loopback feed, as a user at the prompt sees it."""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from bot.settings import PROJECT_ROOT
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
        env = {"COOP_CONFIG_DIR": str(config), "COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
               "COOP_HTTP_PORT": "0", "PATH": "/usr/bin:/bin"}
        process = subprocess.Popen([COOP, "run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True, env=env)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
        seen: list[str] = []
        try:
            assert process.stdin is not None
            assert _wait_for(lines, seen, "coop is running", 30)
            process.stdin.write("/coop subscribe europol\n")
            process.stdin.flush()
            assert _wait_for(lines, seen, "Subscribed", 10)
            wait_synced(tmp_path / "c.sqlite3", "loop")  # the first sync stores the backlog silently
            server.set("/feed", rss(("new", "Europol takes down a ransomware botnet", "Servers seized."),
                                    ("old", "Backlog: Europol annual review", "Old news.")))
            assert _wait_for(lines, seen, "Europol takes down a ransomware botnet", 15)
            time.sleep(3)  # several more polls: nothing may be announced twice
            process.stdin.close()
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
        while not lines.empty():
            seen.append(lines.get())
    output = "".join(seen)
    assert output.count("[NEW] Europol takes down a ransomware botnet") == 1
    assert "[NEW] Backlog" not in output
    assert process.returncode == 0


def test_coop_run_serves_web_feeds_of_its_releases(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}", "COOP_SOURCES": str(tmp_path / "sources.toml"),
           "COOP_HTTP_PORT": "0", "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen([COOP, "run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        assert _wait_for(lines, seen, "coop is running", 30)
        port = re.search(r"http://127\.0\.0\.1:(\d+)/", seen[-1])
        assert port is not None, seen[-1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/feed?q=moldova", timeout=10) as response:
            body = response.read().decode()
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=20)
    assert "<title>coop: latest for Moldova</title>" in body
    assert "Leveraging" in body and "Interpol and Europol" not in body
