"""`coop run` on a real Synapse: invites, `!coop` commands, power levels, restarts."""

from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import run_coop
from tests.matrix.coop_process import CoopProcess
from tests.matrix.synapse import MatrixUser, RoomClient, Synapse

SEED_TITLE = "INTERPOL AND EUROPOL AGREE JOINT INITIATIVES"


def wait_until_joined(room: RoomClient, room_id: str, user_id: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if user_id in room.members(room_id):
            return
        time.sleep(0.2)
    raise AssertionError(f"{user_id} did not join {room_id}")


def room_with_bot(alice: RoomClient, bot: MatrixUser, *members: RoomClient, name: str = "cooperation news",
                  direct: bool = False, encrypted: bool = False) -> str:
    """A room (or direct chat) alice created, the bot has joined, and the other members too (default power level)."""
    room_id = alice.create_room(name, encrypted=encrypted, direct=direct)
    alice.invite(room_id, bot.user_id)
    wait_until_joined(alice, room_id, bot.user_id)
    for member in members:
        alice.invite(room_id, member.user.user_id)
        member.join(room_id)
    return room_id


def test_joins_on_invite_and_answers_search_with_the_interpol_europol_seed_as_a_notice(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    with CoopProcess(tmp_path, synapse, bot_user):
        room_id = room_with_bot(alice, bot_user)
        alice.say(room_id, "!coop help", msgtype="m.notice")  # another bot's notice: never answered
        alice.say(room_id, "the weekly coop digest is out")  # not a command: ignored
        alice.say(room_id, "!coop search cybercrime")
        replies = alice.wait_for(room_id, bot_user.user_id, 1)
        time.sleep(1.5)
        replies = alice.messages(room_id, bot_user.user_id)
    assert len(replies) == 1
    content = replies[0]["content"]
    assert content["msgtype"] == "m.notice"
    assert SEED_TITLE in content["body"].upper()
    assert SEED_TITLE in content["formatted_body"].upper()
    assert content["format"] == "org.matrix.custom.html"


def test_direct_chat_is_answered_like_a_room(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    with CoopProcess(tmp_path, synapse, bot_user):
        room_id = room_with_bot(alice, bot_user, name="", direct=True)
        alice.say(room_id, "> <@someone:coop.test> what do we follow?\n\n!coop agencies")  # a reply, as clients send it
        reply = alice.wait_for(room_id, bot_user.user_id, 1)[0]
    assert "europol" in reply["content"]["body"]


def test_a_member_below_the_power_level_may_look_up_but_not_change_subscriptions_or_settings(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, bob: RoomClient
) -> None:
    with CoopProcess(tmp_path, synapse, bot_user):
        room_id = room_with_bot(alice, bot_user, bob)
        bob.say(room_id, "!coop subscribe europol")
        refused = alice.wait_for(room_id, bot_user.user_id, 1)[-1]["content"]["body"]
        bob.say(room_id, "!coop timezone lisbon")
        zone_refused = alice.wait_for(room_id, bot_user.user_id, 2)[-1]["content"]["body"]
        bob.say(room_id, "!coop threads off")
        threads_refused = alice.wait_for(room_id, bot_user.user_id, 3)[-1]["content"]["body"]
        bob.say(room_id, "!coop pause")
        pause_refused = alice.wait_for(room_id, bot_user.user_id, 4)[-1]["content"]["body"]
        bob.say(room_id, "!coop format compact")
        format_refused = alice.wait_for(room_id, bot_user.user_id, 5)[-1]["content"]["body"]
        bob.say(room_id, "!coop search cybercrime")
        looked_up = alice.wait_for(room_id, bot_user.user_id, 6)[-1]["content"]["body"]
        alice.set_power_level(room_id, bob.user.user_id, 50)
        bob.say(room_id, "!coop subscribe europol")
        accepted = alice.wait_for(room_id, bot_user.user_id, 7)[-1]["content"]["body"]
        alice.say(room_id, "!coop subscriptions")
        listed = alice.wait_for(room_id, bot_user.user_id, 8)[-1]["content"]["body"]
    refusals = (refused, zone_refused, threads_refused, pause_refused, format_refused)
    assert all("needs power level 50; yours is 0" in refusal for refusal in refusals)
    assert SEED_TITLE in looked_up.upper()
    assert accepted.startswith("Subscribed")
    assert listed.startswith("This room follows:") and "1: europol" in listed and "2:" not in listed


def test_a_member_who_leaves_the_room_is_no_longer_mentioned_there(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, bob: RoomClient
) -> None:
    with CoopProcess(tmp_path, synapse, bot_user):
        room_id = room_with_bot(alice, bot_user, bob)
        alice.set_power_level(room_id, bob.user.user_id, 50)
        bob.say(room_id, "!coop subscribe europol")
        bob.say(room_id, "!coop notify")
        alice.say(room_id, "!coop notify")
        alice.say(room_id, "!coop subscriptions")
        before = alice.wait_for(room_id, bot_user.user_id, 4)[-1]["content"]["body"]
        bob.leave(room_id)
        alice.say(room_id, "!coop subscriptions")  # answered after the leave, which comes first in the timeline
        after = alice.wait_for(room_id, bot_user.user_id, 5)[-1]["content"]["body"]
    assert "1: europol · mentions you and 1 other" in before
    assert "1: europol · mentions you" in after and "other" not in after


def test_a_restart_neither_answers_old_commands_again_nor_misses_new_ones(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    coop = CoopProcess(tmp_path, synapse, bot_user)
    with coop:
        room_id = room_with_bot(alice, bot_user)
        alice.say(room_id, "!coop help")
        alice.wait_for(room_id, bot_user.user_id, 1)
    assert coop.process is not None and coop.process.returncode == 0
    alice.say(room_id, "!coop areas")  # typed while coop is down
    with coop:
        replies = alice.wait_for(room_id, bot_user.user_id, 2)
        time.sleep(2)
        replies = alice.messages(room_id, bot_user.user_id)
    assert len(replies) == 2
    assert "!coop search cybercrime" in replies[0]["content"]["body"]  # help's examples as typed in Matrix
    assert "cybercrime" in replies[1]["content"]["body"]


def test_invites_from_outside_the_allowlist_are_ignored(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, bob: RoomClient
) -> None:
    coop = CoopProcess(tmp_path, synapse, bot_user)
    coop.set_default("invite_allowlist = []", f'invite_allowlist = ["{alice.user.user_id}"]')
    with coop:
        bobs_room = bob.create_room("bob's")
        bob.invite(bobs_room, bot_user.user_id)
        alices_room = room_with_bot(alice, bot_user)
        time.sleep(1.5)
        assert bot_user.user_id not in bob.members(bobs_room)
    assert bot_user.user_id in alice.members(alices_room)


def test_a_refused_token_stops_coop_with_exit_2_and_says_which_variable(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser
) -> None:
    coop = CoopProcess(tmp_path, synapse, MatrixUser(bot_user.user_id, "syt_not_a_token"))
    result = run_coop("run", env=coop.env)
    assert result.returncode == 2
    assert "MATRIX_ACCESS_TOKEN" in result.stderr
    assert "syt_not_a_token" not in result.stderr + result.stdout


def test_a_token_of_another_account_is_refused_at_start(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient
) -> None:
    coop = CoopProcess(tmp_path, synapse, MatrixUser(bot_user.user_id, alice.user.access_token))
    result = run_coop("run", env=coop.env)
    assert result.returncode == 2
    assert f"belongs to {alice.user.user_id}, not MATRIX_USER_ID {bot_user.user_id}" in result.stderr


def test_only_the_configured_admins_may_change_sources(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, bob: RoomClient
) -> None:
    coop = CoopProcess(tmp_path, synapse, bot_user)
    coop.set_default("admins = []", f'admins = ["{alice.user.user_id}"]')
    with coop:
        room_id = room_with_bot(alice, bot_user, bob)
        bob.say(room_id, "!coop sources add https://news.example.org/feed")
        refused = alice.wait_for(room_id, bot_user.user_id, 1)[-1]["content"]["body"]
        alice.say(room_id, "!coop sources add http://127.0.0.1:9/feed")
        checked = alice.wait_for(room_id, bot_user.user_id, 2)[-1]["content"]["body"]
    assert refused == "Only admins can add or remove sources."
    assert "127.0.0.1" in checked and "Only admins" not in checked  # an admin's request reaches the address check
