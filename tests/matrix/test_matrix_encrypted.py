"""`coop run` in encrypted rooms on a real Synapse: commands and answers that only the members' clients can read,
keys that outlive a restart, and a lost key store that stops coop with what to do."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from tests.conftest import run_coop
from tests.feedserver import feed_server, rss
from tests.matrix.coop_process import CoopProcess
from tests.matrix.encrypted import EncryptedMember
from tests.matrix.synapse import MatrixUser, RoomClient, Synapse
from tests.matrix.test_matrix_alerts import BACKLOG, feed_source
from tests.matrix.test_matrix_commands import SEED_TITLE, room_with_bot


async def test_an_encrypted_room_is_answered_in_encrypted_notices_its_members_can_read(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, alice_encrypting: EncryptedMember
) -> None:
    with CoopProcess(tmp_path, synapse, bot_user):
        room_id = room_with_bot(alice, bot_user, encrypted=True)
        await alice_encrypting.say(room_id, "!coop search cybercrime")
        replies = await alice_encrypting.wait_for(room_id, bot_user.user_id, 1)
    assert replies[0]["content"]["msgtype"] == "m.notice"
    assert SEED_TITLE in replies[0]["content"]["body"].upper()
    on_the_server = alice.events(room_id, bot_user.user_id)
    assert on_the_server and {e["type"] for e in on_the_server} == {"m.room.encrypted"}  # nothing in clear
    assert all(SEED_TITLE not in str(e).upper() for e in on_the_server)


async def test_a_command_whose_key_comes_late_is_answered_when_the_key_arrives(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, alice_encrypting: EncryptedMember
) -> None:
    with CoopProcess(tmp_path, synapse, bot_user):
        room_id = room_with_bot(alice, bot_user, encrypted=True)
        await alice_encrypting.say_before_sharing_the_key(room_id, "!coop agencies")
        await asyncio.sleep(2)  # coop has synced the message and could not read it
        assert not alice.events(room_id, bot_user.user_id)
        await alice_encrypting.share_key()
        replies = await alice_encrypting.wait_for(room_id, bot_user.user_id, 1)
    assert "europol" in replies[0]["content"]["body"]


async def test_a_member_who_joins_later_reads_the_answers_that_follow(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, bob: RoomClient,
    alice_encrypting: EncryptedMember
) -> None:
    later = await EncryptedMember(synapse, bob.user, tmp_path / "bob-keys").start()
    try:
        with CoopProcess(tmp_path, synapse, bot_user):
            room_id = room_with_bot(alice, bot_user, encrypted=True)
            await alice_encrypting.say(room_id, "!coop agencies")
            await alice_encrypting.wait_for(room_id, bot_user.user_id, 1)
            alice.invite(room_id, bob.user.user_id)
            bob.join(room_id)
            await later.say(room_id, "!coop areas")
            replies = await later.wait_for(room_id, bot_user.user_id, 1)
    finally:
        await later.close()
    assert "cybercrime" in replies[-1]["content"]["body"]


async def test_after_a_restart_coop_still_reads_and_answers_the_encrypted_room(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, alice_encrypting: EncryptedMember
) -> None:
    coop = CoopProcess(tmp_path, synapse, bot_user)
    with coop:
        room_id = room_with_bot(alice, bot_user, encrypted=True)
        await alice_encrypting.say(room_id, "!coop agencies")
        await alice_encrypting.wait_for(room_id, bot_user.user_id, 1)
    with coop:
        await alice_encrypting.say(room_id, "!coop areas")
        replies = await alice_encrypting.wait_for(room_id, bot_user.user_id, 2)
    assert "europol" in replies[0]["content"]["body"]
    assert "cybercrime" in replies[1]["content"]["body"]


async def test_after_a_restart_an_alert_goes_encrypted_to_a_room_that_said_nothing_since(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser, alice: RoomClient, alice_encrypting: EncryptedMember
) -> None:
    with feed_server() as feeds:
        feeds.set("/feed", rss(BACKLOG))
        coop = CoopProcess(tmp_path, synapse, bot_user, feed_source(feeds.url("/feed")))
        with coop:
            room_id = room_with_bot(alice, bot_user, encrypted=True)
            await alice_encrypting.say(room_id, "!coop subscribe europol")
            await alice_encrypting.wait_for(room_id, bot_user.user_id, 1)
            coop.wait_synced("loop")
        with coop:
            feeds.set("/feed", rss(("new", "Europol supports a cybercrime action day", "Arrests."), BACKLOG))
            alert = (await alice_encrypting.wait_for(room_id, bot_user.user_id, 2))[-1]
    assert "Europol supports a cybercrime action day" in alert["content"]["body"]
    assert {e["type"] for e in alice.events(room_id, bot_user.user_id)} == {"m.room.encrypted"}


def test_keys_lost_since_the_last_start_stop_coop_with_exit_2_and_what_to_do(
    tmp_path: Path, synapse: Synapse, bot_user: MatrixUser
) -> None:
    coop = CoopProcess(tmp_path, synapse, bot_user)
    with coop:
        pass
    keys = tmp_path / "matrix-store"  # beside the database, where coop keeps it unless told otherwise
    assert keys.stat().st_mode & 0o777 == 0o700  # private keys: coop's user alone may read them
    shutil.rmtree(keys)
    result = run_coop("run", env=coop.env)
    assert result.returncode == 2, result.stderr
    assert "COOP_MATRIX_STORE" in result.stderr and "new MATRIX_ACCESS_TOKEN" in result.stderr
