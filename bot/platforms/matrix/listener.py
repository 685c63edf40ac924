"""The Matrix sync loop: joins on invite, answers `!coop` in rooms and direct chats, remembers where it stopped.

The sync token is saved in the store after each batch has been handled, so a restart neither answers old commands
again nor misses new ones. With no saved token (the first start) the room history is not replayed: only invites
are acted on. The bot never reacts to notices (bots talk in notices) nor to its own messages.

Encrypted rooms work as any other: nio decrypts what the sync brings with the room keys members' clients sent
coop's device. After each sync the device's keys are kept up: new one-time keys published, members' devices
fetched. A message whose key has not come yet is tried again after the next syncs, for `KEY_WAIT` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from nio import (
    AsyncClient,
    EncryptionError,
    Event,
    InviteMemberEvent,
    JoinError,
    MegolmEvent,
    RoomGetStateResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
)

from bot.config import MatrixDefaults
from bot.delivery import TransientError
from bot.metrics import COMMAND_SECONDS
from bot.platforms.matrix.platform import PLATFORM, MatrixPlatform
from bot.platforms.matrix.render import PREFIX, reply_content
from bot.store.sources import KeyValueRepository
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.membership import member_left
from handlers.parser import parse, strip_prefix

logger = logging.getLogger(__name__)
T = TypeVar("T")
# They change what the room gets, when or how: they take the power level of `subscribe`.
SUBSCRIPTION_COMMANDS = {"subscribe", "unsubscribe", "pause", "resume", "timezone", "threads", "format"}
REPLY_ATTEMPTS = 3
MAX_SYNC_BACKOFF = 60.0
TIMELINE_LIMIT = 50  # events per room and sync; more since the last sync is a gap, read back page by page
BACKFILL_PAGE = 100
MAX_BACKFILL = 500  # events read back per room after a gap; older commands are too old to answer
LEFT = {"leave", "ban"}  # a member who left, was kicked or was banned
PRIVILEGED_CREATORS_FROM = 12  # room version from which creators hold unlimited power
CREATOR_POWER = 2**53 - 1  # above any level a power_levels event can hold
KEY_WAIT = 300.0  # seconds an encrypted message waits for its room key, which a member's client sends apart
MAX_UNDECRYPTED = 500  # messages waiting for keys at once; a flood of unreadable ones must not grow memory


class MatrixListener:
    def __init__(self, platform: MatrixPlatform, deps: Deps, kv: KeyValueRepository, config: MatrixDefaults,
                 on_command: Callable[[], None] = lambda: None) -> None:
        self.platform = platform
        self.client: AsyncClient = platform.client
        self.deps = deps
        self.kv = kv
        self.config = config
        self.on_command = on_command
        self.token_key = f"matrix.next_batch.{self.client.user_id}"
        self.since: str | None = None  # where the last handled sync ended, as saved in the store
        self.stopping = False
        self.waiting = False  # in a /sync long-poll or a backoff: nothing half done, safe to cancel
        self.undecrypted: list[tuple[str, MegolmEvent, float]] = []  # room, event, monotonic time to give up

    def request_stop(self) -> bool:
        """Asks the loop to end; True when it is waiting and may be cancelled now, False when it is busy
        answering a batch (it then finishes the batch, saves the sync token and ends by itself)."""
        self.stopping = True
        return self.waiting

    async def run_forever(self) -> None:
        backoff = 1.0
        while not self.stopping:
            try:
                await self.sync_once(self.config.sync_timeout * 1000)
                backoff = 1.0
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Matrix sync failed; retrying in %.0f s", backoff)
                await self._wait(asyncio.sleep(backoff))
                backoff = min(backoff * 2, MAX_SYNC_BACKOFF)

    async def _wait(self, awaitable: Awaitable[T]) -> T:
        self.waiting = True
        try:
            return await awaitable
        finally:
            self.waiting = False

    async def sync_once(self, timeout_ms: int = 0) -> None:
        if self.since is None:  # read once: this loop is the only writer of its token
            self.since = await asyncio.to_thread(self.kv.get, self.token_key)
        since = self.since
        # The first sync of each start brings every room's state (members, encryption), not only what changed.
        first_here = not self.platform.synced.is_set()
        response = await self._wait(self.client.sync(timeout=timeout_ms, since=since, full_state=first_here,
                                                     sync_filter=sync_filter(first=since is None)))
        if not isinstance(response, SyncResponse):
            raise TransientError(f"sync refused: {response}")
        self.platform.synced.set()
        await self.handle_invites(response)
        if since is not None:
            await self.handle_undecrypted()
            await self.handle_timelines(response, since)
        await asyncio.to_thread(self.kv.set, self.token_key, response.next_batch)
        self.since = response.next_batch
        await self.keep_keys()

    async def keep_keys(self) -> None:
        """What nio's own sync loop would do: key shares to send, one-time keys to publish, new devices of the
        members to fetch and sessions with them to open."""
        await self.client.send_to_device_messages()
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        if self.client.should_query_keys:
            await self.client.keys_query()
        if self.client.should_claim_keys:
            await self.client.keys_claim(self.client.get_users_for_key_claiming())

    async def handle_invites(self, response: SyncResponse) -> None:
        for room_id, info in response.rooms.invite.items():
            inviter = next((e.sender for e in info.invite_state if isinstance(e, InviteMemberEvent)
                            and e.state_key == self.client.user_id and e.membership == "invite"), "")
            if not self.may_invite(inviter):
                logger.info("ignored an invite to %s from %s (not in invite_allowlist)", room_id, inviter)
                continue
            joined = await self.client.join(room_id)
            if isinstance(joined, JoinError):
                logger.warning("could not join %s: %s", room_id, joined)
                continue
            logger.info("joined %s on the invite of %s", room_id, inviter)

    def may_invite(self, inviter: str) -> bool:
        allow = self.config.invite_allowlist
        return not allow or any(inviter == entry or (entry.startswith(":") and inviter.endswith(entry))
                                for entry in allow)

    async def handle_timelines(self, response: SyncResponse, since: str) -> None:
        for room_id, info in response.rooms.join.items():
            events = list(info.timeline.events)
            if info.timeline.limited and info.timeline.prev_batch:
                events = await self.missed_events(room_id, info.timeline.prev_batch, since) + events
            for event in events:
                await self.handle_event(room_id, event)

    async def missed_events(self, room_id: str, prev_batch: str, since: str) -> list[Event]:
        """What a gap in the timeline left out (many messages while coop was down), read back to the last sync."""
        found: list[Event] = []
        token = prev_batch
        while len(found) < MAX_BACKFILL:
            page = await self.client.room_messages(room_id, start=token, end=since, limit=BACKFILL_PAGE)
            if not isinstance(page, RoomMessagesResponse) or not page.chunk:
                break
            found += page.chunk
            if not page.end or page.end == token:
                break
            token = page.end
        return list(reversed(found))

    async def handle_event(self, room_id: str, event: Event) -> None:
        if getattr(event, "sender", None) == self.client.user_id:
            return
        if isinstance(event, MegolmEvent):  # nio could not decrypt it: its key may come with a later sync
            self.undecrypted = self.undecrypted[-(MAX_UNDECRYPTED - 1):]
            self.undecrypted.append((room_id, event, time.monotonic() + KEY_WAIT))
        elif isinstance(event, RoomMessageText) and not is_edit(event.source):
            await self.answer(room_id, event)
        elif isinstance(event, RoomMemberEvent) and event.membership in LEFT and event.state_key:
            await asyncio.to_thread(member_left, self.deps, PLATFORM, "", room_id, event.state_key)

    async def handle_undecrypted(self) -> None:
        waiting, self.undecrypted = self.undecrypted, []
        for room_id, event, give_up_at in waiting:
            try:
                decrypted = self.client.decrypt_event(event)
            except EncryptionError:
                if time.monotonic() < give_up_at:
                    self.undecrypted.append((room_id, event, give_up_at))
                else:
                    logger.warning("could not read %s's message %s in %s: its key never reached coop's device",
                                   event.sender, event.event_id, room_id)
                continue
            await self.handle_event(room_id, decrypted)

    async def answer(self, room_id: str, event: RoomMessageText) -> None:
        body = without_reply_quote(event.body)
        text = strip_prefix(body) if body.lstrip().startswith(PREFIX) else None
        if text is None:
            return
        started = time.monotonic()
        try:
            ctx = await self.command_context(room_id, event.sender, text)
            reply = await asyncio.to_thread(handle, text, ctx, self.deps)
            self.on_command()
            await self.send_reply(room_id, event.event_id, reply_content(reply))
            COMMAND_SECONDS.labels(PLATFORM).observe(time.monotonic() - started)
        except Exception:
            logger.exception("could not answer %r in %s", event.body[:200], room_id)

    async def command_context(self, room_id: str, sender: str, text: str) -> CommandContext:
        name = parse(text).name
        can_change, refusal = True, ""
        if name in SUBSCRIPTION_COMMANDS:
            level, needed = await self.power_level(room_id, sender), self.config.power_level_to_subscribe
            can_change = level >= needed
            refusal = (f"Changing this room's subscriptions or settings needs power level {needed}; yours is {level}. "
                       "Ask a room moderator to make the change or to raise your level.")
        return CommandContext(platform=PLATFORM, channel=room_id, user=sender, is_admin=sender in self.config.admins,
                              can_change_subscriptions=can_change, refusal=refusal, place="room",
                              prefix=PREFIX)

    async def power_level(self, room_id: str, user_id: str) -> int:
        """Read fresh from the room state for each change, so a level raised a moment ago counts at once."""
        response = await self.client.room_get_state(room_id)
        if not isinstance(response, RoomGetStateResponse):
            return 0
        return user_power(response.events, user_id)

    async def send_reply(self, room_id: str, event_id: str, content: dict[str, Any]) -> None:
        """Rate limits are waited out; the transaction id (from the command's event) makes a retry idempotent."""
        txn = "coop-reply-" + hashlib.sha256(event_id.encode()).hexdigest()[:40]
        for attempt in range(REPLY_ATTEMPTS):
            try:
                await self.platform.send(room_id, content, txn)
                return
            except TransientError as error:
                if attempt + 1 == REPLY_ATTEMPTS:
                    raise
                await asyncio.sleep(error.retry_after or 2.0 ** attempt)


def sync_filter(first: bool) -> dict[str, Any]:
    """Only what the bot acts on: room timelines and invites; no presence, typing, receipts or account data.
    On the first start the history is not replayed, so its timelines are not even asked for."""
    return {
        "presence": {"types": []},
        "account_data": {"types": []},
        "room": {"ephemeral": {"types": []}, "account_data": {"types": []},
                 "timeline": {"limit": 1 if first else TIMELINE_LIMIT}},
    }


def user_power(state: list[dict[str, Any]], user_id: str) -> int:
    """A member's power level; from room version 12 the room's creators outrank every level."""
    create = next((e for e in state if e.get("type") == "m.room.create"), {})
    content = create.get("content", {})
    version = str(content.get("room_version", "1"))
    creators = {create.get("sender"), *content.get("additional_creators", [])}
    if version.isdigit() and int(version) >= PRIVILEGED_CREATORS_FROM and user_id in creators:
        return CREATOR_POWER
    levels: dict[str, Any] = next(
        (e.get("content", {}) for e in state if e.get("type") == "m.room.power_levels"), {})
    return int(levels.get("users", {}).get(user_id, levels.get("users_default", 0)))


def without_reply_quote(body: str) -> str:
    """A reply's body starts with the quoted message ("> <@user> ...") and a blank line: the command follows."""
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


def is_edit(source: dict[str, Any]) -> bool:
    """An edited command is not run again: the edit arrives as a new event that replaces the old one."""
    relates = source.get("content", {}).get("m.relates_to") or {}
    return bool(relates.get("rel_type") == "m.replace")
