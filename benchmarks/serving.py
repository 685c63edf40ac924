"""`coop run` serving Slack over HTTP from a large store: slash-command acknowledgement time and peak memory.

The real process is started on the store the search benchmark filled, against the fake Slack Web API; signed
`/coop help` requests arrive 20 at a time, then searches, and the process's peak resident memory (VmHWM) is read.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import aiohttp

from tests.fakeslack import fake_slack, signed_headers

SECRET = "bench-signing-secret"
CONCURRENT = 20
ROUNDS = 15
COOP = str(Path(sys.executable).parent / "coop")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _body(text: str, response_url: str) -> str:
    return urllib.parse.urlencode({
        "command": "/coop", "text": text, "team_id": "T1", "channel_id": "C1", "user_id": "U1",
        "response_url": response_url, "trigger_id": "1.2.3", "token": "x",
    })


async def _acks(url: str, response_url: str, texts: list[str]) -> list[float]:
    async with aiohttp.ClientSession() as session:
        async def one(text: str) -> float:
            body = _body(text, response_url)
            started = time.perf_counter()
            async with session.post(url, data=body, headers=signed_headers(SECRET, body)) as response:
                await response.read()
                assert response.status == 200, response.status
            return (time.perf_counter() - started) * 1000

        timings: list[float] = []
        for _ in range(ROUNDS):
            timings += await asyncio.gather(*(one(t) for t in texts))
        return timings


def _start(store: Path, folder: Path, api_url: str, port: int) -> subprocess.Popen[str]:
    sources = folder / "serving-sources.toml"
    sources.write_text("sources = []\n", encoding="utf-8")
    env = {**os.environ, "COOP_DATABASE_URL": f"sqlite:///{store}", "COOP_SOURCES": str(sources),
           "COOP_HTTP_PORT": str(port), "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "COOP_SLACK_API_URL": api_url}
    process = subprocess.Popen([COOP, "run"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    if "coop is running" not in line:
        process.kill()
        raise RuntimeError(f"coop run did not start: {line!r}")
    return process


def run(store: Path, folder: Path, label: str) -> dict[str, float]:
    port = _free_port()
    with fake_slack() as slack:
        process = _start(store, folder, slack.api_url, port)
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            help_acks = asyncio.run(_acks(url, slack.response_url(), ["help"] * CONCURRENT))
            searches = ["search cybercrime", "search the", "latest europol", "search money laundering"]
            search_acks = asyncio.run(_acks(url, slack.response_url(), searches * (CONCURRENT // len(searches))))
            time.sleep(1.0)  # let the answers to the searches finish before memory is read
            peak = _peak_rss_mb(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    help_acks.sort()
    return {
        "slash_ack_p50_ms": round(statistics.median(help_acks), 1),
        "slash_ack_p99_ms": round(help_acks[int(len(help_acks) * 0.99) - 1], 1),
        "slash_ack_p99_ms_searches": round(sorted(search_acks)[int(len(search_acks) * 0.99) - 1], 1),
        f"rss_mb_{label}": peak,
    }
