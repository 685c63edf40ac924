"""Corrected releases: a changed item or page is a revision, announced as an edit only where the release went."""

from __future__ import annotations

from bot.models import Source, utcnow
from bot.runtime import Runtime
from bot.watcher import Watcher
from tests.feedserver import FeedServer, rss
from tests.watching import PAGE, source_at, subscribe_console, watcher_for


async def test_a_corrected_newsroom_page_is_a_revision_even_when_the_listing_is_unchanged(
    runtime: Runtime, server: FeedServer
) -> None:
    subscribe_console(runtime)
    def listing(*numbers: int) -> str:
        links = "".join(f"<a href='/news/2024/item-{n}'>Item {n}</a>" for n in numbers)
        return f"<html><body>{links}</body></html>"

    def page(n: int, text: str) -> None:
        server.set(f"/news/2024/item-{n}", PAGE.format(title=f"Europol operation {n}", text=text * 6),
                   content_type="text/html")

    page(1, "Europol supported an operation against drug trafficking in Spain. ")
    server.set("/news", listing(1), content_type="text/html")
    source = Source(id="newsroom", publisher="europol", url=server.url("/news"), kind="html",
                    link_pattern=r"/news/\d{4}/")
    watcher = watcher_for(runtime)
    await watcher.poll(source)  # first sync: silent
    page(2, "Europol supported the arrest of five suspects in Spain. ")
    server.set("/news", listing(2, 1), content_type="text/html")
    assert (await watcher.poll(source, force=True)).queued == 1
    _deliver_all(runtime)
    page(2, "Europol supported the arrest of six suspects in Spain, not five. ")  # corrected; listing unchanged
    corrected = await watcher.poll(source, force=True)
    assert (corrected.updated, corrected.queued) == (1, 1)  # one edit, for the channel that had the alert
    page(1, "Europol supported an operation against cocaine trafficking in Spain. ")  # a page no one was sent
    quiet = await watcher.poll(source, force=True)
    assert (quiet.updated, quiet.queued) == (1, 0)
    hits_before = server.hits["/news/2024/item-2"]
    again = await watcher.poll(source, force=True)
    assert (again.updated, again.queued) == (0, 0) and server.hits["/news/2024/item-2"] == hits_before + 1
    assert [d.revision for d in runtime.store.outbox.due(utcnow(), 10)] == [2]
    await watcher.close()


OLDER = ("a0", "Older", "Older text")


async def _five_arrests_alerted(runtime: Runtime, server: FeedServer) -> tuple[Watcher, Source]:
    """A subscribed channel, a feed after its silent first sync, and one new item whose alert is queued; then the
    item is corrected on the feed."""
    subscribe_console(runtime)
    server.set("/feed", rss(OLDER))
    watcher, source = watcher_for(runtime), source_at(server, "test", "/feed")
    await watcher.poll(source)
    server.set("/feed", rss(("a1", "Arrests in Spain", "Five arrests."), OLDER))
    assert (await watcher.poll(source, force=True)).queued == 1
    server.set("/feed", rss(("a1", "Arrests in Spain", "Six arrests, not five."), OLDER))
    return watcher, source


async def test_edited_item_is_a_revision_delivered_as_an_update(runtime: Runtime, server: FeedServer) -> None:
    watcher, source = await _five_arrests_alerted(runtime, server)
    _deliver_all(runtime)
    report = await watcher.poll(source, force=True)
    assert (report.new, report.updated, report.queued) == (0, 1, 1)
    assert runtime.store.releases.count() == 2
    assert [d.revision for d in runtime.store.outbox.due(utcnow(), 10)] == [2]
    await watcher.close()


async def test_an_item_edited_before_its_alert_went_out_is_sent_once_as_corrected(
    runtime: Runtime, server: FeedServer
) -> None:
    watcher, source = await _five_arrests_alerted(runtime, server)
    report = await watcher.poll(source, force=True)
    assert (report.updated, report.queued) == (1, 0)  # the waiting alert will carry the corrected text
    [due] = runtime.store.outbox.due(utcnow(), 10)
    release = runtime.store.releases.get(due.release_id)
    assert release is not None and release.text == "Six arrests, not five."
    await watcher.close()


def _deliver_all(runtime: Runtime) -> None:
    """What the delivery worker does once the platform confirms: every due alert marked sent."""
    for delivery in runtime.store.outbox.due(utcnow(), 100):
        runtime.store.outbox.mark_sent([delivery.id], f"ref-{delivery.id}")


async def test_an_edit_to_a_release_no_channel_had_is_not_announced(runtime: Runtime, server: FeedServer) -> None:
    subscribe_console(runtime)
    server.set("/feed", rss(("a0", "Europol annual review", "Backlog text")))
    watcher, source = watcher_for(runtime), source_at(server, "test", "/feed")
    await watcher.poll(source)  # the first sync stores the backlog silently
    server.set("/feed", rss(("a0", "Europol annual review", "Backlog text, corrected")))
    report = await watcher.poll(source, force=True)
    assert (report.updated, report.queued) == (1, 0)
    assert runtime.store.outbox.pending_count() == 0
    await watcher.close()
