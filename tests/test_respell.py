"""A search that finds nothing because of a typo in a word coop knows looks for the word it meant, and says so."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from handlers.context import Deps
from handlers.dispatch import handle
from handlers.resolve import Resolver
from tests.conftest import CHANNEL


@pytest.mark.parametrize(("typed", "meant"), [
    ("ransomwear", "ransomware"), ("phising", "phishing"), ("europl", "europol"), ("Ukrane", "ukraine"),
    ("laundring", "laundering"),
    ("extradiction", None),  # near "extortion", but not near enough to be sure
    ("terrorism", None), ("zebra", None), ("ira", None),  # known, near nothing, too short (IRA is not Iraq)
])
def test_respell_puts_right_only_near_certain_typos_of_known_words(runtime: Runtime, typed: str,
                                                                   meant: str | None) -> None:
    assert Resolver(runtime.taxonomy).respell(typed) == meant


def test_a_search_with_a_typo_looks_for_the_word_meant_and_says_so(deps: Deps) -> None:
    reply = handle("search moldva", CHANNEL, deps)
    assert reply.text == "Nothing has all of “moldva”, so I looked for “moldova” (page 1):"
    assert [card.title for card in reply.cards] == [
        "Leveraging global partnerships: Insights from the Europol Joint Strategic Cooperation Forum"]
    partly = handle("search cybercrme zebra", CHANNEL, deps)
    assert partly.text.startswith("Nothing has all of “cybercrme zebra”, so I looked for “cybercrime zebra”; "
                                  "these have some of it")
    assert len(partly.cards) == 3  # every seed is about cybercrime, none says zebra


def test_a_search_with_no_typo_is_not_changed(deps: Deps) -> None:
    assert handle("search extradiction", CHANNEL, deps).text == "No releases match “extradiction”."
    assert handle("search zebra", CHANNEL, deps).text == "No releases match “zebra”."
    assert handle("search cybercrime", CHANNEL, deps).text == "Results for “cybercrime” (page 1):"
