"""How often a newsroom publishes, and whether it has gone quiet for far longer than it usually does.

A feed that still answers but has stopped bringing news (moved to a new address, frozen by its publisher, a
newsroom page whose links changed shape) fails no poll: only its silence tells, measured against its own pace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import WatcherDefaults

PACE_DAYS = 90  # a newsroom's pace is read from what it published in the three months up to its newest release
MIN_DATED = 4  # fewer dated releases say nothing about a pace


@dataclass(frozen=True)
class SourceActivity:
    """What the store holds of one source's releases."""

    last_new: datetime | None  # when coop last stored a release it did not have: silence counts from there
    newest: datetime | None = None  # the newest publication date
    oldest: datetime | None = None  # the oldest publication date within PACE_DAYS of the newest
    dated: int = 0  # releases published within PACE_DAYS of the newest

    def usual_gap(self) -> timedelta | None:
        """The mean time between two of its releases, or None when too few are dated to tell."""
        if self.dated < MIN_DATED or self.newest is None or self.oldest is None or self.newest == self.oldest:
            return None
        return (self.newest - self.oldest) / (self.dated - 1)

    def quiet_for(self, now: datetime, rule: WatcherDefaults) -> timedelta | None:
        """How long nothing new has come, when that is at least `quiet_min_days` and `quiet_gaps` usual gaps; None
        otherwise, and always for a source whose pace is unknown or with `quiet_min_days` 0 (never)."""
        gap = self.usual_gap()
        if gap is None or self.last_new is None or rule.quiet_min_days <= 0:
            return None
        silent = now - self.last_new
        return silent if silent >= max(timedelta(days=rule.quiet_min_days), gap * rule.quiet_gaps) else None

    def quiet_note(self, now: datetime, rule: WatcherDefaults) -> str | None:
        """'nothing new for 21 days, though it usually publishes every 2 days', when it has gone quiet."""
        quiet, gap = self.quiet_for(now, rule), self.usual_gap()
        if quiet is None or gap is None:
            return None
        return f"nothing new for {quiet.days} days, though it usually publishes {every(gap)}"


def every(gap: timedelta) -> str:
    """'every 2 days', 'every day', 'every 6 hours': a pace as people say it."""
    days = round(gap / timedelta(days=1))
    if days >= 2:
        return f"every {days} days"
    if days == 1:
        return "every day"
    hours = max(1, round(gap / timedelta(hours=1)))
    return "every hour" if hours == 1 else f"every {hours} hours"


def per_week(gap: timedelta) -> float:
    return timedelta(weeks=1) / gap
