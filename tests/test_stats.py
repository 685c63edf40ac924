"""`stats`: counts by tag and bars by month, as a user in a channel sees them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.store import dialect
from handlers.commands.stats import month_line
from handlers.context import Deps
from handlers.dispatch import handle
from tests.conftest import CHANNEL


def test_stats_counts_what_the_releases_are_about(deps: Deps) -> None:
    every = handle("stats", CHANNEL, deps)
    assert every.text == "3 releases:"
    assert every.lines[0].startswith("Crime areas: cybercrime 3 · migrant-smuggling 2 · terrorism 2")
    assert every.lines[0].endswith("· and 2 more")
    assert "Publishers: eurojust 1 · europol 1 · md-mia 1" in every.lines
    assert every.lines[-1] == "By year, 2011 – 2024: █·····█······█ (most in 2011: 1)"
    europol = handle("trends europol -md", CHANNEL, deps)
    assert europol.text == "1 release for Europol, not Moldova:"
    assert "Agencies: interpol 1" in europol.lines  # not europol itself, nor a line of one publisher
    assert not any(line.startswith("Publishers") for line in europol.lines)
    assert handle("stats md since:2025", CHANNEL, deps).text == "No releases for Moldova, since 01 Jan 2025."
    assert handle("stats atlantis", CHANNEL, deps).error


def test_stats_bars_show_empty_months_and_turn_to_years_over_three(deps: Deps) -> None:
    assert month_line([("2024-01", 4), ("2024-04", 8)]) == (
        "By month, Jan 2024 – Apr 2024: ▄··█ (most in Apr 2024: 8)")
    assert month_line([("2024-03", 2)], since=date(2024, 1, 15)) == (
        "By month, Jan 2024 – Mar 2024: ··█ (most in Mar 2024: 2)")
    assert month_line([("2020-01", 1), ("2020-12", 1), ("2024-06", 1)]) == (
        "By year, 2020 – 2024: █···▄ (most in 2020: 2)")


def test_stats_until_shows_the_months_up_to_the_end_of_the_period(deps: Deps) -> None:
    reply = handle("stats md since:2023-11 until:2024-03", CHANNEL, deps)
    assert reply.text == "1 release for Moldova, from 01 Nov 2023 to 31 Mar 2024:"
    assert reply.lines[-1] == "By month, Nov 2023 – Mar 2024: ··█·· (most in Jan 2024: 1)"
    assert handle("stats until:2010", CHANNEL, deps).text == "No releases, until 31 Dec 2010."


def test_stats_of_words_counts_every_release_that_says_them(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = handle('stats "secure communication"', CHANNEL, deps)
    assert reply.text == "1 release mentioning “secure communication”:"
    assert "Agencies: europol 1 · interpol 1" in reply.lines
    assert reply.lines[-1] == "By month, Oct 2011: █ (most in Oct 2011: 1)"
    assert handle("stats europol cooperation", CHANNEL, deps).text == (
        "2 releases for Europol mentioning “cooperation”:")
    # lookups read the newest matches of a word only; a count over the years reads them all
    monkeypatch.setattr(dialect, "CANDIDATES", 1)
    assert handle("stats cooperation", CHANNEL, deps).text == "3 releases mentioning “cooperation”:"
    assert handle("stats ransomware", CHANNEL, deps).text == "No releases mentioning “ransomware”."
    typo = handle("stats europl", CHANNEL, deps)
    assert typo.error and typo.text.startswith("I don't know the agency, crime area or country “europl”. Did you mean")
