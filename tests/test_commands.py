"""Commands against a seeded store, as a user in a channel sees them: search, latest, show and sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Release
from bot.platforms.matrix.render import reply_content
from handlers.context import Deps
from handlers.dispatch import handle
from handlers.replies import Visibility
from tests.conftest import CHANNEL


def test_search_cybercrime_finds_the_interpol_europol_seed(deps: Deps) -> None:
    reply = handle("search cybercrime", CHANNEL, deps)
    titles = [card.title for card in reply.cards]
    assert any(t.startswith("Interpol and Europol") for t in titles)
    assert reply.visibility is Visibility.PRIVATE


def test_search_with_facets_and_names(deps: Deps) -> None:
    reply = handle('search cooperation agency:"European Border and Coast Guard Agency"', CHANNEL, deps)
    assert [c.title[:10] for c in reply.cards] == ["Leveraging"]
    assert handle("search cooperation since:2020", CHANNEL, deps).cards[0].title.startswith("Leveraging")


def test_a_word_that_names_a_crime_finds_releases_tagged_with_it(deps: Deps) -> None:
    # neither seed says "migrants"; both are tagged migrant-smuggling ("illegal immigrant smuggling", "illegal
    # migration"); a quoted word is the word only
    assert sorted(c.title[:10] for c in handle("search migrants", CHANNEL, deps).cards) == ["Leveraging", "Michèle Co"]
    assert handle('search "migrants"', CHANNEL, deps).cards == []


def test_a_crime_word_ranks_releases_that_name_it_before_those_only_tagged_with_its_area(deps: Deps) -> None:
    # "cocaine" stands for drug-trafficking, but a heroin case that never says "cocaine" should not come before a
    # release that names it; among releases that name it, the drug-trafficking one comes first
    for n in range(6):
        _save(deps, f"filler{n}", f"Training course number {n}", "Officers met for a training on cooperation.")
    _save(deps, "heroin", "Heroin trafficking ring dismantled", "Police seized heroin and arrested drug traffickers.")
    _save(deps, "forum", "Customs forum on port security", "The forum discussed port security, including cocaine.")
    _save(deps, "both", "Cocaine trafficking ring dismantled", "Police seized cocaine and arrested drug traffickers.")
    found = [card.release_id for card in handle("search cocaine page:1", CHANNEL, deps).cards]
    assert found.index("both") < found.index("forum") < found.index("heroin")


def _save(deps: Deps, release_id: str, title: str, text: str) -> None:
    release = Release(id=release_id, source_id="t", publisher="europol", title=title, text=text)
    deps.store.releases.save(deps.ingestor.prepare(release))


def test_words_that_together_name_something_are_one_term(deps: Deps) -> None:
    # "people" and "smuggling" used to be two words the seed had to contain; together they name migrant smuggling
    found = handle("search people smuggling", CHANNEL, deps)
    assert sorted(c.title[:7] for c in found.cards) == ["Leverag", "Michèle"]  # both tagged migrant-smuggling
    assert handle("latest united kingdom", CHANNEL, deps).text == "No releases yet for United Kingdom."
    subscribed = handle("subscribe money laundering european union agency for law enforcement cooperation", CHANNEL,
                        deps)
    assert "alerts for europol + money-laundering " in subscribed.text  # was "“money”. Did you mean …?"
    refused = handle("subscribe war crimes", CHANNEL, deps)
    assert refused.error and "It is a phrase of the crime area `core-international-crimes`." in refused.text


def test_latest_with_a_year_points_to_since(deps: Deps) -> None:
    reply = handle("latest 2024", CHANNEL, deps)
    assert reply.error and "For releases since a date, write since:2024;" in reply.text
    assert reply.text.endswith('to look for it in the text, quote it: "2024"')
    assert "since:" not in handle("latest nowhere", CHANNEL, deps).text


def test_unknown_facet_value_suggests(deps: Deps) -> None:
    reply = handle("search x agency:europl", CHANNEL, deps)
    assert reply.error and "Did you mean `europol`" in reply.text
    # a country code alone says little: the suggestion names the country
    assert "Did you mean `MD` (Moldova)? No release mentions “moldva” either." in handle("latest moldva", CHANNEL,
                                                                                         deps).text
    assert handle("search x country:ukrane", CHANNEL, deps).text.endswith("Did you mean `UA` (Ukraine)?")
    misspelt = handle("subscribe eurojust kind:operatoin", CHANNEL, deps)
    assert misspelt.error and "Did you mean kind:operation?" in misspelt.text
    unknown = handle("latest kind:dance", CHANNEL, deps)
    assert unknown.error and "Did you mean" not in unknown.text and "agreement, operation" in unknown.text


def test_names_resolve_through_the_taxonomy(deps: Deps) -> None:
    for name in ("EUROPOL", '"European Union Agency for Law Enforcement Cooperation"', "Europol"):
        reply = handle(f"subscribe {name}", CHANNEL, deps)
        assert "europol" in reply.text, reply.text
    subs = deps.store.subscriptions.for_channel("console", "T1", "C1")
    assert len(subs) == 1  # the same subscription three times is one


def test_cyber_crime_is_cybercrime(deps: Deps) -> None:
    for text in ('subscribe "cyber crime"', "subscribe area:cyber-crime", "subscribe Cybercrime"):
        assert "alerts for cybercrime " in handle(text, CHANNEL, deps).text
    assert len(deps.store.subscriptions.for_channel("console", "T1", "C1")) == 1
    reply = handle('subscribe "money mules"', CHANNEL, deps)
    assert 'alerts for "money mules"' in reply.text


def test_a_kind_is_also_its_plural_or_a_word_of_it(deps: Deps) -> None:
    assert handle("latest kind:forum", CHANNEL, deps).text == "Latest, kind meeting:"  # the seed of Moldova
    assert handle("latest kind:Operations", CHANNEL, deps).text == "No releases yet, kind operation."
    assert handle("subscribe md kind:MoU", CHANNEL, deps).text.startswith(
        "Subscribed: this channel gets alerts for MD + kind:agreement")
    assert "Did you mean kind:meeting?" in handle("latest kind:meetnig", CHANNEL, deps).text


def test_a_minus_leaves_out_an_agency_a_kind_or_words(deps: Deps) -> None:
    def titles(text: str) -> list[str]:
        return sorted(card.title[:10] for card in handle(text, CHANNEL, deps).cards)

    assert titles("search cybercrime") == ["Interpol a", "Leveraging", "Michèle Co"]
    assert titles("search cybercrime -europol") == ["Michèle Co"]  # Europol tagged or named
    assert titles('search cybercrime -"secure communication line"') == ["Leveraging", "Michèle Co"]
    assert titles("search -kind:agreement") == ["Leveraging"]
    assert titles("latest -europol") == ["Michèle Co"]
    assert handle("latest -europol -kind:agreement", CHANNEL, deps).text == (
        "No releases yet, not kind agreement, not Europol.")
    assert handle("latest -since:2024", CHANNEL, deps).error


def test_or_between_words_finds_releases_with_either(deps: Deps) -> None:
    either = handle('search "secure communication line" OR "TOPCOP project"', CHANNEL, deps)
    assert either.text.startswith("Results for") and sorted(c.title[:10] for c in either.cards) == [
        "Interpol a", "Leveraging"]
    assert handle('search "secure communication line" "TOPCOP project"', CHANNEL, deps).text.startswith(
        "No release has all")
    assert [c.title[:10] for c in handle("search europol OR eeas -kind:agreement", CHANNEL, deps).cards] == [
        "Leveraging"]
    assert "subscribe to each" in handle("subscribe europol OR eurojust", CHANNEL, deps).text
    assert handle('subscribe "!!!"', CHANNEL, deps).text.startswith('"!!!" has no word to look for')


def test_show_gives_evidence(deps: Deps) -> None:
    release_id = handle("search piracy", CHANNEL, deps).cards[0].release_id
    text = handle(f"show {release_id}", CHANNEL, deps).plain()
    assert "area maritime-piracy" in text and "Gulf of Aden" in text


def test_show_takes_the_start_of_an_id_or_the_release_address(deps: Deps) -> None:
    for release_id in ("ab12cd34ef56", "ab12ff000000"):
        deps.store.releases.save(deps.ingestor.prepare(Release(
            id=release_id, source_id="t", publisher="europol", title=f"Release {release_id}", text="cooperation",
            url=f"https://www.europol.example/media/{release_id}")))
    assert handle("show ab12cd", CHANNEL, deps).cards[0].release_id == "ab12cd34ef56"
    assert handle("show [AB12FF0]", CHANNEL, deps).cards[0].release_id == "ab12ff000000"
    several = handle("show ab12", CHANNEL, deps)
    assert several.error and several.text == "Several releases have an ID starting with “ab12”; write more of it."
    assert handle("show ab1", CHANNEL, deps).error  # too short to be meant
    # a pasted address, as typed, as Slack wraps it, or with a tracking parameter and a trailing slash
    for typed in ("https://www.europol.example/media/ab12ff000000", "<https://www.europol.example/media/ab12ff000000>",
                  "<https://www.europol.example/media/ab12ff000000|europol.example>",
                  "https://WWW.europol.example/media/ab12ff000000/?utm_source=x"):
        assert handle(f"show {typed}", CHANNEL, deps).cards[0].release_id == "ab12ff000000", typed
    missing = handle("show https://www.europol.example/media/nothing", CHANNEL, deps)
    assert missing.error and missing.text.startswith("No release at https://www.europol.example/media/nothing")


def test_latest_and_lists(deps: Deps) -> None:
    assert handle("latest", CHANNEL, deps).cards[0].title.startswith("Leveraging")
    # the reply names what it lists, whatever form the user typed
    assert handle("latest md", CHANNEL, deps).text == "Latest for Moldova:"
    assert handle("latest EUROPOL md-mia", CHANNEL, deps).text == (
        "Latest for Europol and Moldova's Ministry of Internal Affairs:"
    )
    assert handle("latest sports-corruption", CHANNEL, deps).text == "No releases yet for Sports corruption."
    assert "cepol" in handle("agencies", CHANNEL, deps).plain()
    assert "maritime-piracy" in handle("areas", CHANNEL, deps).plain()


def test_latest_finds_words_newest_first(deps: Deps) -> None:
    # "latest ransomware" used to be refused: ransomware names no agency, area or country
    def titles(text: str) -> list[str]:
        return [card.title[:10] for card in handle(text, CHANNEL, deps).cards]

    assert handle("latest cooperation", CHANNEL, deps).text == "Latest mentioning “cooperation”:"
    assert titles("latest cooperation") == ["Leveraging", "Michèle Co", "Interpol a"]  # by date, not by score
    assert titles("latest europol cooperation") == ["Leveraging", "Interpol a"]
    assert titles('latest "secure communication line"') == ["Interpol a"]
    assert titles("latest cooperation -interpol") == ["Leveraging", "Michèle Co"]
    assert titles('latest cooperation -"secure communication"') == ["Leveraging", "Michèle Co"]
    assert handle('latest cooperation -"secure communication"', CHANNEL, deps).text == (
        "Latest mentioning “cooperation”, not mentioning “secure communication”:")
    assert handle("latest ransomware", CHANNEL, deps).text == "No releases yet mentioning “ransomware”."


def test_latest_takes_the_facets_search_takes(deps: Deps) -> None:
    # "latest country:MD" used to ignore its facet and list every release
    assert [c.title[:10] for c in handle("latest country:MD", CHANNEL, deps).cards] == ["Leveraging"]
    assert handle("latest country:MD", CHANNEL, deps).text == "Latest for Moldova:"
    agreements = handle("latest kind:Agreement agency:eurojust", CHANNEL, deps)  # a kind in any case, as subscribe
    assert agreements.text == "Latest for Eurojust, kind agreement:"
    assert [c.title[:7] for c in agreements.cards] == ["Michèle"]
    assert handle("latest since:2020", CHANNEL, deps).text == "Latest, since 01 Jan 2020:"
    assert len(handle("latest since:2020", CHANNEL, deps).cards) == 1
    assert handle("latest country:XX", CHANNEL, deps).error


def test_latest_pages(deps: Deps) -> None:
    for n in range(7):
        release = deps.ingestor.prepare(
            Release(id=f"new{n}", source_id="t", publisher="europol", title=f"Item {n}", text="cooperation",
                    published=datetime(2030, 1, 1 + n, tzinfo=UTC))
        )
        deps.store.releases.save(release)
    first = handle("latest europol", CHANNEL, deps)
    assert [c.release_id for c in first.cards] == ["new6", "new5", "new4", "new3", "new2"]
    assert first.plain().endswith("More: latest europol page:2")
    second = handle("latest europol page:2", CHANNEL, deps)
    assert [c.release_id for c in second.cards][:2] == ["new1", "new0"]
    assert second.text == "Latest for Europol (page 2):"


def test_search_pages(deps: Deps) -> None:
    for n in range(7):
        release = deps.ingestor.prepare(
            Release(id=f"extra{n}", source_id="t", publisher="europol", title=f"Item {n} on cooperation",
                    text="cooperation")
        )
        deps.store.releases.save(release)
    first = handle("search cooperation", CHANNEL, deps)
    assert len(first.cards) == 5
    # the next page is offered once, after the results, as the platform types it
    assert first.plain("/coop").count("More:") == 1
    assert first.plain("/coop").endswith("\nMore: /coop search cooperation page:2")
    assert reply_content(first)["body"].count("More:") == 1
    assert reply_content(first)["body"].endswith("More: !coop search cooperation page:2")
    second = handle("search cooperation page:2", CHANNEL, deps)
    assert len(second.cards) == 5
    assert not {c.release_id for c in first.cards} & {c.release_id for c in second.cards}


def test_when_no_release_has_every_word_those_with_some_come_and_say_so(deps: Deps) -> None:
    for n in range(6):
        words = ["tanker", "lisbon", "lisbon tanker"][n % 3]
        deps.store.releases.save(deps.ingestor.prepare(
            Release(id=f"port{n}", source_id="t", publisher="europol", title=f"Item {n}", text=f"A {words} item.")))
    both = handle("search tanker lisbon", CHANNEL, deps)
    assert both.text == "Results for “tanker lisbon” (page 1):"
    assert {c.release_id for c in both.cards} == {"port2", "port5"}
    some = handle("search tanker lisbon valletta", CHANNEL, deps)
    assert some.text == "No release has all of “tanker lisbon valletta”; these have some (page 1):"
    assert {c.release_id for c in some.cards[:2]} == {"port2", "port5"}  # two of the three words rank first
    assert len(some.cards) == 5 and any(a.kind == "page" for a in some.actions)
    second = handle("search tanker lisbon valletta page:2", CHANNEL, deps)
    assert [c.release_id for c in second.cards] == [r for r in ("port0", "port1", "port3", "port4")
                                                    if r not in {c.release_id for c in some.cards}]
    assert handle("search valletta nowhere", CHANNEL, deps).text == "No releases match “valletta nowhere”."


def test_a_search_with_nothing_to_look_for_says_so_instead_of_listing_everything(deps: Deps) -> None:
    for text in ("search -", "search *", "search 🚔"):
        reply = handle(text, CHANNEL, deps)
        assert reply.error and not reply.cards and "has no word to look for" in reply.text
    assert handle("search * country:md", CHANNEL, deps).cards  # the facet is something to look for
    for text, hint in (("search country:", "country:MD"), ("latest since:", "since:2024-06"),
                       ("subscribe europol kind:", "kind:agreement")):
        reply = handle(text, CHANNEL, deps)
        assert reply.error and reply.text.endswith(f"for example {hint}"), reply.text


def test_a_country_named_in_passing_is_shown_as_mentioned_and_still_found(deps: Deps) -> None:
    release = deps.ingestor.prepare(
        Release(id="route1", source_id="t", publisher="europol", title="Smuggling network dismantled",
                text="Police in Austria arrested six suspects. The migrants had travelled through Serbia.")
    )
    deps.store.releases.save(release)
    assert [card.release_id for card in handle("search smuggling country:rs", CHANNEL, deps).cards] == ["route1"]
    shown = handle("show route1", CHANNEL, deps).plain()
    assert "country AT (involved): Police in Austria arrested six suspects." in shown
    assert "country RS (mentioned): The migrants had travelled through Serbia." in shown
    assert release.facts.endswith("· AT")  # the facts line says where the case is, not the route


def test_a_crashing_command_gets_a_short_message(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(deps.store.releases, "search", broken)
    reply = handle("search cybercrime", CHANNEL, deps)
    assert reply.error and "database on fire" not in reply.text


def test_source_changes_need_an_admin(deps: Deps) -> None:
    assert "Only admins" in handle("sources add https://example.org/feed", CHANNEL, deps).text
