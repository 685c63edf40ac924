"""Stories: one operation told by several newsrooms is linked, shown together and threaded in channels."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, load_defaults
from bot.delivery import DeliveryWorker
from bot.models import Release, Schedule, Subscription, utcnow
from bot.platforms.console import ConsolePlatform
from bot.platforms.slack.blocks import card_blocks
from bot.platforms.slack.platform import SlackPlatform, client_for
from bot.runtime import Runtime
from bot.settings import PROJECT_ROOT, Settings
from bot.stories import DEFAULTS
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.replies import Visibility
from tests.conftest import CHANNEL, threads_switching_often
from tests.fakeplatform import RecordingPlatform
from tests.fakeslack import FakeSlack, fake_slack
from tests.storytexts import (
    DAY,
    EUROJUST_TELLS,
    EUROPOL_TELLS,
    OTHER_COCAINE_CASE,
    SAME_WORDS_ELSEWHERE,
    month_of_news,
    release,
)
from tests.test_delivery import FAST

EUROPOL = release(1, *EUROPOL_TELLS, DAY)
EUROJUST = release(2, *EUROJUST_TELLS, DAY + timedelta(hours=20), publisher="eurojust")
OTHER = release(3, *OTHER_COCAINE_CASE, DAY + timedelta(hours=2))


def _story(runtime: Runtime, release_id: str) -> str | None:
    return _stored(runtime, release_id).story


def _deps(runtime: Runtime) -> Deps:
    return Deps(store=runtime.store, taxonomy=runtime.taxonomy, ingestor=runtime.ingestor, now=utcnow)


def _after_a_month(runtime: Runtime, *releases: Release) -> None:
    for item in [*month_of_news(), *releases]:
        runtime.ingestor.ingest(item)


def test_two_newsrooms_telling_one_operation_are_one_story(runtime: Runtime) -> None:
    _after_a_month(runtime, EUROPOL, OTHER, EUROJUST)
    assert _story(runtime, "s2") == "s1"
    assert _story(runtime, "s3") is None  # cocaine too, the same day, but another case
    assert _story(runtime, "s1") is None  # it started the story


def test_an_operation_told_in_the_same_words_in_other_countries_is_another_story(runtime: Runtime) -> None:
    """A newsroom tells its operations in one template: the words alone would make them one story."""
    elsewhere = release(4, *SAME_WORDS_ELSEWHERE, DAY + timedelta(hours=3))
    _after_a_month(runtime, EUROPOL, elsewhere, EUROJUST)
    assert _story(runtime, "s4") is None
    assert _story(runtime, "s2") == "s1"


def test_the_same_operation_told_a_week_later_is_news_of_its_own(runtime: Runtime) -> None:
    late = EUROJUST.model_copy(update={"published": DAY + timedelta(days=6)})
    _after_a_month(runtime, EUROPOL, late)
    assert _story(runtime, "s2") is None


def _runtime_with(tmp_path: Path, stories: str) -> Runtime:
    """coop with the project's config, but this [stories] section in defaults.toml."""
    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    defaults = (config / "defaults.toml").read_text(encoding="utf-8")
    (config / "defaults.toml").write_text(defaults.split("[stories]")[0] + stories, encoding="utf-8")
    (tmp_path / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    return Runtime.build(Settings(COOP_DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}", COOP_CONFIG_DIR=config,
                                  COOP_SOURCES=tmp_path / "sources.toml"))


def test_an_operator_can_narrow_the_story_window_or_turn_stories_off(tmp_path: Path) -> None:
    narrow = _runtime_with(tmp_path / "narrow", "[stories]\ndays = 0.5\n")  # the Eurojust release came 20 hours later
    _after_a_month(narrow, EUROPOL, EUROJUST)
    assert _story(narrow, "s2") is None
    narrow.close()
    off = _runtime_with(tmp_path / "off", "[stories]\nenabled = false\n")
    _after_a_month(off, EUROPOL, EUROJUST)
    assert _story(off, "s2") is None
    off.close()


def test_a_bad_story_setting_says_which_key_and_what_it_takes(tmp_path: Path) -> None:
    (tmp_path / "defaults.toml").write_text("[stories]\nsame_story = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"defaults.toml: stories.same_story: Input should be less than or equal"):
        load_defaults(tmp_path)


def test_no_stories_until_coop_has_seen_enough_releases_to_know_common_words(runtime: Runtime) -> None:
    # 19 releases known when the second comes
    for item in [*month_of_news(DEFAULTS.min_releases - 2), EUROPOL, EUROJUST]:
        runtime.ingestor.ingest(item)
    assert _story(runtime, "s2") is None
    runtime.ingestor.ingest(EUROJUST.model_copy(update={"id": "s4"}))  # with 20 known, the same text links
    assert _story(runtime, "s4") == "s2"


def test_a_restarted_coop_still_knows_the_stories_of_recent_releases(runtime: Runtime) -> None:
    _after_a_month(runtime, EUROPOL)
    later = Runtime.build(runtime.settings)  # a new process: the story index is built again from the store
    try:
        later.ingestor.ingest(EUROJUST)
        assert _story(later, "s2") == "s1"
    finally:
        later.close()


def test_a_restarted_coop_still_tells_operations_in_other_countries_apart(runtime: Runtime) -> None:
    _after_a_month(runtime, EUROPOL)
    later = Runtime.build(runtime.settings)  # the countries are read back from the store with the words
    try:
        later.ingestor.ingest(release(4, *SAME_WORDS_ELSEWHERE, DAY + timedelta(hours=3)))
        assert _story(later, "s4") is None
    finally:
        later.close()


def test_show_lists_the_other_releases_of_the_story(runtime: Runtime) -> None:
    _after_a_month(runtime, EUROPOL, EUROJUST)
    deps = _deps(runtime)
    shown = handle("show s1", CHANNEL, deps).plain()
    assert f"same story: [s2] {EUROJUST.title} (Eurojust, {EUROJUST.date:%d %b %Y})" in shown
    assert "same story: [s1]" in handle("show s2", CHANNEL, deps).plain()
    assert "same story" not in handle("show s3", CHANNEL, deps).plain()


def test_lists_say_which_release_a_story_started_with(runtime: Runtime) -> None:
    _after_a_month(runtime, EUROPOL, OTHER, EUROJUST)
    deps = _deps(runtime)
    (newer, older) = handle('latest "banana crates"', CHANNEL, deps).cards
    assert newer.release_id == "s2" and newer.meta_line().endswith(" · same story as [s1]")
    assert older.release_id == "s1" and "same story" not in older.meta_line()
    assert "same story as `s1`" in json.dumps(card_blocks(newer)[0].to_dict())


def _follow(runtime: Runtime, channel: str, schedule: Schedule = Schedule.INSTANT, **terms: list[str]) -> None:
    runtime.store.subscriptions.add(Subscription(platform="fake", channel=channel, schedule=schedule, **terms))
    runtime.ingestor.subscriptions_changed()


async def test_a_second_newsroom_on_the_same_operation_is_a_reply_to_the_first_alert(runtime: Runtime) -> None:
    _after_a_month(runtime)
    _follow(runtime, "DRUGS", keywords=["cocaine"])
    _follow(runtime, "EUROJUST", agencies=["eurojust"])
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for item in (EUROPOL, OTHER, EUROJUST):
        runtime.ingestor.ingest(item)
        await worker.run_once()
    posts = {n + 1: post for n, post in enumerate(platform.posts)}
    assert posts[1] == ("DRUGS", ["s1"]) and posts[2] == ("DRUGS", ["s3"])
    assert ("EUROJUST", ["s2"]) in posts.values() and ("DRUGS", ["s2"]) in posts.values()
    in_drugs = next(f"ref-{n}" for n, post in posts.items() if post == ("DRUGS", ["s2"]))
    assert platform.threads == {in_drugs: "ref-1"}  # the Eurojust channel never had the first: a message of its own


async def test_a_channel_can_turn_threads_off_and_on(runtime: Runtime) -> None:
    _after_a_month(runtime)
    _follow(runtime, "DRUGS", keywords=["cocaine"])
    drugs = CommandContext(platform="fake", channel="DRUGS")
    assert handle("threads", drugs, _deps(runtime)).text.startswith("Threads are on in this channel")
    off = handle("threads off", drugs, _deps(runtime))
    assert off.text.startswith("Threads are off in this channel: every alert comes in the channel")
    assert off.visibility is Visibility.CHANNEL  # everyone in the channel is affected, so everyone sees it
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for item in (EUROPOL, EUROJUST):
        runtime.ingestor.ingest(item)
        await worker.run_once()
    assert platform.posts == [("DRUGS", ["s1"]), ("DRUGS", ["s2"])] and platform.threads == {}
    assert handle("threads on", drugs, _deps(runtime)).text.startswith("Threads are on in this channel")
    assert handle("threads sideways", drugs, _deps(runtime)).error


def _the_hour_comes(runtime: Runtime, channel: str) -> None:
    runtime.store.outbox.reschedule({d.id: (utcnow(), d.subscription_id)
                                    for d in runtime.store.outbox.held("fake", "", channel)})


async def test_daily_alerts_are_never_hidden_in_an_old_thread(runtime: Runtime) -> None:
    _after_a_month(runtime)
    _follow(runtime, "DAILY", Schedule.DAILY, keywords=["cocaine"])
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    runtime.ingestor.ingest(EUROPOL)
    _the_hour_comes(runtime, "DAILY")
    await worker.run_once()
    runtime.ingestor.ingest(EUROJUST)
    _the_hour_comes(runtime, "DAILY")
    await worker.run_once()
    assert platform.posts == [("DAILY", ["s1"]), ("DAILY", ["s2"])]
    assert platform.threads == {}


async def test_a_digest_puts_the_releases_of_a_story_side_by_side(runtime: Runtime) -> None:
    _after_a_month(runtime)
    _follow(runtime, "DAILY", Schedule.DAILY, keywords=["cocaine"])
    platform = RecordingPlatform()
    worker = DeliveryWorker(runtime.store, {"fake": platform}, FAST)
    for item in (EUROPOL, OTHER, EUROJUST):
        runtime.ingestor.ingest(item)
    _the_hour_comes(runtime, "DAILY")
    await worker.run_once()
    assert platform.posts == [("DAILY", ["s1", "s2", "s3"])]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with fake_slack() as fake:
        yield fake


async def test_slack_threads_the_reply_and_a_crash_does_not_post_it_twice(runtime: Runtime, slack: FakeSlack) -> None:
    _after_a_month(runtime)
    runtime.store.subscriptions.add(Subscription(platform="slack", workspace="T1", channel="C1", keywords=["cocaine"]))
    runtime.ingestor.subscriptions_changed()
    platform = SlackPlatform(client_for("xoxb-test", slack.api_url), runtime.taxonomy)
    worker = DeliveryWorker(runtime.store, {"slack": platform}, FAST)
    runtime.ingestor.ingest(EUROPOL)
    await worker.run_once()
    runtime.ingestor.ingest(EUROJUST)
    (reply,) = runtime.store.outbox.due(utcnow(), 10)
    runtime.store.outbox.mark_attempt([reply.id])  # the crash: the reply reached Slack, the outbox never heard back
    first_ts = next(iter(slack.messages))
    await platform.post_alert("T1", "C1", [_stored(runtime, "s2")], f"C1:{first_ts}")
    await worker.run_once()
    first, second = slack.called("chat.postMessage")  # not a third: the reply was found in the thread
    assert "thread_ts" not in first and second["thread_ts"] == first_ts
    assert runtime.store.outbox.pending_count() == 0


def _stored(runtime: Runtime, release_id: str) -> Release:
    stored = runtime.store.releases.get(release_id)
    assert stored is not None
    return stored


async def test_the_console_indents_a_release_under_its_story() -> None:
    out = io.StringIO()
    console = ConsolePlatform(out)
    await console.post_alert("", "console", [EUROPOL])
    await console.post_alert("", "console", [EUROJUST.model_copy(update={"story": "s1"})], thread="console-1")
    first, *_, reply, meta = out.getvalue().splitlines()
    assert first.startswith("[NEW] Harbour Light")
    assert reply.startswith("    [SAME STORY as s1] Cocaine in banana crates") and meta.startswith("      ")


def test_sources_polled_at_once_place_their_releases_safely(runtime: Runtime) -> None:
    news = month_of_news(120)
    with threads_switching_often(), ThreadPoolExecutor(8) as pool:
        list(pool.map(runtime.ingestor.ingest, [*news, EUROPOL, OTHER]))
    runtime.ingestor.ingest(EUROJUST)
    assert runtime.store.releases.count() == len(news) + 3
    assert _story(runtime, "s2") == "s1"
