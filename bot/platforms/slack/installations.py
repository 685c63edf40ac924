"""Slack OAuth on coop's own store: the installation store and the OAuth state store Bolt asks for.

Bot tokens obtained through OAuth are kept in the `slack_installations` table (they cannot come from the
environment: each workspace gets its own when it installs). The OAuth `state` values live in the key-value table
for ten minutes and are good for one use.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.store import Store
from bot.store.installations import SlackInstallation

STATE_SECONDS = 600


class StoreInstallationStore(AsyncInstallationStore):
    def __init__(self, store: Store) -> None:
        self.store = store

    async def async_save(self, installation: Installation) -> None:
        if not installation.team_id or not installation.bot_token:
            raise ValueError("coop needs a workspace install with a bot token (no org-wide or user-only installs)")
        install = SlackInstallation(installation.team_id, installation.bot_token, installation.bot_id,
                                    installation.bot_user_id, installation.enterprise_id)
        await asyncio.to_thread(self.store.slack_installations.save, install)

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        found = await asyncio.to_thread(self.store.slack_installations.find, team_id or "")
        if found is None:
            return None
        return Bot(enterprise_id=found.enterprise_id, team_id=found.team_id, bot_token=found.bot_token,
                   bot_id=found.bot_id or "", bot_user_id=found.bot_user_id or "",
                   installed_at=(found.installed_at.timestamp() if found.installed_at else time.time()))

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        return None  # bot tokens only: coop never acts as a user

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.store.slack_installations.delete, team_id or "")

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        return None  # no user tokens are kept

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.store.slack_installations.delete, team_id or "")


class StoreStateStore(AsyncOAuthStateStore):
    def __init__(self, store: Store) -> None:
        self.store = store

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await asyncio.to_thread(self.store.kv.set, f"slack.oauth_state.{state}", str(time.time() + STATE_SECONDS))
        return state

    async def async_consume(self, state: str) -> bool:
        key = f"slack.oauth_state.{state}"
        expires = await asyncio.to_thread(self.store.kv.get, key)
        if expires is None:
            return False
        await asyncio.to_thread(self.store.kv.delete, key)
        return float(expires) > time.time()
