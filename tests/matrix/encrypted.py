"""A person whose client encrypts, as Element does by default in private rooms: matrix-nio with device keys of its
own, reading and writing through the real Synapse, so a test sees only what that person's client would decrypt."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig, MegolmEvent, RoomMessage, SyncResponse, WhoamiResponse

from tests.matrix.synapse import MatrixUser, Synapse, quote


class EncryptedMember:
    def __init__(self, server: Synapse, user: MatrixUser, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
        self.client = AsyncClient(server.url, user.user_id, store_path=str(folder), config=config)
        self.server = server
        self.user = user
        self.read: dict[str, list[dict[str, Any]]] = {}  # room -> decrypted messages, oldest first
        self.unreadable: list[MegolmEvent] = []
        self.held_keys: list[dict[str, Any]] = []

    async def start(self) -> EncryptedMember:
        self.client.access_token = self.user.access_token
        whoami = await self.client.whoami()
        assert isinstance(whoami, WhoamiResponse) and whoami.device_id
        self.client.restore_login(self.user.user_id, whoami.device_id, self.user.access_token)
        await self.client.keys_upload()
        await self.sync(full_state=True)
        return self

    async def close(self) -> None:
        await self.client.close()

    async def sync(self, full_state: bool = False) -> None:
        response = await self.client.sync(timeout=0, full_state=full_state)
        assert isinstance(response, SyncResponse), response
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                if isinstance(event, RoomMessage):
                    self.read.setdefault(room_id, []).append(event.source)
                elif isinstance(event, MegolmEvent):
                    self.unreadable.append(event)
        await self.client.send_to_device_messages()
        if self.client.should_query_keys:
            await self.client.keys_query()
        if self.client.should_claim_keys:
            await self.client.keys_claim(self.client.get_users_for_key_claiming())

    async def say(self, room_id: str, text: str) -> None:
        await self.sync()
        await self.client.joined_members(room_id)  # the bot may have joined since the last sync
        sent = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": text},
                                           ignore_unverified_devices=True)
        assert hasattr(sent, "event_id"), sent

    async def wait_for(self, room_id: str, sender: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        """Syncs until this person's client has decrypted `count` messages of `sender` in the room."""
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            await self.sync()
            found = [m for m in self.read.get(room_id, []) if m["sender"] == sender]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.2)
        raise AssertionError(f"expected {count} messages from {sender} in {room_id}, decrypted {len(found)}; "
                             f"{len(self.unreadable)} could not be decrypted")

    async def say_before_sharing_the_key(self, room_id: str, text: str) -> None:
        """A slow client: the message goes out encrypted, and the room key it needs only when `share_key` is
        called (nio sends the key first; this holds its to-device messages back)."""
        await self.sync()
        await self.client.joined_members(room_id)
        if self.client.should_query_keys:
            await self.client.keys_query()
        await self.client.keys_claim(self.client.get_missing_sessions(room_id))
        olm = self.client.olm
        assert olm is not None
        room_members = list(self.client.rooms[room_id].users)
        self.held_keys = [held for _, held in olm.share_group_session_parallel(room_id, room_members, True)]
        olm.outbound_group_sessions[room_id].shared = True
        content = olm.group_encrypt(room_id, {"type": "m.room.message",
                                              "content": {"msgtype": "m.text", "body": text}})
        path = f"/_matrix/client/v3/rooms/{quote(room_id)}/send/m.room.encrypted/late-{time.time_ns()}"
        self.server.request("PUT", path, content, token=self.user.access_token)

    async def share_key(self) -> None:
        for number, held in enumerate(self.held_keys):
            path = f"/_matrix/client/v3/sendToDevice/m.room.encrypted/key-{time.time_ns()}-{number}"
            self.server.request("PUT", path, held, token=self.user.access_token)
