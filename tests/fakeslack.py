"""A fake Slack Web API on loopback: records every call, answers like Slack, fails on demand.

It also receives what the app sends to a slash command's response_url.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.loopback import LoopbackServer


class FakeSlack(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.responses: list[dict[str, Any]] = []
        self.failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._ts = 1000
        self.messages: dict[str, dict[str, Any]] = {}  # what a channel's history shows, by ts

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def fail(self, method: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self.failures.setdefault(method, []).append((status, body, headers or {}))

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        params = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
        params.update(request.query)
        pending = self.failures.get(method)
        if pending:
            status, body, headers = pending.pop(0)
            return web.json_response(body, status=status, headers=headers)
        params["_token"] = request.headers.get("Authorization", "").removeprefix("Bearer ")  # who is calling
        self.calls.append((method, params))
        return web.json_response(self._answer(method, params))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":  # an install finishing: workspace T2 gets its own bot token
            return {"ok": True, "access_token": "xoxb-T2", "token_type": "bot", "scope": "commands,chat:write",
                    "bot_user_id": "UBOT2", "app_id": "A1", "team": {"id": "T2", "name": "Two"}, "enterprise": None,
                    "is_enterprise_install": False, "authed_user": {"id": "U2"}}
        if method == "auth.test":
            return {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1", "team": "Test"}
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"{self._ts}.000100"
            self.messages[ts] = {"ts": ts, "channel": params.get("channel"), "metadata": params.get("metadata"),
                                 "thread_ts": params.get("thread_ts")}
            return {"ok": True, "channel": params.get("channel"), "ts": ts}
        if method == "chat.update":
            self.messages.get(params.get("ts", ""), {}).update(metadata=params.get("metadata"))
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "conversations.history":  # newest first, with metadata as the last update left it; no replies
            posted = [m for m in reversed(self.messages.values())
                      if m["channel"] == params.get("channel") and not m.get("thread_ts")]
            return {"ok": True, "messages": posted}
        if method == "conversations.replies":  # the thread's parent, then its replies, oldest first
            parent = params.get("ts")
            thread = [m for m in self.messages.values() if parent in (m["ts"], m.get("thread_ts"))]
            return {"ok": True, "messages": thread}
        if method == "users.info":
            return {"ok": True, "user": {"id": params.get("user"), "is_admin": params.get("user") == "UADMIN"}}
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        return web.Response(text="ok")

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        return app


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def signed_headers(secret: str, body: str, timestamp: int | None = None, content_type: str | None = None
                   ) -> dict[str, str]:
    """Headers exactly as Slack signs a request: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type or "application/x-www-form-urlencoded",
    }
