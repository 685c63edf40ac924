"""The Bolt app: built here, listeners registered explicitly, served over HTTP or Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError

from bot.delivery import AccountRefused, Platform
from bot.platforms.slack.installations import StoreInstallationStore, StoreStateStore
from bot.platforms.slack.listeners import buttons, coop_command, home, membership, unfurl
from bot.platforms.slack.listeners.answer import Answers
from bot.platforms.slack.platform import InstalledClients, SlackPlatform, client_for
from bot.settings import Settings
from handlers.context import Deps

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# What the manifest asks for (config/slack-manifest.yml); OAuth installs request the same.
BOT_SCOPES = ["commands", "chat:write", "chat:write.public", "channels:history", "groups:history", "users:read",
              "links:read", "links:write", "channels:read", "groups:read"]


class SlackAuthError(AccountRefused):
    """The token was refused at start (invalid_auth and the like): the message says what to fix."""


def register(app: AsyncApp, deps: Deps) -> None:
    answer = Answers(deps)
    coop_command.register(app, answer)
    buttons.register(app, deps, answer)
    unfurl.register(app, deps)
    home.register(app, deps)
    membership.register(app, deps)


def build_platform(settings: Settings, deps: Deps) -> SlackPlatform:
    client = client_for(settings.slack_bot_token or "", settings.slack_api_url)
    clients = InstalledClients(deps.store, settings.slack_api_url) if settings.slack_oauth else None
    return SlackPlatform(client, deps.taxonomy, clients)


def oauth_settings(settings: Settings, deps: Deps) -> AsyncOAuthSettings:
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret, scopes=BOT_SCOPES,
        installation_store=StoreInstallationStore(deps.store), installation_store_bot_only=True,
        state_store=StoreStateStore(deps.store),
    )


def build_app(settings: Settings, deps: Deps, platform: SlackPlatform) -> AsyncApp:
    app = AsyncApp(
        client=platform.client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret),
        oauth_settings=oauth_settings(settings, deps) if settings.slack_oauth else None,
    )
    register(app, deps)
    if settings.slack_oauth:
        app.enable_token_revocation_listeners()  # app_uninstalled, tokens_revoked: the workspace's token goes
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


def oauth_routes(app: AsyncApp) -> dict[str, Handler]:
    """The "Add to Slack" page and the redirect Slack sends the installer back to."""
    flow = app.oauth_flow
    assert flow is not None

    async def install(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

    async def redirect(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    return {flow.install_path: install, flow.redirect_uri_path: redirect}


async def start_socket_mode(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def start_slack(
    settings: Settings, deps: Deps, platforms: dict[str, Platform], routes: dict[str, Handler]
) -> None:
    """Checks the token, adds Slack to the delivery platforms, and serves it over HTTP or Socket Mode."""
    platform = build_platform(settings, deps)
    platforms[platform.name] = platform
    app = build_app(settings, deps, platform)
    if settings.slack_oauth:
        routes["/slack/events"] = events_route(app)
        routes.update(oauth_routes(app))
        logger.info("Slack: OAuth, install at /slack/install, events at /slack/events")
        return
    team = await check_token(platform)
    if settings.slack_app_token:
        await start_socket_mode(app, settings.slack_app_token)
        logger.info("Slack: Socket Mode, workspace %s", team)
    else:
        routes["/slack/events"] = events_route(app)
        logger.info("Slack: HTTP at /slack/events, workspace %s", team)
