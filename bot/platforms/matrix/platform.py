"""Matrix as a delivery platform for the outbox: post, edit, check whether a send landed, tell a room.

Every send carries a transaction id derived from what is sent (room, releases, revision), so a resend after a
crash is the same request to the homeserver, which answers with the event it already has instead of a second
message. `find_sent` also reads the room's recent history for our release ids, for sends older than the
homeserver's transaction memory.

In an encrypted room nio encrypts for every device of the room's members (coop cannot verify devices, so it does
not ask for them to be), which needs the members the sync brought: a send waits for the listener's first sync.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from typing import Any

from nio import (
    AsyncClient,
    EncryptionError,
    ErrorResponse,
    GroupEncryptionError,
    LocalProtocolError,
    MessageDirection,
    OlmTrustError,
    RoomMessagesResponse,
    RoomSendResponse,
)
from nio.events import RoomMessage

from bot.delivery import CARD, AlertStyle, PermanentError, TransientError
from bot.models import Release
from bot.platforms.matrix.render import (
    PREFIX,
    RELEASE_IDS_KEY,
    REVISION_KEY,
    alert_content,
    edit_content,
    text_content,
    thread_relation,
)
from bot.taxonomy import Taxonomy
from handlers.replies import followed_line

PLATFORM = "matrix"
# The room is gone or the bot may not post there: retrying will not help, the subscription is paused.
PERMANENT = {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN", "M_USER_DEACTIVATED"}
HISTORY_LOOKBACK = 100
FIRST_SYNC_WAIT = 10.0  # seconds a send waits at start for the sync that brings the rooms and their members
# Encrypting failed: a member's keys could not be fetched or claimed now; the outbox tries again.
ENCRYPTION_FAILURES = (LocalProtocolError, EncryptionError, GroupEncryptionError, OlmTrustError)


def check(response: Any, what: str) -> Any:
    """A nio response with Matrix's failures translated for the outbox (rate limits retry, gone stops)."""
    if not isinstance(response, ErrorResponse):
        return response
    code = response.status_code or ""
    if code == "M_LIMIT_EXCEEDED":
        retry_after = (response.retry_after_ms or 1000) / 1000
        raise TransientError(f"{what}: rate limited", retry_after=retry_after)
    if code in PERMANENT:
        raise PermanentError(f"{what}: {code} {response.message}")
    raise TransientError(f"{what}: {code or 'error'} {response.message}")


def transaction_id(room_id: str, kind: str, releases: list[Release]) -> str:
    key = "|".join([room_id, kind, *(f"{r.id}@{r.revision}" for r in releases)])
    return "coop-" + hashlib.sha256(key.encode()).hexdigest()[:40]


class MatrixPlatform:
    name = PLATFORM
    prefix = PREFIX

    def __init__(self, client: AsyncClient, taxonomy: Taxonomy) -> None:
        self.client = client
        self.taxonomy = taxonomy
        self.synced = asyncio.Event()  # set by the listener once its first sync brought every room and member

    async def send(self, room_id: str, content: dict[str, Any], txn: str | None = None) -> str:
        try:
            await self.known_room(room_id)
            response = await self.client.room_send(room_id, "m.room.message", content, tx_id=txn,
                                                   ignore_unverified_devices=True)
        except (OSError, TimeoutError) as error:
            raise TransientError(f"homeserver unreachable: {error}") from error
        except ENCRYPTION_FAILURES as error:
            raise TransientError(f"could not encrypt for the room: {error}") from error
        sent = check(response, "send")
        assert isinstance(sent, RoomSendResponse)
        return str(sent.event_id)

    async def known_room(self, room_id: str) -> None:
        """Whether to encrypt, and for whom, comes from the sync. A room it has not brought is asked about: one
        coop is not in is refused for good; any other will come with a later sync."""
        if room_id in self.client.rooms:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.synced.wait(), FIRST_SYNC_WAIT)
        if room_id in self.client.rooms:
            return
        check(await self.client.joined_members(room_id), "send")  # M_FORBIDDEN: coop is not in the room
        raise TransientError("the room is not synced yet")

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        content = alert_content(releases, self.taxonomy, note=followed_line(style.named, PREFIX, style.waited),
                                compact=style.compact, mentions=style.mentions)
        if thread:
            content["m.relates_to"] = thread_relation(thread)
        return await self.send(channel, content, transaction_id(channel, "alert", releases))

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        content = edit_content(message_ref, releases, self.taxonomy, note=followed_line(style.named, PREFIX),
                               compact=style.compact, mentions=style.mentions)
        await self.send(channel, content, transaction_id(channel, "edit", releases))
        return message_ref  # later edits replace the original event, not the edit

    async def find_sent(self, workspace: str, channel: str, release: Release, thread: str | None = None) -> str | None:
        """After a crash: was this release already posted here? Our alerts carry its id in their content."""
        try:
            response = await self.client.room_messages(channel, direction=MessageDirection.back,
                                                       limit=HISTORY_LOOKBACK)
        except (OSError, TimeoutError) as error:
            raise TransientError(f"homeserver unreachable: {error}") from error
        history = check(response, "history")
        assert isinstance(history, RoomMessagesResponse)
        for event in history.chunk:
            if not isinstance(event, RoomMessage) or event.sender != self.client.user_id:
                continue
            content = event.source.get("content", {})
            if release.id in content.get(RELEASE_IDS_KEY, []) and content.get(REVISION_KEY, 1) >= release.revision:
                relation = content.get("m.relates_to") or {}
                edited = relation.get("event_id") if relation.get("rel_type") == "m.replace" else None
                return str(edited or event.event_id)  # a reply in a thread is its own message, not its root
        return None

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        await self.send(channel, text_content(text))
