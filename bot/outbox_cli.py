"""`coop deliveries`: what the chat platforms have not been sent, per channel, and queueing the given-up alerts
again after an outage. Part of the CLI layer."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Runtime
from bot.store.outbox import Backlog
from handlers.commands.terms import parse_date

RETRY_HINT = "coop deliveries --retry queues them again"


def show_backlog(runtime: Runtime, channel: str | None = None) -> int:
    backlog = [entry for entry in runtime.store.outbox.backlog() if channel in (None, entry.channel)]
    if not backlog:
        print(f"Every alert{f' to {channel}' if channel else ''} was sent: nothing waits, nothing was given up.")
        return 0
    for entry in backlog:
        print(f"{_where(entry.key)}: {_counts(entry)}")
        if entry.last_error:
            print(f"  last error: {entry.last_error}")
    given_up = sum(entry.given_up for entry in backlog)
    if given_up:
        print(f"{given_up} given up in all; {RETRY_HINT}{f' --channel {channel}' if channel else ''}"
              " (coop run sends them).")
    return 0


def retry_given_up(runtime: Runtime, channel: str | None, since: datetime | None = None) -> int:
    done = runtime.ingestor.requeue_given_up(channel, since)
    where = f" to {channel}" if channel else ""
    if not done.queued and not done.stayed and not done.older:
        print(f"No alert{where} was given up.")
        return 0
    for key, count in sorted(done.queued.items()):
        print(f"{_where(key)}: {count} queued again")
    if done.queued:
        print("coop run sends them: at once, or at the daily or weekly hour, or after the pause of their subscription.")
    if done.stayed:
        print(f"{done.stayed} stay given up: their subscription was removed, or its channel refuses the bot.")
    if done.older:
        print(f"{done.older} queued before {_moment(since)} stay given up (without --since they are queued too).")
    return 0


def since_option(text: str | None, now: datetime) -> datetime | None:
    """`--since` read as chat reads `since:`; a TermError says how to write it, as the option."""
    return None if text is None else parse_date(text, now, "--since ")


def _where(key: tuple[str, str, str]) -> str:
    platform, workspace, channel = key
    return f"{platform} {workspace}/{channel}" if workspace else f"{platform} {channel}"


def _counts(entry: Backlog) -> str:
    parts = []
    if entry.to_send:
        parts.append(f"{entry.to_send} to send")
    if entry.retrying:
        parts.append(f"{entry.retrying} retrying after failures since {_moment(entry.failing_since)}")
    if entry.waiting:
        parts.append(f"{entry.waiting} waiting for their hour or the end of a pause")
    if entry.given_up:
        parts.append(f"{entry.given_up} given up")
    if entry.refused:
        parts.append(f"{entry.refused} refused (the channel's subscriptions are paused until it resumes)")
    return ", ".join(parts)


def _moment(when: datetime | None) -> str:
    return f"{when:%Y-%m-%d %H:%M} UTC" if when else "-"
