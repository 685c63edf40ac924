"""Alerts to Matrix rooms on a real Synapse: exactly once, feed markup neutralised, edits, rate limits, resends."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.delivery import DeliverySettings, DeliveryWorker, PermanentError, TransientError
from bot.models import Delivery, utcnow
from bot.platforms.matrix.platform import MatrixPlatform
from bot.runtime import Runtime
from tests.feedserver import FeedServer, feed_server, rss
from tests.matrix.conftest import synced
from tests.matrix.coop_process import CoopProcess
from tests.matrix.encrypted import EncryptedMember
from tests.matrix.synapse import MatrixUser, RoomClient, Synapse
from tests.matrix.test_matrix_commands import room_with_bot

# Entity-encoded twice in the XML, so the feed's text really contains this markup and a room-wide mention.
HOSTILE_TITLE = "Europol alert @room &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"
HOSTILE_TEXT = ("Europol coordinated the action. &amp;lt;a href='javascript:alert(1)'&amp;gt;click&amp;lt;/a&amp;gt; "
                "&amp;lt;img src=x onerror=alert(1)&amp;gt; @room")


def feed_source(url: str) -> str:
    return f'[[sources]]\nid = "loop"\npublisher = "europol"\nurl = "{url}"\ninterval = 1\n'


class MarkupCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]


def markup_in(html: str) -> tuple[set[str], list[tuple[str, str, str | None]]]:
    """The elements and attributes a Matrix client would render from this HTML."""
    collector = MarkupCollector()
    collector.feed(html)
    return collector.tags, collector.attributes


def alerts_in(messages: list[dict[str, object]]) -> list[dict[str, object]]:
    return [m for m in messages if "m.relates_to" not in m["content"] and  # type: ignore[operator]
            "org.coop.release_ids" in m["content"]]  # type: ignore[operator]


BACKLOG = ("old", "Europol annual review", "Backlog.")


@contextmanager
def room_subscribed_to_a_feed(tmp_path: Path, synapse: Synapse, bot: MatrixUser, alice: RoomClient,
                              *members: RoomClient) -> Iterator[tuple[FeedServer, str]]:
    """`coop run` polling a loopback feed every second, and a room subscribed to europol past the first sync."""
    with feed_server() as feeds:
        feeds.set("/feed", rss(BACKLOG))
        with CoopProcess(tmp_path, synapse, bot, feed_source(feeds.url("/feed"))) as coop:
            room_id = room_with_bot(alice, bot, *members)
            alice.say(room_id, "!coop subscribe europol")
            alice.wait_for(room_id, bot.user_id, 1)
            coop.wait_synced("loop")  # the first poll stores the backlog silently
            yield feeds, room_id


def test_a_subscribed_room_gets_exactly_one_alert_with_the_feed_markup_neutralised(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    with room_subscribed_to_a_feed(tmp_path, synapse, bot_user, alice) as (feeds, room_id):
        feeds.set("/feed", rss(("new", HOSTILE_TITLE, HOSTILE_TEXT), BACKLOG))
        alice.wait_for(room_id, bot_user.user_id, 2)
        time.sleep(3)  # more polls: nothing may be announced twice
        messages = alice.messages(room_id, bot_user.user_id)
    alerts = alerts_in(messages)
    assert len(alerts) == 1
    content = alerts[0]["content"]
    assert isinstance(content, dict)
    html, body = content["formatted_body"], content["body"]
    assert "Europol alert" in body and "@room" not in body and "@room" not in html
    assert content["m.mentions"] == {}
    assert content["msgtype"] == "m.notice"
    tags, attributes = markup_in(html)
    assert tags <= {"a", "b", "br", "code", "ul", "li", "p", "i"}  # no script, img or anchor from the feed
    assert attributes == [("a", "href", "https://news.example.org/new")]
    assert "&lt;script&gt;" in html and "onerror" in body  # the feed's markup is shown as text, not dropped
    assert len(messages) == 2  # the subscription's confirmation and the one alert: no backlog, no repeat
    assert body.endswith("\nFollowed here: europol · !coop unsubscribe 1 to stop")


def test_an_alert_notifies_the_member_who_said_notify_and_nobody_else(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, bob: RoomClient
) -> None:
    with room_subscribed_to_a_feed(tmp_path, synapse, bot_user, alice, bob) as (feeds, room_id):
        bob.say(room_id, "!coop notify")  # at power level 0: each person may ask for themselves
        alice.wait_for(room_id, bot_user.user_id, 2)
        feeds.set("/feed", rss(("new", "Europol: five arrests", "Five."), BACKLOG))
        alert = alice.wait_for(room_id, bot_user.user_id, 3)[-1]
        deadline = time.monotonic() + 10
        while not bob.highlights() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert alert["content"]["m.mentions"] == {"user_ids": [bob.user.user_id]}
    assert [n["event"]["event_id"] for n in bob.highlights()] == [alert["event_id"]]
    assert alice.highlights() == []


def test_an_edited_release_becomes_an_edit_of_the_alert(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    changed_backlog = ("old", "Europol annual review", "B.")  # a release the room never had: no "updated" post
    with room_subscribed_to_a_feed(tmp_path, synapse, bot_user, alice) as (feeds, room_id):
        feeds.set("/feed", rss(("new", "Europol: five arrests", "Five."), changed_backlog))
        alert = alice.wait_for(room_id, bot_user.user_id, 2)[-1]
        feeds.set("/feed", rss(("new", "Europol: six arrests", "Six, not five."), changed_backlog))
        edit = alice.wait_for(room_id, bot_user.user_id, 3)[-1]
        time.sleep(2)
        messages = alice.messages(room_id, bot_user.user_id)
    assert len(messages) == 3
    assert edit["content"]["m.relates_to"] == {"rel_type": "m.replace", "event_id": alert["event_id"]}
    assert "six arrests" in edit["content"]["m.new_content"]["body"]
    assert edit["content"]["m.new_content"]["msgtype"] == "m.notice"


def test_a_correction_in_a_digest_edits_the_digest_and_keeps_its_other_releases(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    burst = [(f"n{n}", f"Europol: arrests in case {n}", f"Case {n}.") for n in range(7)]
    with room_subscribed_to_a_feed(tmp_path, synapse, bot_user, alice) as (feeds, room_id):
        feeds.set("/feed", rss(*burst, BACKLOG))
        digest = alice.wait_for(room_id, bot_user.user_id, 2)[-1]
        burst[4] = ("n4", "Europol: arrests in case 4, corrected", "Case 4: nine arrests.")
        feeds.set("/feed", rss(*burst, BACKLOG))
        edit = alice.wait_for(room_id, bot_user.user_id, 3)[-1]
    assert digest["content"]["body"].startswith("7 new releases")
    assert edit["content"]["m.relates_to"] == {"rel_type": "m.replace", "event_id": digest["event_id"]}
    new_body = edit["content"]["m.new_content"]["body"]
    assert new_body.startswith("7 new releases (updated)") and "case 4, corrected" in new_body
    assert all(f"arrests in case {n}" in new_body for n in range(7))  # not the corrected release alone


async def room_joined_by(alice: RoomClient, bot: RoomClient, platform: MatrixPlatform | None = None,
                         encrypted: bool = False) -> str:
    """A room the bot is in without `coop run` listening: these tests drive the platform object directly. With the
    platform, it has synced the room, as the listener's sync would."""
    room_id = alice.create_room("alerts", encrypted=encrypted)
    alice.invite(room_id, bot.user.user_id)
    bot.join(room_id)
    if platform is not None:
        await synced(platform)
    return room_id


async def test_a_resend_after_a_crash_posts_nothing_twice(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser
) -> None:
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user), platform)
    first, second = list(seeded.store.releases.all())[:2]
    assert await platform.find_sent("", room_id, first) is None
    event_id = await platform.post_alert("", room_id, [first])
    again = await platform.post_alert("", room_id, [first])  # the same send, repeated as after a crash
    assert again == event_id
    assert len(alice.messages(room_id, bot_user.user_id)) == 1
    assert await platform.find_sent("", room_id, first) == event_id
    assert await platform.find_sent("", room_id, second) is None


async def test_a_release_of_the_same_story_goes_into_the_thread_of_the_first_alert(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser
) -> None:
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user), platform)
    first, second = list(seeded.store.releases.all())[:2]
    root = await platform.post_alert("", room_id, [first])
    reply = await platform.post_alert("", room_id, [second], thread=root)
    _, threaded = alice.messages(room_id, bot_user.user_id)
    relation = threaded["content"]["m.relates_to"]
    assert threaded["event_id"] == reply != root
    assert relation["rel_type"] == "m.thread" and relation["event_id"] == root
    assert await platform.find_sent("", room_id, second, thread=root) == reply  # the reply itself, not its root


async def test_rate_limits_are_waited_out_through_the_outbox(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser
) -> None:
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user), platform)
    synapse.limit_messages(bot_user.user_id, per_second=1, burst=1)
    time.sleep(1.1)  # the bot's join counted against the new limit
    releases = list(seeded.store.releases.all())[:2]
    await platform.post_alert("", room_id, [releases[0]])
    with pytest.raises(TransientError) as raised:
        await platform.post_alert("", room_id, [releases[1]])
    assert raised.value.retry_after is not None and 0 < raised.value.retry_after <= 1.5

    worker = DeliveryWorker(seeded.store, {"matrix": platform}, DeliverySettings(per_channel_interval=0,
                                                                                       retry_base=0.1))
    seeded.store.outbox.enqueue([Delivery(release_id=releases[1].id, platform="matrix", channel=room_id)])
    handled = await worker.run_once()
    assert handled == 1 and len(alice.messages(room_id, bot_user.user_id)) == 1
    pending = seeded.store.outbox.due(utcnow() + timedelta(seconds=3), 10)
    assert [d.release_id for d in pending] == [releases[1].id]
    assert not seeded.store.outbox.due(utcnow(), 10)  # not before Retry-After
    time.sleep(1.6)
    await worker.run_once()
    assert len(alice.messages(room_id, bot_user.user_id)) == 2


async def test_a_room_that_removed_the_bot_fails_permanently(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser
) -> None:
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user), platform)
    alice.kick(room_id, bot_user.user_id)
    release = next(iter(seeded.store.releases.all()))
    with pytest.raises(PermanentError):
        await platform.post_alert("", room_id, [release])


async def test_a_room_the_sync_has_not_brought_waits_for_it_and_one_coop_is_not_in_is_refused(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser
) -> None:
    await synced(platform)
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user))  # after the sync: its members are not known
    release = next(iter(seeded.store.releases.all()))
    with pytest.raises(TransientError, match="not synced"):
        await platform.post_alert("", room_id, [release])
    await platform.client.sync(timeout=0)  # the listener's next sync
    await platform.post_alert("", room_id, [release])
    assert len(alice.messages(room_id, bot_user.user_id)) == 1
    with pytest.raises(PermanentError):
        await platform.post_alert("", alice.create_room("not for coop"), [release])


async def test_alerts_in_an_encrypted_room_are_encrypted_edited_and_found_again_after_a_crash(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser,
    alice_encrypting: EncryptedMember
) -> None:
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user), platform, encrypted=True)
    first, second = list(seeded.store.releases.all())[:2]
    event_id = await platform.post_alert("", room_id, [first])
    await platform.edit_alert("", room_id, event_id, [first.model_copy(update={"revision": 2})], first)
    card, edit = await alice_encrypting.wait_for(room_id, bot_user.user_id, 2)
    assert card["event_id"] == event_id and first.title in card["content"]["body"]
    assert edit["content"]["m.relates_to"] == {"rel_type": "m.replace", "event_id": event_id}
    stored = alice.events(room_id, bot_user.user_id)
    assert {e["type"] for e in stored} == {"m.room.encrypted"}
    # the relation stays in clear, as clients group an edit with its message before they decrypt it
    assert stored[1]["content"]["m.relates_to"] == {"rel_type": "m.replace", "event_id": event_id}
    # After a crash the bot reads its own encrypted history back to tell what it had sent.
    assert await platform.find_sent("", room_id, first) == event_id
    assert await platform.find_sent("", room_id, second) is None


async def test_a_room_that_turns_encryption_on_gets_its_next_alert_encrypted(
    synapse: Synapse, platform: MatrixPlatform, seeded: Runtime, alice: RoomClient, bot_user: MatrixUser
) -> None:
    room_id = await room_joined_by(alice, RoomClient(synapse, bot_user), platform)
    first, second = list(seeded.store.releases.all())[:2]
    await platform.post_alert("", room_id, [first])
    alice.turn_on_encryption(room_id)
    await platform.client.sync(timeout=0)  # as the listener's next sync would
    await platform.post_alert("", room_id, [second])
    assert [e["type"] for e in alice.events(room_id, bot_user.user_id)] == ["m.room.message", "m.room.encrypted"]
