"""Matrix wiring for `coop run`: check the token, add the platform to the outbox, start the sync loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from nio import AsyncClient, AsyncClientConfig, WhoamiResponse

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
    config = AsyncClientConfig(max_limit_exceeded=0, max_timeouts=0, request_timeout=REQUEST_TIMEOUT)
    client = AsyncClient(settings.matrix_homeserver or "", settings.matrix_user_id or "", config=config)
    client.access_token = settings.matrix_access_token or ""
    client.user_id = settings.matrix_user_id or ""
    return client


async def check_account(client: AsyncClient) -> None:
    """whoami at start, so a wrong token or user stops coop with a clear message instead of failing every send."""
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


async def start_matrix(settings: Settings, deps: Deps, kv: KeyValueRepository, config: MatrixDefaults,
                       platforms: dict[str, Platform], on_command: Callable[[], None]) -> MatrixRunning:
    client = build_client(settings)
    try:
        await check_account(client)
    except MatrixAuthError:
        await client.close()
        raise
    platform = MatrixPlatform(client, deps.taxonomy)
    platforms[platform.name] = platform
    listener = MatrixListener(platform, deps, kv, config, on_command)
    logger.info("Matrix: %s on %s", client.user_id, settings.matrix_homeserver)
    return MatrixRunning(client, listener, asyncio.create_task(listener.run_forever()))
