"""The Bolt app: built here, listeners registered explicitly, served over HTTP or Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.delivery import Platform
from bot.platforms.slack.listeners import buttons, coop_command
from bot.platforms.slack.platform import SlackPlatform, client_for
from bot.settings import Settings
from handlers.context import Deps

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SlackAuthError(Exception):
    """The token was refused at start (invalid_auth and the like): the message says what to fix."""


def register(app: AsyncApp, deps: Deps) -> None:
    coop_command.register(app, deps)
    buttons.register(app, deps)


def build_platform(settings: Settings, deps: Deps) -> SlackPlatform:
    return SlackPlatform(client_for(settings.slack_bot_token or "", settings.slack_api_url), deps.taxonomy)


def build_app(settings: Settings, deps: Deps, platform: SlackPlatform) -> AsyncApp:
    app = AsyncApp(
        client=platform.client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret),
    )
    register(app, deps)
    return app


async def check_token(platform: SlackPlatform) -> str:
    """auth.test at start, so a wrong token stops coop with a clear message instead of failing every send."""
    try:
        response = await platform.client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "unknown"
        raise SlackAuthError(f"SLACK_BOT_TOKEN was refused by Slack ({code}); check the bot token") from error
    return str(response.get("team_id", ""))


def events_route(app: AsyncApp) -> Handler:
    async def slack_events(request: web.Request) -> web.StreamResponse:
        response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    return slack_events


async def start_socket_mode(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def start_slack(
    settings: Settings, deps: Deps, platforms: dict[str, Platform], routes: dict[str, Handler]
) -> None:
    """Checks the token, adds Slack to the delivery platforms, and serves it over HTTP or Socket Mode."""
    platform = build_platform(settings, deps)
    team = await check_token(platform)
    platforms[platform.name] = platform
    app = build_app(settings, deps, platform)
    if settings.slack_app_token:
        await start_socket_mode(app, settings.slack_app_token)
        logger.info("Slack: Socket Mode, workspace %s", team)
    else:
        routes["/slack/events"] = events_route(app)
        logger.info("Slack: HTTP at /slack/events, workspace %s", team)
