"""Dates in commands: since: and until:, written out or counted back from today, as a user in a channel sees them."""

from __future__ import annotations

from handlers.context import Deps
from handlers.dispatch import handle
from tests.conftest import CHANNEL


def test_since_counts_back_from_today(deps: Deps) -> None:
    # today is 15 Feb 2024 for these commands; the Moldova seed is of 30 Jan 2024, the others of 2011 and 2017
    assert handle("latest since:3w", CHANNEL, deps).text == "Latest, since 25 Jan 2024:"
    assert [c.title[:10] for c in handle("latest since:3w", CHANNEL, deps).cards] == ["Leveraging"]
    assert handle("latest since:2w", CHANNEL, deps).text == "No releases yet, since 01 Feb 2024."
    assert handle("latest since:1m", CHANNEL, deps).text == "Latest, since 15 Jan 2024:"
    assert handle("latest since:7y", CHANNEL, deps).text == "Latest, since 15 Feb 2017:"
    assert len(handle("search cooperation since:7y", CHANNEL, deps).cards) == 2
    assert handle("latest since:yesterday", CHANNEL, deps).text == "No releases yet, since 14 Feb 2024."
    assert handle("latest since:Today", CHANNEL, deps).text == "No releases yet, since 15 Feb 2024."
    assert "For releases since a date, write since:7d;" in handle("latest 7d", CHANNEL, deps).text
    for wrong in ("since:7x", "since:last-week", "since:9999y"):
        reply = handle(f"latest {wrong}", CHANNEL, deps)
        assert reply.error and "since:" in reply.text, wrong


def test_until_ends_a_period_with_the_whole_day_month_or_year_written(deps: Deps) -> None:
    # the seeds are of 2011 (Interpol and Europol), 2017 (Eurojust) and 30 Jan 2024 (Moldova)
    assert handle("latest until:2017", CHANNEL, deps).text == "Latest, until 31 Dec 2017:"
    assert [c.title[:7] for c in handle("latest until:2017", CHANNEL, deps).cards] == ["Michèle", "Interpo"]
    assert [c.title[:7] for c in handle("latest since:2012 until:2023", CHANNEL, deps).cards] == ["Michèle"]
    assert handle("latest since:2012 until:2023", CHANNEL, deps).text == "Latest, from 01 Jan 2012 to 31 Dec 2023:"
    assert len(handle("latest until:2024-01-30", CHANNEL, deps).cards) == 3  # the day written counts
    assert len(handle("latest until:2024-01-29", CHANNEL, deps).cards) == 2
    assert len(handle("latest until:2024-01", CHANNEL, deps).cards) == 3
    assert len(handle("search cooperation until:2016", CHANNEL, deps).cards) == 1
    # counted back from today (15 Feb 2024): until:3w ends with 25 Jan, before the Moldova release
    assert handle("latest until:3w", CHANNEL, deps).text == "Latest, until 25 Jan 2024:"
    assert len(handle("latest until:3w", CHANNEL, deps).cards) == 2


def test_until_before_since_and_unreadable_until_say_what_to_write(deps: Deps) -> None:
    backwards = handle("latest since:2024 until:2023", CHANNEL, deps)
    assert backwards.error and backwards.text == (
        "until:2023 ends before since:2024 begins; write the earlier date in since: and the later one in until:")
    unreadable = handle("search europol until:soon", CHANNEL, deps)
    assert unreadable.error and "until:2024-01-31" in unreadable.text
    assert handle("latest -until:2024", CHANNEL, deps).error
    assert "until:2024-06" in handle("latest until:", CHANNEL, deps).text
