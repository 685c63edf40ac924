"""subscribe, unsubscribe and subscriptions against a seeded store, as a user in a channel sees them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Release
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.replies import Visibility
from tests.conftest import CHANNEL


def test_subscribing_to_a_crime_word_points_to_its_area(deps: Deps) -> None:
    reply = handle("subscribe cocaine", CHANNEL, deps)
    assert reply.error and "It is a word of the crime area `drug-trafficking`." in reply.text
    assert 'quote it: "cocaine"' in reply.text


def test_subscribe_previews_matches_and_is_visible_to_the_channel(deps: Deps) -> None:
    reply = handle("subscribe europol md", CHANNEL, deps)
    assert reply.visibility is Visibility.CHANNEL
    assert "Would have matched 1 release in the last 30 days." in reply.plain()
    assert "Leveraging global partnerships" in reply.plain()


def test_subscribe_with_nothing_recent_names_the_latest_release_it_would_have_matched(deps: Deps) -> None:
    # today is 15 Feb 2024: Eurojust's seed is of 2017, and a new user should not think the subscription is wrong
    eurojust = handle("subscribe eurojust", CHANNEL, deps).plain()
    assert "Would have matched 0 releases in the last 30 days." in eurojust
    assert "The latest that would have: Michèle Coninx and Pedro Serrano signed" in eurojust
    assert eurojust.endswith("(10 Oct 2017)")
    words = handle('subscribe "secure communication line"', CHANNEL, deps).plain()
    assert "The latest that would have: Interpol and Europol Agree" in words
    assert "The latest" not in handle("subscribe sports-corruption", CHANNEL, deps).plain()
    assert "The latest" not in handle("subscribe europol md", CHANNEL, deps).plain()  # one in the last 30 days


def test_subscribe_daily_or_weekly_and_back(deps: Deps) -> None:
    daily = handle("subscribe europol daily", CHANNEL, deps)
    assert daily.text == "Subscribed: this channel gets alerts for europol, once a day at 08:00 UTC (subscription 1)."
    assert handle("sub Daily europol", CHANNEL, deps).text.startswith("Already subscribed: this channel gets alerts "
                                                                       "for europol, once a day")
    weekly = handle("subscribe europol weekly", CHANNEL, deps)
    assert weekly.text == ("Changed: this channel gets alerts for europol, once a week on Mondays at 08:00 UTC "
                           "(subscription 1).")
    assert handle("subscriptions", CHANNEL, deps).lines == ["  1: europol, once a week on Mondays at 08:00 UTC"]
    assert handle("subscribe europol", CHANNEL, deps).text.startswith(
        "Changed: this channel gets alerts for europol, as releases arrive")
    assert handle('subscribe md "daily"', CHANNEL, deps).text.startswith('Subscribed: this channel gets alerts for '
                                                                         'MD + "daily" (')  # quoted: a word
    handle("subscribe cybercrime weekly", CHANNEL, deps)
    assert handle("unsubscribe cybercrime", CHANNEL, deps).text == "Unsubscribed: no more alerts for cybercrime."
    assert [s.schedule for s in deps.store.subscriptions.for_channel("console", "T1", "C1")] == ["instant", "instant"]


def test_a_daily_or_weekly_subscription_takes_its_own_hour(deps: Deps) -> None:
    assert handle("subscribe europol daily 18:00", CHANNEL, deps).text.startswith(
        "Subscribed: this channel gets alerts for europol, once a day at 18:00 UTC")
    assert handle("subscribe europol daily at 7", CHANNEL, deps).text.startswith(
        "Changed: this channel gets alerts for europol, once a day at 07:00 UTC")
    assert handle("subscribe md weekly 9h", CHANNEL, deps).text.startswith(
        "Subscribed: this channel gets alerts for MD, once a week on Mondays at 09:00 UTC")
    assert handle("subscriptions", CHANNEL, deps).lines == [
        "  1: europol, once a day at 07:00 UTC", "  2: MD, once a week on Mondays at 09:00 UTC"]
    assert handle("subscribe md weekly", CHANNEL, deps).text.startswith("Changed: this channel gets alerts for MD, "
                                                                        "once a week on Mondays at 08:00 UTC")
    assert handle("subscribe europol 18:00", CHANNEL, deps).text == (
        "An hour goes with daily or weekly, for example: daily 18:00")
    assert "on the hour" in handle("subscribe europol daily 18:30", CHANNEL, deps).text
    assert "on the hour" in handle("subscribe europol daily 24", CHANNEL, deps).text
    assert "+ AT" in handle("subscribe europol at", CHANNEL, deps).text  # with no hour, "at" is Austria
    assert handle("subscribe at daily 9", CHANNEL, deps).text.startswith(
        "Subscribed: this channel gets alerts for AT, once a day at 09:00 UTC")  # not "everything"


def test_subscriptions_say_how_many_alerts_wait_for_the_digest(deps: Deps) -> None:
    deps.ingestor.clock = lambda: datetime(2024, 2, 15, 12, tzinfo=UTC)  # a Thursday, after the digest hour
    handle("subscribe europol daily", CHANNEL, deps)
    other = CommandContext(platform="console", channel="C2", workspace="T1")
    handle("subscribe europol", other, deps)
    assert handle("subscriptions", CHANNEL, deps).lines == ["  1: europol, once a day at 08:00 UTC"]
    for n in range(3):
        deps.ingestor.ingest(Release(id=f"new{n}", source_id="t", publisher="europol", title=f"Europol news {n}",
                                     text="Europol supported the operation."))
    assert handle("subscriptions", CHANNEL, deps).lines[1:] == [
        "3 alerts wait for the next digest, Fri 16 Feb 08:00 UTC."]
    assert handle("subscriptions", other, deps).lines == ["  2: europol"]  # its alerts go out as they come


def test_subscribe_to_a_kind_of_cooperation(deps: Deps) -> None:
    meetings = handle("subscribe md kind:meeting", CHANNEL, deps)
    assert meetings.text.startswith("Subscribed: this channel gets alerts for MD + kind:meeting")
    assert "Would have matched 1 release in the last 30 days." in meetings.plain()
    assert "Would have matched 0 releases" in handle("subscribe md kind:agreement", CHANNEL, deps).plain()
    assert "Unsubscribed" in handle("unsubscribe kind:agreement country:MD", CHANNEL, deps).text
    assert [s.kinds for s in deps.store.subscriptions.for_channel("console", "T1", "C1")] == [["meeting"]]
    assert "Use one of agreement, operation" in handle("subscribe kind:treaty", CHANNEL, deps).text


def test_subscribe_says_which_facets_only_search_takes(deps: Deps) -> None:
    reply = handle("subscribe europol since:2024", CHANNEL, deps)
    assert reply.error and reply.text.startswith("since: works with search and latest")


def test_subscribe_unknown_word_explains_how_to_quote(deps: Deps) -> None:
    reply = handle("subscribe ransomware", CHANNEL, deps)
    assert reply.error and '"ransomware"' in reply.text


def test_a_subscription_leaves_out_what_it_excludes(deps: Deps) -> None:
    # the seed of 2024 with Moldova is a meeting, Europol's other seed an agreement
    reply = handle("subscribe europol -kind:agreement", CHANNEL, deps)
    assert reply.text.startswith("Subscribed: this channel gets alerts for europol -kind:agreement (")
    assert "Would have matched 1 release in the last 30 days." in reply.plain()
    assert "Would have matched 0 releases" in handle("subscribe md -kind:meeting", CHANNEL, deps).plain()
    assert "Would have matched 0 releases" in handle('subscribe md -"TOPCOP project"', CHANNEL, deps).plain()
    assert handle("subscribe -europol", CHANNEL, deps).text.startswith("Subscribed: this channel gets alerts for "
                                                                       "everything -europol (")
    assert handle("subscribe europol -ransomware", CHANNEL, deps).text.endswith('quote it: -"ransomware"')
    assert [s.describe() for s in deps.store.subscriptions.for_channel("console", "T1", "C1")] == [
        "europol -kind:agreement", "MD -kind:meeting", 'MD -"TOPCOP project"', "everything -europol"]
    assert handle("unsubscribe kind:meeting md", CHANNEL, deps).error  # other terms: MD's meetings
    assert "Unsubscribed" in handle("unsubscribe -kind:meeting md", CHANNEL, deps).text
    assert handle("unsubscribe -kind:agreement", CHANNEL, deps).error


def test_unsubscribe_by_id_and_by_terms(deps: Deps) -> None:
    handle("subscribe europol", CHANNEL, deps)
    handle("subscribe eurojust terrorism", CHANNEL, deps)
    subs = deps.store.subscriptions.for_channel("console", "T1", "C1")
    assert "Unsubscribed" in handle(f"unsubscribe {subs[0].id}", CHANNEL, deps).text
    assert "Unsubscribed" in handle("unsubscribe terrorism eurojust", CHANNEL, deps).text
    assert deps.store.subscriptions.for_channel("console", "T1", "C1") == []
    assert handle("unsubscribe 999", CHANNEL, deps).error


def test_subscriptions_belong_to_their_channel(deps: Deps) -> None:
    handle("subscribe europol", CHANNEL, deps)
    other = CommandContext(platform="console", channel="C2", workspace="T1")
    assert "no subscriptions" in handle("subscriptions", other, deps).text
    assert "europol" in handle("subscriptions", CHANNEL, deps).plain()


def test_subscribe_refuses_until_as_it_refuses_since(deps: Deps) -> None:
    reply = handle("subscribe europol until:2024", CHANNEL, deps)
    assert reply.error and reply.text.startswith("until: works with search and latest")
