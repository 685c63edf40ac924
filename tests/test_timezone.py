"""A channel's time zone: `timezone`, and daily and weekly alerts at their hour there, summer time included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import send_time
from bot.models import Release, Schedule
from bot.runtime import Runtime
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.replies import Visibility
from tests.conftest import CHANNEL

ZONES = ["UTC", "Europe/Brussels", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]


def _europol_release(n: int) -> Release:
    return Release(id=f"new{n}", source_id="t", publisher="europol", title=f"Europol news {n}",
                   text="Europol supported the operation.")


def _held_times(deps: Deps) -> list[datetime]:
    return [d.next_attempt_at for d in deps.store.outbox.held("console", "T1", "C1")]


def test_a_channel_is_on_utc_until_it_sets_a_zone(deps: Deps) -> None:
    reply = handle("timezone", CHANNEL, deps)
    assert reply.text == "This channel's time zone is UTC, the default (it is 00:00)."
    assert reply.lines[-1] == ("Change it with: /coop timezone Europe/Brussels (or a city: timezone lisbon, "
                               "timezone new york)")


def test_setting_a_zone_by_name_or_by_city(deps: Deps) -> None:
    # 15 February 2024 at midnight UTC: one in the morning in Brussels, seven in the evening before in New York
    brussels = handle("timezone europe/brussels", CHANNEL, deps)
    assert brussels.text == "This channel's time zone is now Europe/Brussels (it is 01:00 there, UTC+01:00)."
    assert brussels.visibility is Visibility.CHANNEL
    assert handle("tz New York", CHANNEL, deps).text.startswith("This channel's time zone is now America/New_York "
                                                                "(it is 19:00 there, UTC-05:00)")
    assert handle("timezone", CHANNEL, deps).text.startswith("This channel's time zone is America/New_York (")
    assert handle("timezone utc", CHANNEL, deps).text == "This channel's time zone is now UTC (it is 00:00)."
    assert deps.store.channels.timezones() == {}  # UTC is the default, not a setting


def test_an_unknown_zone_is_refused_with_the_closest_name(deps: Deps) -> None:
    handle("timezone lisbon", CHANNEL, deps)
    reply = handle("timezone brusels", CHANNEL, deps)
    assert reply.error and reply.text.startswith("“brusels” is not a time zone coop knows. Did you mean "
                                                 "Europe/Brussels?")
    assert "Did you mean" not in handle("timezone moon base", CHANNEL, deps).text
    assert len(handle("timezone " + "brussels " * 200, CHANNEL, deps).text) < 200  # not the whole input back
    assert handle("timezone", CHANNEL, deps).text.startswith("This channel's time zone is Europe/Lisbon (")


def test_only_those_who_may_change_subscriptions_set_the_zone(deps: Deps) -> None:
    guest = CommandContext(platform="console", channel="C1", workspace="T1", can_change_subscriptions=False,
                           refusal="Ask a moderator.")
    assert handle("timezone europe/paris", guest, deps).text == "Ask a moderator."
    assert handle("timezone", guest, deps).text.startswith("This channel's time zone is UTC")


def test_hours_are_read_in_the_channels_zone(deps: Deps) -> None:
    handle("timezone Europe/Brussels", CHANNEL, deps)
    reply = handle("subscribe europol daily 18:00", CHANNEL, deps)
    assert reply.text.startswith("Subscribed: this channel gets alerts for europol, once a day at 18:00 "
                                 "Europe/Brussels")
    deps.ingestor.clock = lambda: datetime(2024, 2, 15, 12, tzinfo=UTC)
    deps.ingestor.ingest(_europol_release(1))
    assert _held_times(deps) == [datetime(2024, 2, 15, 17, tzinfo=UTC)]  # 18:00 in Brussels in winter
    assert handle("subscriptions", CHANNEL, deps).lines == [
        "  1: europol, once a day at 18:00 Europe/Brussels",
        "1 alert waits for the next digest, Thu 15 Feb 18:00 Europe/Brussels."]
    assert "this channel's time zone" in handle("subscribe md daily 9utc", CHANNEL, deps).text  # not Brussels' 9


def test_a_new_zone_moves_the_alerts_waiting_for_the_old_one(deps: Deps) -> None:
    deps.ingestor.clock = lambda: datetime(2024, 2, 15, 12, tzinfo=UTC)
    handle("subscribe europol daily 18:00", CHANNEL, deps)
    deps.ingestor.ingest(_europol_release(1))
    assert _held_times(deps) == [datetime(2024, 2, 15, 18, tzinfo=UTC)]
    reply = handle("timezone new york", CHANNEL, deps)
    assert reply.lines[-1] == "1 waiting alert moved to the new time."
    assert _held_times(deps) == [datetime(2024, 2, 15, 23, tzinfo=UTC)]  # 18:00 in New York
    deps.ingestor.ingest(_europol_release(2))
    assert _held_times(deps) == [datetime(2024, 2, 15, 23, tzinfo=UTC)] * 2  # one digest, not two


def test_a_new_hour_moves_the_alerts_waiting_for_the_old_one(deps: Deps) -> None:
    deps.ingestor.clock = lambda: datetime(2024, 2, 15, 12, tzinfo=UTC)
    handle("subscribe europol daily 18:00", CHANNEL, deps)
    deps.ingestor.ingest(_europol_release(1))
    handle("subscribe europol daily 7", CHANNEL, deps)
    assert _held_times(deps) == [datetime(2024, 2, 16, 7, tzinfo=UTC)]
    handle("subscribe europol", CHANNEL, deps)  # as releases arrive: what waits goes now
    assert _held_times(deps) == [datetime(2024, 2, 15, 12, tzinfo=UTC)]


def test_the_digest_keeps_its_local_hour_across_summer_time(deps: Deps) -> None:
    handle("timezone Europe/Brussels", CHANNEL, deps)
    handle("subscribe europol daily 8", CHANNEL, deps)
    deps.ingestor.clock = lambda: datetime(2024, 3, 30, 12, tzinfo=UTC)  # the day before the clocks go forward
    deps.ingestor.ingest(_europol_release(1))
    assert _held_times(deps) == [datetime(2024, 3, 31, 6, tzinfo=UTC)]  # 08:00 summer time


def test_the_zone_outlives_a_restart(seeded: Runtime) -> None:
    handle("timezone Asia/Tokyo", CHANNEL, Deps(store=seeded.store, taxonomy=seeded.taxonomy,
                                                 ingestor=seeded.ingestor))
    reopened = Runtime.build(seeded.settings)
    try:
        assert reopened.ingestor.zones() == {("console", "T1", "C1"): ZoneInfo("Asia/Tokyo")}
    finally:
        reopened.close()


def test_a_zone_the_database_lacks_falls_back_to_utc(deps: Deps) -> None:
    deps.store.channels.set_timezone("console", "T1", "C1", "Mars/Olympus_Mons")  # e.g. from a newer tzdata
    deps.ingestor.subscriptions_changed()
    handle("subscribe europol daily 18:00", CHANNEL, deps)
    deps.ingestor.clock = lambda: datetime(2024, 2, 15, 12, tzinfo=UTC)
    deps.ingestor.ingest(_europol_release(1))
    assert _held_times(deps) == [datetime(2024, 2, 15, 18, tzinfo=UTC)]


@settings(max_examples=300, deadline=None)
@given(now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)),
       hour=st.integers(0, 23), zone=st.sampled_from(ZONES), weekly=st.booleans())
def test_the_send_time_is_the_next_such_hour_in_the_zone(now: datetime, hour: int, zone: str, weekly: bool) -> None:
    at = send_time(Schedule.WEEKLY if weekly else Schedule.DAILY, now, hour, ZoneInfo(zone))
    local = at.astimezone(ZoneInfo(zone))
    assert at.tzinfo is UTC and now < at <= now + timedelta(days=8 if weekly else 1, hours=1)
    assert not weekly or local.weekday() == 0
    # the hour itself; on the night a year the clocks skip it, the moment after the skip
    wall = local.replace(tzinfo=None)
    assert timedelta(0) <= wall - wall.replace(hour=hour, minute=0) <= timedelta(hours=1)
