"""A real Synapse homeserver on loopback for the Matrix tests, from the `.synapse-venv` that `.ci/run` installs.

SQLite, no federation, registration by shared secret, rate limits raised so tests are not throttled by accident.
Users are registered through the admin API and then talk plain client-server HTTP (urllib: no SDK in the test's
own view of the room, so what the bot sends is checked independently of the library the bot uses).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT

SYNAPSE_VENV = PROJECT_ROOT / ".synapse-venv"
SYNAPSE_PYTHON = SYNAPSE_VENV / "bin" / "python"
REQUIREMENTS = PROJECT_ROOT / "tests" / "matrix" / "requirements-synapse.txt"
SERVER_NAME = "coop.test"
SHARED_SECRET = "coop-test-registration-secret"
HIGH_RATE = {"per_second": 1000, "burst_count": 1000}


def install_synapse() -> str | None:
    """What `.ci/run` does, for a plain `pytest` on a fresh clone; returns why it failed, or None."""
    if SYNAPSE_PYTHON.exists():
        return None
    steps = [[sys.executable, "-m", "venv", str(SYNAPSE_VENV)],
             [str(SYNAPSE_PYTHON), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            shutil.rmtree(SYNAPSE_VENV, ignore_errors=True)
            return f"installing Synapse into {SYNAPSE_VENV} failed: {result.stderr[-500:]}"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def homeserver_config(folder: Path, port: int) -> dict[str, Any]:
    rate_limits = {
        name: HIGH_RATE
        for name in ("rc_message", "rc_joins_per_room", "rc_invites", "rc_3pid_validation", "rc_admin_redaction")
    }
    return {
        "server_name": SERVER_NAME,
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [{"port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
                       "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}]}],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "media_store_path": str(folder / "media"),
        "signing_key_path": str(folder / "signing.key"),
        "log_config": str(folder / "log.yaml"),
        "registration_shared_secret": SHARED_SECRET,
        "report_stats": False,
        "trusted_key_servers": [],
        "federation_domain_whitelist": [],
        "bcrypt_rounds": 4,
        "macaroon_secret_key": uuid.uuid4().hex,
        "form_secret": uuid.uuid4().hex,
        "enable_metrics": False,
        "rc_registration": HIGH_RATE,
        "rc_login": {"address": HIGH_RATE, "account": HIGH_RATE, "failed_attempts": HIGH_RATE},
        "rc_joins": {"local": HIGH_RATE, "remote": HIGH_RATE},
        "rc_invites": {"per_room": HIGH_RATE, "per_user": HIGH_RATE, "per_issuer": HIGH_RATE},
        **{k: v for k, v in rate_limits.items() if k != "rc_invites"},
    }


LOG_CONFIG = """version: 1
formatters: {plain: {format: '%(asctime)s %(levelname)s %(name)s %(message)s'}}
handlers: {file: {class: logging.FileHandler, filename: LOGFILE, formatter: plain}}
root: {level: WARNING, handlers: [file]}
disable_existing_loggers: false
"""


@dataclass
class MatrixUser:
    user_id: str
    access_token: str


class Synapse:
    """Starts the homeserver in a folder; `register`, `request` and friends talk to it as a client would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._admin: MatrixUser | None = None

    def start(self, timeout: float = 60) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        config_path = self.folder / "homeserver.yaml"
        config_path.write_text(json.dumps(homeserver_config(self.folder, self.port)), encoding="utf-8")
        (self.folder / "log.yaml").write_text(LOG_CONFIG.replace("LOGFILE", str(self.folder / "homeserver.log")))
        command = [str(SYNAPSE_PYTHON), "-m", "synapse.app.homeserver", "-c", str(config_path)]
        subprocess.run([*command, "--generate-keys"], check=True, capture_output=True, timeout=120)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_until_up(timeout)

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"Synapse exited at start: {error[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise RuntimeError(f"Synapse did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                token: str | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return dict(json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path} -> {error.code}: {error.read().decode()}") from error

    def register(self, localpart: str, admin: bool = False) -> MatrixUser:
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        password = "password-" + localpart
        fields = (nonce, localpart, password, "admin" if admin else "notadmin")
        digest = hmac.new(SHARED_SECRET.encode(), b"\x00".join(f.encode() for f in fields), hashlib.sha1).hexdigest()
        body = {"nonce": nonce, "username": localpart, "password": password, "admin": admin, "mac": digest}
        result = self.request("POST", "/_synapse/admin/v1/register", body)
        return MatrixUser(result["user_id"], result["access_token"])

    def limit_messages(self, user_id: str, per_second: float, burst: int) -> None:
        """A per-user rate limit far below the raised defaults, so the homeserver answers M_LIMIT_EXCEEDED."""
        if self._admin is None:
            self._admin = self.register(f"admin{uuid.uuid4().hex[:8]}", admin=True)
        path = f"/_synapse/admin/v1/users/{quote(user_id)}/override_ratelimit"
        body = {"messages_per_second": per_second, "burst_count": burst}
        self.request("POST", path, body, token=self._admin.access_token)


class RoomClient:
    """A person in the test: creates rooms, invites, types messages and reads what the room holds."""

    def __init__(self, server: Synapse, user: MatrixUser) -> None:
        self.server = server
        self.user = user
        self._txn = 0

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.server.request(method, path, body, token=self.user.access_token)

    def create_room(self, name: str, encrypted: bool = False, direct: bool = False) -> str:
        body: dict[str, Any] = {"name": name, "preset": "trusted_private_chat" if direct else "private_chat",
                                "is_direct": direct}
        if encrypted:
            body["initial_state"] = [{"type": "m.room.encryption", "state_key": "",
                                      "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]
        return str(self._call("POST", "/_matrix/client/v3/createRoom", body)["room_id"])

    def turn_on_encryption(self, room_id: str) -> None:
        path = f"/_matrix/client/v3/rooms/{quote(room_id)}/state/m.room.encryption/"
        self._call("PUT", path, {"algorithm": "m.megolm.v1.aes-sha2"})

    def invite(self, room_id: str, user_id: str) -> None:
        self._call("POST", f"/_matrix/client/v3/rooms/{quote(room_id)}/invite", {"user_id": user_id})

    def join(self, room_id: str) -> None:
        self._call("POST", f"/_matrix/client/v3/join/{quote(room_id)}", {})

    def leave(self, room_id: str) -> None:
        self._call("POST", f"/_matrix/client/v3/rooms/{quote(room_id)}/leave", {})

    def kick(self, room_id: str, user_id: str) -> None:
        self._call("POST", f"/_matrix/client/v3/rooms/{quote(room_id)}/kick", {"user_id": user_id, "reason": "test"})

    def say(self, room_id: str, text: str, msgtype: str = "m.text") -> str:
        self._txn += 1
        path = f"/_matrix/client/v3/rooms/{quote(room_id)}/send/m.room.message/t{time.time_ns()}-{self._txn}"
        return str(self._call("PUT", path, {"msgtype": msgtype, "body": text})["event_id"])

    def set_power_level(self, room_id: str, user_id: str, level: int) -> None:
        path = f"/_matrix/client/v3/rooms/{quote(room_id)}/state/m.room.power_levels/"
        levels = self._call("GET", path)
        levels.setdefault("users", {})[user_id] = level
        self._call("PUT", path, levels)

    def members(self, room_id: str) -> list[str]:
        joined = self._call("GET", f"/_matrix/client/v3/rooms/{quote(room_id)}/joined_members")["joined"]
        return sorted(joined)

    def messages(self, room_id: str, sender: str | None = None) -> list[dict[str, Any]]:
        """The room's m.room.message events, oldest first, optionally only those of one sender."""
        return [e for e in self.events(room_id, sender) if e["type"] == "m.room.message"]

    def events(self, room_id: str, sender: str | None, types: tuple[str, ...] = ("m.room.message", "m.room.encrypted")
               ) -> list[dict[str, Any]]:
        """What the homeserver holds of the room's messages, as stored (encrypted or not), oldest first."""
        path = f"/_matrix/client/v3/rooms/{quote(room_id)}/messages?dir=b&limit=200"
        events = self._call("GET", path)["chunk"]
        return [e for e in reversed(events) if e["type"] in types and sender in (None, e["sender"])]

    def highlights(self) -> list[dict[str, Any]]:
        """The events whose push rules notified this person with a highlight (they were mentioned), newest first."""
        return list(self._call("GET", "/_matrix/client/v3/notifications?only=highlight")["notifications"])

    def wait_for(self, room_id: str, sender: str, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        """Polls until `sender` has at least `count` messages in the room, then returns them all."""
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            found = self.messages(room_id, sender)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"expected {count} messages from {sender} in {room_id}, got {len(found)}: "
                             f"{[m['content'].get('body', '')[:80] for m in found]}")


def quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")
