"""Matrix wiring for `coop run`: check the token, open the device's encryption keys, add the platform to the
outbox, start the sync loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, KeysUploadResponse, WhoamiResponse

from bot.config import MatrixDefaults
from bot.delivery import AccountRefused, Platform
from bot.platforms.matrix.listener import MatrixListener
from bot.platforms.matrix.platform import MatrixPlatform
from bot.settings import Settings
from bot.store.sources import KeyValueRepository
from handlers.context import Deps

logger = logging.getLogger(__name__)
STOP_TIMEOUT = 30  # seconds to finish the batch in hand at shutdown
REQUEST_TIMEOUT = 60  # seconds; above the sync long-poll so a healthy /sync is never cut


class MatrixAuthError(AccountRefused):
    """The homeserver refused the account at start: the message says what to fix."""


@dataclass
class MatrixRunning:
    client: AsyncClient
    listener: MatrixListener
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """A batch of commands being answered is finished first, so none is answered again after a restart."""
        if self.listener.request_stop():
            self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(self.task, STOP_TIMEOUT)
        await self.client.close()


def build_client(settings: Settings) -> AsyncClient:
    # nio must not wait out rate limits or timeouts itself: the outbox decides when to retry, and says so.
    # It keeps the sync token in our store, not its own, and its keys in COOP_MATRIX_STORE.
    config = AsyncClientConfig(max_limit_exceeded=0, max_timeouts=0, request_timeout=REQUEST_TIMEOUT,
                               encryption_enabled=True, store_sync_tokens=False)
    client = AsyncClient(settings.matrix_homeserver or "", settings.matrix_user_id or "",
                         store_path=str(settings.matrix_store), config=config)
    client.access_token = settings.matrix_access_token or ""
    client.user_id = settings.matrix_user_id or ""
    return client


async def check_account(client: AsyncClient) -> str:
    """whoami at start, so a wrong token or user stops coop with a clear message instead of failing every send.
    Returns the token's device, whose keys encrypt and decrypt."""
    try:
        response = await client.whoami()
    except (OSError, TimeoutError) as error:
        raise MatrixAuthError(f"MATRIX_HOMESERVER could not be reached ({error}); check the URL") from error
    if not isinstance(response, WhoamiResponse):
        raise MatrixAuthError(f"MATRIX_ACCESS_TOKEN was refused by the homeserver ({response.status_code}); "
                              "check the token")
    if response.user_id != client.user:
        raise MatrixAuthError(f"MATRIX_ACCESS_TOKEN belongs to {response.user_id}, not MATRIX_USER_ID "
                              f"{client.user}; set one or the other right")
    if not response.device_id:
        raise MatrixAuthError("MATRIX_ACCESS_TOKEN belongs to no device, which encryption needs; log in once with "
                              "a client or /_matrix/client/v3/login and use that token")
    return str(response.device_id)


def open_store(folder: Path) -> None:
    """The folder holds the device's private keys: only coop's user may read it."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)


async def open_keys(client: AsyncClient, device_id: str) -> None:
    """Loads the device's keys (made on the first start, in the client's store folder) and publishes them, so
    members' clients encrypt for coop."""
    folder = Path(client.store_path)
    try:
        await asyncio.to_thread(open_store, folder)
    except OSError as error:
        raise MatrixAuthError(f"COOP_MATRIX_STORE {folder} cannot hold coop's keys ({error}); "
                              "point it at a folder coop may write") from error
    await asyncio.to_thread(client.restore_login, client.user_id, device_id, client.access_token)
    if not client.should_upload_keys:
        return
    try:
        response = await client.keys_upload()
    except (OSError, TimeoutError) as error:
        raise MatrixAuthError(f"MATRIX_HOMESERVER could not be reached ({error}); check the URL") from error
    if not isinstance(response, KeysUploadResponse):
        reason = first_sentence(response.message)
        raise MatrixAuthError(
            f"the homeserver refused the keys of device {device_id} ({reason}). The device already has keys that "
            f"{folder} (COOP_MATRIX_STORE) does not hold, as when that folder was lost: put the folder back, or "
            "log in again for a new MATRIX_ACCESS_TOKEN, which makes a new device")


def first_sentence(message: str) -> str:
    """Synapse follows its reason with both keys in full: the reason is what the operator needs."""
    return message.split(". ")[0][:200]


async def start_matrix(settings: Settings, deps: Deps, kv: KeyValueRepository, config: MatrixDefaults,
                       platforms: dict[str, Platform], on_command: Callable[[], None]) -> MatrixRunning:
    client = build_client(settings)
    try:
        device_id = await check_account(client)
        await open_keys(client, device_id)
    except MatrixAuthError:
        await client.close()
        raise
    platform = MatrixPlatform(client, deps.taxonomy)
    platforms[platform.name] = platform
    listener = MatrixListener(platform, deps, kv, config, on_command)
    logger.info("Matrix: %s (device %s) on %s", client.user_id, client.device_id, settings.matrix_homeserver)
    return MatrixRunning(client, listener, asyncio.create_task(listener.run_forever()))
