"""A link to a stored release pasted in a channel unfolds into coop's card for it (Slack's link_shared event):
the tags and the summary where Slack would show only the page's title."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.feeds import normalise_url
from bot.platforms.slack.blocks import card_blocks
from handlers.context import Deps
from handlers.replies import release_card

MAX_LINKS = 5  # a message with more links is a list, not a discussion of releases


def register(app: AsyncApp, deps: Deps) -> None:
    @app.event("link_shared")
    async def unfurl_releases(event: dict[str, Any], client: AsyncWebClient) -> None:
        unfurls = await asyncio.to_thread(release_unfurls, event.get("links") or [], deps)
        if not unfurls:
            return  # links coop does not know keep Slack's own preview
        if event.get("unfurl_id"):  # a link in a message still being written
            await client.chat_unfurl(unfurl_id=event["unfurl_id"], source=event.get("source", "composer"),
                                     unfurls=unfurls)
        else:
            await client.chat_unfurl(channel=event["channel"], ts=event["message_ts"], unfurls=unfurls)


def release_unfurls(links: list[dict[str, Any]], deps: Deps) -> dict[str, dict[str, Any]]:
    """The card of each link that is a stored release's address, by the link as it was pasted."""
    unfurls: dict[str, dict[str, Any]] = {}
    for link in links[:MAX_LINKS]:
        url = str(link.get("url", ""))
        release = deps.store.releases.by_url(normalise_url(url)) if url else None
        if release is not None:
            card = release_card(release, deps.taxonomy)
            # no "Share to channel": the link is in the channel already
            unfurls[url] = {"blocks": [b.to_dict() for b in card_blocks(card, skip_actions=frozenset({"share"}))]}
    return unfurls
