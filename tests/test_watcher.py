"""The watcher over a real HTTP server on loopback: formats, 304s, newsroom pages and every kind of bad source.
Revisions are in test_revisions.py."""

from __future__ import annotations

import logging
import re

import pytest

from bot.models import Source
from bot.runtime import Runtime
from bot.settings import Settings
from tests.feedserver import FeedServer, atom, rss
from tests.watching import PAGE, source_at, subscribe_console, watcher_for

OLD = "Tue, 30 Apr 2024 10:00:00 GMT"


async def test_first_sync_is_silent_then_new_items_alert_once(runtime: Runtime, server: FeedServer) -> None:
    subscribe_console(runtime)
    server.set("/feed", rss(("a1", "Cocaine seized", "Police seized cocaine."), pub_date=OLD))
    watcher, source = watcher_for(runtime), source_at(server, "test", "/feed")
    first = await watcher.poll(source)
    assert (first.new, first.queued, first.silent) == (1, 0, 1)
    second = await watcher.poll(source, force=True)
    assert second.unchanged
    server.set("/feed", rss(("a2", "Ransomware takedown", "Servers seized."), ("a1", "Cocaine seized",
               "Police seized cocaine."), pub_date=OLD))
    third = await watcher.poll(source, force=True)
    assert (third.new, third.queued) == (1, 1)
    assert (await watcher.poll(source, force=True)).unchanged
    assert runtime.store.outbox.pending_count() == 1
    await watcher.close()


async def test_conditional_get_answers_304_without_parsing(runtime: Runtime, server: FeedServer) -> None:
    server.set("/feed", rss(("a1", "Title", "Text")))
    watcher, source = watcher_for(runtime), source_at(server, "test", "/feed")
    await watcher.poll(source)
    state = runtime.store.sources.get("test")
    assert state.etag and state.body_hash
    assert (await watcher.poll(source, force=True)).unchanged
    await watcher.close()


async def test_atom_and_undated_feeds(runtime: Runtime, server: FeedServer) -> None:
    entry = ("urn:1", "Atom item", "Eurojust coordinated arrests.")
    server.set("/atom", atom(entry), content_type="application/atom+xml")
    server.set("/undated", rss(("u1", "Undated item", "No date in this feed.")))
    watcher = watcher_for(runtime)
    assert (await watcher.poll(source_at(server, "atom", "/atom"))).new == 1
    assert (await watcher.poll(source_at(server, "undated", "/undated"))).new == 1
    undated = next(r for r in runtime.store.releases.all() if r.title == "Undated item")
    assert undated.published is None and undated.date == undated.first_seen
    await watcher.close()


async def test_a_plain_text_caption_line_stays_out_of_the_summary(runtime: Runtime, server: FeedServer) -> None:
    lead = "The board appointed Ms Jana Novak as head of the liaison office today. She starts in May."
    wrapped = lead.replace(" liaison ", " liaison\n")  # a line break inside a paragraph is a space
    caption = f"Jana Novak\n\n\n{wrapped}"
    server.set("/feed", rss(("n1", "New head of the liaison office", caption)))
    watcher = watcher_for(runtime)
    await watcher.poll(source_at(server, "plain", "/feed"))
    [release] = runtime.store.releases.all()
    assert release.text == f"Jana Novak\n\n{lead}"  # the blank line is kept, the wrapped line joined
    assert release.summary == lead
    await watcher.close()


async def test_scheduled_polls_log_news_only(runtime: Runtime, server: FeedServer,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """A console user sees new items logged, not a line per unchanged or failing feed (the watcher warns of those)."""
    from bot.scheduler import PollScheduler

    server.set("/feed", rss(("a1", "Cocaine seized", "Police seized cocaine.")))
    polls = PollScheduler(watcher_for(runtime), 0)
    caplog.set_level(logging.INFO, logger="bot.scheduler")
    for path in ("/feed", "/feed", "/missing"):
        await polls._poll(source_at(server, path.strip("/"), path))
    assert [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"] == [
        "poll feed: 1 new, 0 updated, 1 stored without alert, 0 alerts queued"]
    await polls.watcher.close()


async def test_full_text_from_the_release_page_with_its_date(runtime: Runtime, server: FeedServer) -> None:
    long_text = "Europol supported the takedown of a ransomware botnet run from servers in Germany. " * 8
    server.set("/feed", rss(("https://x/1", "Short item", "Short teaser.")).replace(
        "https://news.example.org/https://x/1", server.url("/page1")))
    server.set("/page1", PAGE.format(title="Short item", text=long_text), content_type="text/html")
    watcher = watcher_for(runtime)
    source = source_at(server, "europol", "/feed", full_text=True)
    await watcher.poll(source)
    release = next(iter(runtime.store.releases.all()))
    assert "ransomware botnet" in release.text
    assert release.published is not None and release.published.year == 2024
    assert "cybercrime" in release.tags.area_ids()
    server.set("/feed", rss(("https://x/1", "Short item", "Short teaser.")).replace(
        "https://news.example.org/https://x/1", server.url("/page1")) + " ")
    pages_before = server.hits["/page1"]
    await watcher.poll(source, force=True)
    assert server.hits["/page1"] == pages_before  # an unchanged item's page is not fetched again
    await watcher.close()


async def test_html_newsroom_source(runtime: Runtime, server: FeedServer) -> None:
    listing = "".join(f"<a href='/en/News-and-Events/News/2024/item-{n}'>Item {n}</a>" for n in (1, 2))
    server.set("/news", f"<html><body><a href='/about'>About</a>{listing}</body></html>", content_type="text/html")
    for n in (1, 2):
        text = f"INTERPOL coordinated operation number {n} against firearms trafficking in Brazil and Spain. " * 5
        server.set(f"/en/News-and-Events/News/2024/item-{n}", PAGE.format(title=f"Operation {n}", text=text),
                   content_type="text/html")
    source = Source(id="interpol", publisher="interpol", url=server.url("/news"), kind="html",
                    link_pattern=r"/en/News-and-Events/News/\d{4}/")
    watcher = watcher_for(runtime)
    report = await watcher.poll(source)
    assert report.new == 2 and report.error is None
    titles = sorted(r.title for r in runtime.store.releases.all())
    assert titles == ["Operation 1", "Operation 2"]
    await watcher.close()


async def test_a_new_newsroom_page_is_not_downloaded_again_on_its_first_recheck(
    runtime: Runtime, server: FeedServer
) -> None:
    server.set("/news", "<html><body><a href='/news/2024/item-1'>Item 1</a></body></html>", content_type="text/html")
    server.set("/news/2024/item-1", PAGE.format(title="Europol operation", text="Europol supported arrests. " * 9),
               content_type="text/html")
    source = Source(id="newsroom", publisher="europol", url=server.url("/news"), kind="html",
                    link_pattern=r"/news/\d{4}/")
    watcher = watcher_for(runtime)
    await watcher.poll(source)
    await watcher.poll(source, force=True)
    await watcher.poll(source, force=True)
    assert server.hits["/news/2024/item-1"] == 3  # fetched, then checked on each later poll
    assert server.downloads["/news/2024/item-1"] == 1  # the checks were answered with 304s
    await watcher.close()


BAD_SOURCES = {
    "truncated": dict(body=rss(("b1", "T", "x"))[:-30]),
    "html": dict(body="<!DOCTYPE html><html><body>Moved</body></html>", content_type="text/html"),
    "entities": dict(body='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                         "<rss><channel><item><title>&b;</title></item></channel></rss>"),
    "oversized": dict(body="<rss>" + "x" * 6_000_000 + "</rss>"),
    "slow": dict(body=rss(("s1", "Slow", "x")), delay=3.0),
    "empty": dict(body='<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'),
    "error": dict(body="oops", status=500, content_type="text/plain"),
    "gone": dict(body="gone", status=404, content_type="text/plain"),
}
EXPECTED_ERROR = {
    "truncated": "not well-formed", "html": "HTML page", "entities": "ENTITY", "oversized": "limit",
    "slow": "timed out", "empty": "no items", "error": "HTTP 500", "gone": "HTTP 404",
}


@pytest.mark.parametrize("kind", sorted(BAD_SOURCES))
async def test_a_bad_source_hurts_no_other(runtime: Runtime, server: FeedServer, kind: str) -> None:
    subscribe_console(runtime)
    server.set("/good", rss(("g0", "Good old", "x")))
    server.set("/bad", **BAD_SOURCES[kind])  # type: ignore[arg-type]
    watcher = watcher_for(runtime)
    good, bad = source_at(server, "good", "/good"), source_at(server, "bad", "/bad")
    await watcher.poll(good)
    report = await watcher.poll(bad)
    assert report.error and EXPECTED_ERROR[kind] in report.error
    server.set("/good", rss(("g1", "Good new", "x"), ("g0", "Good old", "x")))
    assert (await watcher.poll(good, force=True)).queued == 1
    health = runtime.store.sources.get("bad")
    assert health.consecutive_failures == 1 and EXPECTED_ERROR[kind] in (health.last_error or "")
    assert health.next_attempt is not None
    assert (await watcher.poll(bad)).skipped  # backing off, persisted in the store
    assert runtime.store.releases.count() == 2
    await watcher.close()


async def test_redirect_loop_is_an_error(runtime: Runtime, server: FeedServer) -> None:
    server.set("/a", "", status=302, headers={"Location": "/b"})
    server.set("/b", "", status=302, headers={"Location": "/a"})
    watcher = watcher_for(runtime)
    report = await watcher.poll(source_at(server, "loop", "/a"))
    assert report.error and "redirects" in report.error
    await watcher.close()


async def test_a_500_that_recovers_delivers_everything_once(runtime: Runtime, server: FeedServer) -> None:
    subscribe_console(runtime)
    notices: list[str] = []
    watcher, source = watcher_for(runtime, notices), source_at(server, "flaky", "/feed")
    server.set("/feed", rss(("f0", "First", "x")))
    await watcher.poll(source)
    server.set("/feed", "down", status=503, content_type="text/plain")
    await watcher.poll(source, force=True)
    await watcher.poll(source, force=True)
    assert len(notices) == 1 and "flaky" in notices[0]  # one notice to the admin, not one per failure
    server.set("/feed", rss(("f1", "Second", "x"), ("f0", "First", "x")))
    report = await watcher.poll(source, force=True)
    assert (report.new, report.queued) == (1, 1)
    assert len(notices) == 2 and "works again" in notices[1]
    assert runtime.store.sources.get("flaky").consecutive_failures == 0
    await watcher.close()


async def test_gzip_bodies_are_read(runtime: Runtime, server: FeedServer) -> None:
    server.set("/feed", rss(("z1", "Zipped", "x")), gzip=True)
    watcher = watcher_for(runtime)
    assert (await watcher.poll(source_at(server, "zip", "/feed"))).new == 1
    await watcher.close()


async def test_old_items_after_first_sync_are_stored_silently(runtime: Runtime, server: FeedServer) -> None:
    subscribe_console(runtime)
    watcher, source = watcher_for(runtime), source_at(server, "test", "/feed")
    server.set("/feed", rss(("n0", "Recent", "x"), pub_date="Wed, 01 May 2024 10:00:00 GMT"))
    await watcher.poll(source)
    server.set("/feed", rss(("n1", "Backfilled", "x", "Mon, 01 Jan 2024 10:00:00 GMT"),
                            ("n0", "Recent", "x", "Wed, 01 May 2024 10:00:00 GMT")))
    report = await watcher.poll(source, force=True)
    assert (report.new, report.queued, report.silent) == (1, 0, 1)
    await watcher.close()


async def test_private_addresses_from_chat_are_refused(runtime: Runtime) -> None:
    import asyncio

    from bot.chat_sources import ChatSources
    from bot.scheduler import PollScheduler
    from handlers.context import CommandContext, Deps
    from handlers.dispatch import handle

    watcher = watcher_for(runtime)
    admin = ChatSources(runtime.store, runtime.sources, PollScheduler(watcher, 0), asyncio.get_running_loop())
    deps = Deps(store=runtime.store, taxonomy=runtime.taxonomy, ingestor=runtime.ingestor, source_admin=admin)
    ctx = CommandContext(platform="console", channel="C1", is_admin=True)
    for url in ("http://127.0.0.1:8080/feed", "http://localhost/feed", "http://10.1.2.3/rss",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/feed", "ftp://example.org/feed"):
        reply = await asyncio.to_thread(handle, f"sources add {url} someone", ctx, deps)
        assert reply.text.startswith("Refused"), (url, reply.text)
    assert runtime.sources == [] and runtime.store.sources.all() == []
    await watcher.close()


async def test_fetching_for_chat_sources_refuses_loopback_even_when_asked_directly(server: FeedServer) -> None:
    from bot.fetch import Fetcher, FetchError, FetchLimits

    server.set("/feed", rss(("p1", "Private", "x")))
    fetcher = Fetcher(FetchLimits())
    with pytest.raises(FetchError, match="private or local"):
        await fetcher.get(server.url("/feed"), public_only=True)
    assert (await fetcher.get(server.url("/feed"))).status == 200  # operator-configured sources may use loopback
    await fetcher.close()


def test_poll_once_from_the_command_line(server: FeedServer, tmp_path: object) -> None:
    from pathlib import Path

    from tests.conftest import run_coop

    folder = Path(str(tmp_path))
    server.set("/feed", rss(("c1", "Europol supports cocaine seizure", "Cocaine seized in Spain.")))
    sources = folder / "sources.toml"
    sources.write_text(
        f'[[sources]]\nid = "loop"\npublisher = "europol"\nurl = "{server.url("/feed")}"\n'
        f'[[sources]]\nid = "dead"\npublisher = "europol"\nurl = "{server.url("/missing")}"\n',
        encoding="utf-8",
    )
    env = {"COOP_SOURCES": str(sources), "COOP_DATABASE_URL": f"sqlite:///{folder / 'c.sqlite3'}"}
    result = run_coop("poll", "--once", env=env)
    assert "loop: 1 new" in result.stdout
    assert "dead: error: HTTP 404" in result.stdout
    assert result.returncode == 1
    only = run_coop("poll", "--once", "--source", "loop", env=env)
    assert only.stdout.strip() == "loop: unchanged" and only.returncode == 0
    health = run_coop("sources", env=env).stdout
    loop_line = next(line for line in health.splitlines() if "loop:" in line)
    assert "last success" in loop_line and "a week" not in loop_line  # one undated release tells no pace
    dead_line = next(line for line in health.splitlines() if "dead:" in line)
    assert re.fullmatch(r"  dead: failing \(1 failure in a row, next try \d\d:\d\d UTC\): HTTP 404.*; never succeeded",
                        dead_line), dead_line  # no weekly rate for a source that never worked
    # the store notes the classifier that tagged what the poll stored: `coop run` does not tag it all again
    settings = Settings(COOP_DATABASE_URL=env["COOP_DATABASE_URL"], COOP_SOURCES=sources)
    runtime = Runtime.build(settings)
    assert runtime.ingestor.reclassify_if_changed() is None
    runtime.close()
