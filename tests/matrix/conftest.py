"""One real Synapse for the whole test session (it starts in a few seconds), and fresh users for every test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.platforms.matrix.app import build_client, check_account, open_keys
from bot.platforms.matrix.platform import MatrixPlatform
from bot.runtime import Runtime
from bot.settings import Settings
from tests.matrix.encrypted import EncryptedMember
from tests.matrix.synapse import MatrixUser, RoomClient, Synapse, install_synapse


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    problem = install_synapse()
    if problem is not None:  # no package registry reachable: say so; CI sets COOP_REQUIRE_SYNAPSE and fails
        if os.environ.get("COOP_REQUIRE_SYNAPSE"):
            pytest.fail(problem)
        pytest.skip(problem)
    server = Synapse(Path(tmp_path_factory.mktemp("synapse")))
    server.start()
    yield server
    server.stop()


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def bot_user(synapse: Synapse) -> MatrixUser:
    return synapse.register(unique("coop"))


@pytest.fixture
def alice(synapse: Synapse) -> RoomClient:
    return RoomClient(synapse, synapse.register(unique("alice")))


@pytest.fixture
def bob(synapse: Synapse) -> RoomClient:
    return RoomClient(synapse, synapse.register(unique("bob")))


@pytest.fixture
async def alice_encrypting(synapse: Synapse, alice: RoomClient, tmp_path: Path) -> AsyncIterator[EncryptedMember]:
    """Alice's client as Element's would be in an encrypted room: keys of its own, reading what it can decrypt."""
    member = await EncryptedMember(synapse, alice.user, tmp_path / "alice-keys").start()
    yield member
    await member.close()


@pytest.fixture
async def platform(synapse: Synapse, bot_user: MatrixUser, seeded: Runtime,
                   tmp_path: Path) -> AsyncIterator[MatrixPlatform]:
    """The bot's side in-process: a matrix-nio client for `bot_user` with its device keys, and the outbox platform
    over it. Without the listener, a test calls `synced` once the bot is in its rooms."""
    settings = Settings(MATRIX_HOMESERVER=synapse.url, MATRIX_USER_ID=bot_user.user_id,
                        MATRIX_ACCESS_TOKEN=bot_user.access_token, COOP_MATRIX_STORE=tmp_path / "bot-keys")
    client = build_client(settings)
    await open_keys(client, await check_account(client))
    yield MatrixPlatform(client, seeded.taxonomy)
    await client.close()


async def synced(platform: MatrixPlatform) -> None:
    """What the listener's first sync does for the platform: the bot's rooms, their members and encryption."""
    await platform.client.sync(timeout=0, full_state=True)
    platform.synced.set()
