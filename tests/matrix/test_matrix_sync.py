"""The sync loop in place: a stop during an answer, and a gap in a busy timeline. Nothing answered twice or missed."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from prometheus_client import REGISTRY

from bot.commands_cli import make_deps
from bot.config import MatrixDefaults
from bot.platforms.matrix import listener as listener_module
from bot.platforms.matrix.app import MatrixRunning
from bot.platforms.matrix.listener import MatrixListener
from bot.platforms.matrix.platform import MatrixPlatform
from bot.runtime import Runtime
from handlers.dispatch import handle
from tests.matrix.synapse import MatrixUser, RoomClient


async def listening_in_a_room(platform: MatrixPlatform, seeded: Runtime,
                              alice: RoomClient) -> tuple[MatrixListener, str]:
    """The sync loop driven by hand, after its first start and after joining a room alice invited it to."""
    listener = MatrixListener(platform, make_deps(seeded), seeded.store.kv, MatrixDefaults(sync_timeout=1))
    room_id = alice.create_room("coop news")
    alice.invite(room_id, platform.client.user_id)
    await listener.sync_once()  # first start: joins, replays nothing
    await listener.sync_once()
    return listener, room_id


async def test_a_stop_during_an_answer_finishes_it_and_saves_the_sync_token(
    platform: MatrixPlatform, bot_user: MatrixUser, alice: RoomClient, seeded: Runtime,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()

    def slow_handle(*args: Any) -> Any:
        entered.set()
        release.wait(10)
        return handle(*args)

    monkeypatch.setattr(listener_module, "handle", slow_handle)
    listener, room_id = await listening_in_a_room(platform, seeded, alice)
    token_before = seeded.store.kv.get(listener.token_key)
    alice.say(room_id, "!coop agencies")
    running = MatrixRunning(platform.client, listener, asyncio.create_task(listener.run_forever()))
    assert await asyncio.to_thread(entered.wait, 10)
    stopping = asyncio.create_task(running.stop())
    await asyncio.sleep(0.3)
    assert not running.task.done()  # it waits for the answer rather than cutting it off
    release.set()
    await asyncio.wait_for(stopping, 20)
    replies = alice.messages(room_id, bot_user.user_id)
    assert len(replies) == 1 and "europol" in replies[0]["content"]["body"]
    assert seeded.store.kv.get(listener.token_key) not in (None, token_before)
    assert running.task.done()


async def test_commands_beyond_a_gap_in_the_timeline_are_all_answered(
    platform: MatrixPlatform, bot_user: MatrixUser, alice: RoomClient, seeded: Runtime,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listener_module, "TIMELINE_LIMIT", 2)  # a sync shows the last two events, then a gap
    listener, room_id = await listening_in_a_room(platform, seeded, alice)
    commands = ["!coop agencies", "some chat", "!coop areas", "more chat", "!coop help", "!coop latest", "bye"]
    for text in commands:  # typed while coop was not syncing
        alice.say(room_id, text)
    answered_before = REGISTRY.get_sample_value("coop_command_seconds_count", {"platform": "matrix"}) or 0
    await listener.sync_once()
    replies = alice.messages(room_id, bot_user.user_id)
    assert len(replies) == 4
    assert REGISTRY.get_sample_value("coop_command_seconds_count", {"platform": "matrix"}) == answered_before + 4
    assert "europol" in replies[0]["content"]["body"] and "cybercrime" in replies[1]["content"]["body"]
