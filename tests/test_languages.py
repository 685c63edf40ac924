"""lang: picks or leaves out releases by the language they are written in, for lookups and subscriptions alike."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.language import LANGUAGE_NAMES, STOPWORDS
from bot.models import Release
from handlers.context import Deps
from handlers.dispatch import handle
from tests.conftest import CHANNEL

SPANISH = Release(
    id="es-cocaine-1", source_id="eurojust", publisher="eurojust", url="https://example.org/es/1",
    title="Eurojust apoya una operación contra una red de tráfico de cocaína en España",
    published=datetime(2024, 2, 10, tzinfo=UTC),
    text="La Fiscalía de España y las autoridades de los Países Bajos han desmantelado una red que introducía "
         "cocaína en el puerto de Algeciras, con el apoyo de Eurojust. Durante la jornada de acción se detuvo a "
         "doce personas y se incautaron dos toneladas de droga. Los investigadores cooperaron en un equipo "
         "conjunto de investigación para el intercambio de pruebas.")
ENGLISH = Release(
    id="en-cocaine-1", source_id="eurojust", publisher="eurojust", url="https://example.org/en/1",
    title="Eurojust supports an action against a cocaine network in Spain",
    published=datetime(2024, 2, 11, tzinfo=UTC),
    text="Spanish and Dutch authorities have dismantled a network that brought cocaine into the port of "
         "Algeciras, with the support of Eurojust. Twelve suspects were arrested and two tonnes of drugs seized.")


def _titles(text: str, deps: Deps) -> list[str]:
    return [card.title[:12] for card in handle(text, CHANNEL, deps).cards]


def test_lang_picks_or_leaves_out_a_language_by_code_or_name(deps: Deps) -> None:
    deps.ingestor.ingest(SPANISH, announce=False)
    assert deps.store.releases.get(SPANISH.id).language == "es"  # type: ignore[union-attr]
    assert handle("latest lang:es", CHANNEL, deps).text == "Latest, in Spanish:"
    assert _titles("latest lang:es", deps) == ["Eurojust apo"]
    assert _titles("latest language:Spanish", deps) == ["Eurojust apo"]
    assert _titles("search cocaine lang:es", deps) == ["Eurojust apo"]
    assert "Eurojust apo" not in _titles("latest eurojust -lang:es", deps)
    assert handle("latest eurojust -lang:es", CHANNEL, deps).text == "Latest for Eurojust, not in Spanish:"
    assert len(_titles("latest lang:en", deps)) == 3  # the seeds


def test_an_unknown_language_says_which_ones_coop_tells_apart(deps: Deps) -> None:
    reply = handle("latest lang:klingon", CHANNEL, deps)
    assert reply.error and reply.text.startswith("“klingon” is not a language coop tells apart; use one of")
    assert "en (English)" in reply.text and "ro (Romanian)" in reply.text
    assert "lang:fr" in handle("latest lang:", CHANNEL, deps).text


def test_stats_counts_languages_when_there_is_more_than_one(deps: Deps) -> None:
    assert not any(line.startswith("Languages") for line in handle("stats", CHANNEL, deps).lines)
    deps.ingestor.ingest(SPANISH, announce=False)
    assert "Languages: en 3 · es 1" in handle("stats", CHANNEL, deps).lines


def test_a_subscription_in_one_language_gets_only_its_releases(deps: Deps) -> None:
    reply = handle("subscribe eurojust lang:en", CHANNEL, deps)
    assert reply.text.startswith("Subscribed: this channel gets alerts for eurojust + lang:en")
    assert deps.ingestor.ingest(SPANISH).queued == 0
    assert deps.ingestor.ingest(ENGLISH).queued == 1
    assert "Unsubscribed" in handle("unsubscribe lang:en eurojust", CHANNEL, deps).text


def test_a_subscription_can_leave_a_language_out(deps: Deps) -> None:
    assert "for drug-trafficking -lang:es" in handle("subscribe drug-trafficking -lang:es", CHANNEL, deps).text
    assert deps.ingestor.ingest(SPANISH).queued == 0
    assert deps.ingestor.ingest(ENGLISH).queued == 1


def test_every_language_coop_detects_has_a_name_to_type_and_show() -> None:
    assert set(LANGUAGE_NAMES) == set(STOPWORDS)


def test_a_release_not_in_english_says_its_language_on_its_card(deps: Deps) -> None:
    from bot.platforms.console import alert_text
    from bot.platforms.matrix.render import alert_content
    from bot.platforms.slack.blocks import alert_message

    deps.ingestor.ingest(SPANISH, announce=False)
    deps.ingestor.ingest(ENGLISH, announce=False)
    cards = handle("latest eurojust since:2024-02", CHANNEL, deps).cards
    assert [card.meta_line()[:35] for card in cards] == ["Eurojust · 11 Feb 2024 · Eurojust, ",
                                                         "Eurojust · 10 Feb 2024 · in Spanish"]
    spanish, english = deps.store.releases.get(SPANISH.id), deps.store.releases.get(ENGLISH.id)
    assert spanish is not None and english is not None
    assert "Eurojust · 10 Feb 2024 · in Spanish" in str(alert_message([spanish], deps.taxonomy)["blocks"])
    assert "in Spanish" in alert_content([spanish], deps.taxonomy)["formatted_body"]
    assert "10 Feb 2024 · in Spanish · eurojust" in alert_text(spanish)
    assert "in English" not in str(alert_message([english], deps.taxonomy)) + alert_text(english)
