"""Matrix as a delivery platform for the outbox: post, edit, check whether a send landed, tell a room.

Every send carries a transaction id derived from what is sent (room, releases, revision), so a resend after a
crash is the same request to the homeserver, which answers with the event it already has instead of a second
message. `find_sent` also reads the room's recent history for our release ids, for sends older than the
homeserver's transaction memory.
"""

from __future__ import annotations

import hashlib
from typing import Any

from nio import (
    AsyncClient,
    ErrorResponse,
    MessageDirection,
    RoomGetStateEventResponse,
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

    async def send(self, room_id: str, content: dict[str, Any], txn: str | None = None) -> str:
        try:
            response = await self.client.room_send(room_id, "m.room.message", content, tx_id=txn)
        except (OSError, TimeoutError) as error:
            raise TransientError(f"homeserver unreachable: {error}") from error
        sent = check(response, "send")
        assert isinstance(sent, RoomSendResponse)
        return str(sent.event_id)

    async def is_encrypted(self, room_id: str) -> bool:
        """From the state the sync keeps where the room is known, else asked of the homeserver."""
        room = self.client.rooms.get(room_id)
        if room is not None:
            return bool(room.encrypted)
        state = await self.client.room_get_state_event(room_id, "m.room.encryption")
        return isinstance(state, RoomGetStateEventResponse)

    async def refuse_encrypted(self, room_id: str) -> None:
        """Alerts would go out unencrypted into a room whose members expect encryption: refused, and the outbox
        pauses the room's subscriptions (end-to-end encryption is not supported yet)."""
        if await self.is_encrypted(room_id):
            raise PermanentError("the room is encrypted, which coop does not support yet")

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        await self.refuse_encrypted(channel)
        content = alert_content(releases, self.taxonomy, note=followed_line(style.named, PREFIX),
                                compact=style.compact, mentions=style.mentions)
        if thread:
            content["m.relates_to"] = thread_relation(thread)
        return await self.send(channel, content, transaction_id(channel, "alert", releases))

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        await self.refuse_encrypted(channel)
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
