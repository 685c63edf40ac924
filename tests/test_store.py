"""The store: round trip, revisions instead of duplicates, FTS ranking, migrations that match the tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from bot.models import Release, Subscription
from bot.runtime import Runtime
from bot.store import SaveOutcome, Store
from bot.store.channels import Look
from bot.store.dialect import CANDIDATES, SearchFilter, SearchTerm
from bot.store.engine import migrate, open_engine
from bot.store.schema import is_managed_table, metadata, subscriptions
from bot.textutil import content_hash


def _release(release_id: str, title: str, text: str) -> Release:
    return Release(
        id=release_id, source_id="test", publisher="europol", title=title, text=text,
        published=datetime(2024, 5, 1, tzinfo=UTC), content_hash=content_hash(title, text),
    )


def test_round_trip_keeps_every_field(runtime: Runtime) -> None:
    release = runtime.ingestor.prepare(_release("r1", "Europol supports ransomware takedown", "Servers seized."))
    runtime.store.releases.save(release)
    loaded = runtime.store.releases.get("r1")
    assert loaded is not None
    assert loaded.model_dump(exclude={"first_seen"}) == release.model_dump(exclude={"first_seen"})


def test_subscriptions_stored_before_kinds_existed_still_load(runtime: Runtime) -> None:
    with runtime.store.engine.begin() as conn:
        conn.execute(subscriptions.insert().values(
            platform="console", workspace="", channel="C1", terms_key="a:europol",
            terms_json='{"agencies": ["europol"], "areas": [], "countries": [], "keywords": []}',
            created_by="", created_at=datetime(2024, 5, 1, tzinfo=UTC), paused=False))
    [old] = runtime.store.subscriptions.for_channel("console", "", "C1")
    assert (old.agencies, old.kinds) == (["europol"], [])
    sub, earlier = runtime.store.subscriptions.add(Subscription(platform="console", channel="C1", kinds=["agreement"]))
    assert earlier is None and runtime.store.subscriptions.for_channel("console", "", "C1")[1].kinds == ["agreement"]


def test_changed_text_is_a_revision_not_a_duplicate(runtime: Runtime) -> None:
    store = runtime.store
    assert store.releases.save(_release("r1", "Title", "first text"))[0] is SaveOutcome.NEW
    assert store.releases.save(_release("r1", "Title", "first text"))[0] is SaveOutcome.UNCHANGED
    outcome, saved = store.releases.save(_release("r1", "Title", "second text"))
    assert outcome is SaveOutcome.UPDATED and saved.revision == 2
    assert store.releases.count() == 1
    hits = store.releases.search(SearchFilter(terms=[SearchTerm("second")]))
    assert [r.id for r in hits] == ["r1"]
    assert store.releases.search(SearchFilter(terms=[SearchTerm("first")])) == []


def test_a_change_of_line_breaks_only_is_kept_quietly_as_the_same_revision(runtime: Runtime) -> None:
    glued = _release("r1", "New head of office", "Jana Novak The board appointed Ms Jana Novak today.")
    runtime.store.releases.save(runtime.ingestor.prepare(glued))
    relaid = _release("r1", "New head of office", "Jana Novak\n\nThe board appointed Ms Jana Novak today.")
    outcome, saved = runtime.store.releases.save(runtime.ingestor.prepare(relaid))
    assert outcome is SaveOutcome.UNCHANGED and saved.revision == 1
    stored = runtime.store.releases.get("r1")
    assert stored is not None and stored.summary == "The board appointed Ms Jana Novak today." and stored.revision == 1
    assert runtime.store.releases.save(runtime.ingestor.prepare(relaid))[0] is SaveOutcome.UNCHANGED
    edited = _release("r1", "New head of office", "Jana Novak\n\nThe board appointed Ms Jana Novak on Monday.")
    assert runtime.store.releases.save(runtime.ingestor.prepare(edited))[0] is SaveOutcome.UPDATED


def test_title_hit_ranks_above_body_hit(runtime: Runtime) -> None:
    store = runtime.store
    store.releases.save(_release("body", "Annual meeting", "The meeting also discussed smuggling routes."))
    store.releases.save(_release("title", "Smuggling network dismantled", "Eleven arrests."))
    ranked = store.releases.search(SearchFilter(terms=[SearchTerm("smuggling")]))
    assert [r.id for r in ranked] == ["title", "body"]


def test_a_rare_word_beside_a_common_one_is_found_however_old_the_release(runtime: Runtime) -> None:
    store = runtime.store
    store.releases.save(_release("old", "Gangways inspected", "The port authority checked the gangways."))
    for n in range(CANDIDATES + 100):  # newer releases, all with the common word
        store.releases.save(_release(f"n{n}", f"Meeting {n}", "The meeting was held in the capital."))
    both = store.releases.search(SearchFilter(terms=[SearchTerm("gangways"), SearchTerm("the")]))
    assert [r.id for r in both] == ["old"]
    common = store.releases.search(SearchFilter(terms=[SearchTerm("the")]), limit=3)
    assert len(common) == 3 and all(r.id.startswith("n") for r in common)


def test_a_bulk_import_is_searchable_and_all_or_nothing(runtime: Runtime) -> None:
    store = runtime.store
    store.releases.add_new([_release("b1", "Cocaine seized in Antwerp", "x"), _release("b2", "Ransomware", "y")])
    assert [r.id for r in store.releases.search(SearchFilter(terms=[SearchTerm("antwerp")]))] == ["b1"]
    with pytest.raises(IntegrityError):
        store.releases.add_new([_release("b3", "Antwerp port", "z"), _release("b1", "Again", "w")])
    assert store.releases.get("b3") is None and store.releases.count() == 2


def test_user_text_cannot_inject_fts_syntax(seeded: Runtime) -> None:
    for hostile in ['"', "NEAR(", "a OR", "*", "title:x", "'; DROP TABLE releases; --"]:
        seeded.store.releases.search(SearchFilter(terms=[SearchTerm(hostile)]))
    assert seeded.store.releases.count() == 3


def test_search_finds_other_forms_of_a_word(runtime: Runtime) -> None:
    runtime.store.releases.save(_release("r1", "Supplier of boats to human smugglers arrested",
                                         "Money mules were recruited online. The suspects were extradited."))

    def found(term: SearchTerm) -> bool:
        return bool(runtime.store.releases.search(SearchFilter(terms=[term])))

    assert found(SearchTerm("smuggler")) and found(SearchTerm("extradition"))
    assert found(SearchTerm("money mule", phrase=True)) and not found(SearchTerm("mule money", phrase=True))


# The columns later migrations add, to take away again from a new store to make it one that an older version left
ADDED_COLUMNS = [("0012", "channel_settings", "threads"), ("0013", "subscriptions", "held_until"),
                 ("0014", "channel_settings", "compact"), ("0015", "subscriptions", "mentions"),
                 ("0016", "deliveries", "failing_since"), ("0018", "subscriptions", "held_since"),
                 ("0018", "subscriptions", "reminded_at"), ("0020", "source_state", "alerted_quiet")]


ADDED_INDEXES = [("0020", "ix_releases_source_published"), ("0020", "ix_releases_source_seen")]


def _as_left_by(conn: Connection, version: str) -> None:
    for added_by, name in ADDED_INDEXES:
        if added_by > version:
            conn.execute(text(f"DROP INDEX {name}"))
    for added_by, table, column in ADDED_COLUMNS:
        if added_by > version:
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    conn.execute(text("UPDATE alembic_version SET version_num = :version"), {"version": version})


def test_a_store_indexed_before_stemming_is_indexed_again(db_url: str) -> None:
    engine = open_engine(db_url)
    migrate(engine, "head")
    with engine.begin() as conn:  # the index as 0001 made it, before words were stemmed
        conn.execute(text("DROP TABLE releases_fts"))
        conn.execute(text("CREATE VIRTUAL TABLE releases_fts USING fts5(title, body, "
                          "tokenize = 'unicode61 remove_diacritics 2')"))
    old = Store(engine)
    old.releases.save(_release("r1", "Supplier of boats to human smugglers arrested", "Six arrests."))
    assert not old.releases.search(SearchFilter(terms=[SearchTerm("smuggler")]))
    with engine.begin() as conn:  # and the schema as 0008 left it
        conn.execute(text("DROP INDEX ix_releases_story"))
        conn.execute(text("ALTER TABLE releases DROP COLUMN story"))
        _as_left_by(conn, "0008")
    old.close()
    store = Store.open(db_url)
    assert [r.id for r in store.releases.search(SearchFilter(terms=[SearchTerm("smuggler")]))] == ["r1"]
    store.close()


def test_a_store_from_before_languages_were_tags_finds_releases_by_language(db_url: str) -> None:
    engine = open_engine(db_url)
    migrate(engine, "head")
    old = Store(engine)
    old.releases.save(_release("r1", "Europol supports an action day", "Six arrests.").model_copy(
        update={"language": "de"}))
    with engine.begin() as conn:  # the tags as 0010 left them
        conn.execute(text("DELETE FROM release_tags WHERE kind = 'language'"))
        _as_left_by(conn, "0010")
    assert not old.releases.search(SearchFilter(facets=[("language", "de")]))
    old.close()
    store = Store.open(db_url)
    assert [r.id for r in store.releases.search(SearchFilter(facets=[("language", "de")]))] == ["r1"]
    store.close()


def test_a_store_from_before_pauses_and_formats_keeps_its_subscriptions_and_settings(db_url: str) -> None:
    engine = open_engine(db_url)
    migrate(engine, "head")
    old = Store(engine)
    old.subscriptions.add(Subscription(platform="console", channel="C1", agencies=["europol"]))
    with engine.begin() as conn:  # the schema as 0012 left it
        _as_left_by(conn, "0012")
        conn.execute(text("INSERT INTO channel_settings (platform, workspace, channel, threads) "
                          "VALUES ('console', '', 'C1', 0)"))
    old.close()
    store = Store.open(db_url)
    [sub] = store.subscriptions.for_channel("console", "", "C1")
    assert (sub.agencies, sub.held_until, sub.mentions) == (["europol"], None, [])
    assert store.channels.look("console", "", "C1") == Look(threads=False, compact=False)
    store.subscriptions.hold("console", "", "C1", [sub.id], datetime(2026, 12, 1, tzinfo=UTC),
                             datetime(2026, 11, 1, tzinfo=UTC))
    assert store.subscriptions.for_channel("console", "", "C1")[0].held_until == datetime(2026, 12, 1, tzinfo=UTC)
    store.subscriptions.mention("console", "", "C1", [sub.id], "U1", True)
    assert store.subscriptions.for_channel("console", "", "C1")[0].mentions == ["U1"]
    store.close()


def test_migrations_create_exactly_the_tables_the_code_uses(runtime: Runtime) -> None:
    with runtime.store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": is_managed_table})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_reopening_an_existing_database_keeps_its_data(db_url: str, seeded: Runtime) -> None:
    reopened = Store.open(db_url)
    assert reopened.releases.count() == 3
    reopened.close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(runtime: Runtime) -> None:
    with runtime.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_matrix_rooms_paused_for_being_encrypted_get_their_alerts_again_after_the_upgrade(db_url: str) -> None:
    rooms = [("matrix", "!secret", "the room is encrypted, which coop does not support yet"),
             ("matrix", "!gone", "send: M_FORBIDDEN not in room"),
             ("fake", "C1", "the room is encrypted, which coop does not support yet")]
    engine = open_engine(db_url)
    migrate(engine, "head")
    old = Store(engine)
    for platform, channel, reason in rooms:
        old.subscriptions.add(Subscription(platform=platform, channel=channel, agencies=["europol"]))
        old.subscriptions.pause_channel(platform, "", channel, reason)
    with engine.begin() as conn:
        _as_left_by(conn, "0018")
    old.close()
    store = Store.open(db_url)
    paused = {channel: store.subscriptions.for_channel(platform, "", channel)[0].paused
              for platform, channel, _ in rooms}
    assert paused == {"!secret": False, "!gone": True, "C1": True}
    store.close()
