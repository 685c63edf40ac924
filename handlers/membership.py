"""A person who leaves a channel or room (or is removed from it) is no longer mentioned in its alerts: `notify` was
their own request to be told there, and mentioning someone who is gone would notify them of a place they left, or,
on Slack, ask the channel to invite them back."""

from __future__ import annotations

from handlers.context import Deps


def member_left(deps: Deps, platform: str, workspace: str, channel: str, user: str) -> int:
    """Forgets `user` in the mentions of every subscription of the channel; returns how many named them."""
    where = (platform, workspace, channel)
    subs = [sub.id for sub in deps.store.subscriptions.for_channel(*where) if user in sub.mentions]
    if subs:
        deps.store.subscriptions.mention(*where, subs, user, False)
    return len(subs)
