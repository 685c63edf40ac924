"""A taxonomy change reaches releases already stored: tagged again in bulk, with no new alerts."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.app import App
from bot.models import Release, Subscription, utcnow
from bot.runtime import Runtime
from bot.settings import PROJECT_ROOT, Settings
from bot.store.dialect import SearchFilter
from bot.textutil import content_hash
from tests.conftest import run_coop

TITLE = "Glow-worm extracts seized"
TEXT = "Police dismantled a network selling glow-worm extracts to collectors across Europe."


def _runtime(db_url: str, sources_file: Path, config: Path | None = None) -> Runtime:
    options = {"COOP_DATABASE_URL": db_url, "COOP_SOURCES": sources_file}
    if config is not None:
        options["COOP_CONFIG_DIR"] = config
    return Runtime.build(Settings(**options))  # type: ignore[arg-type]


def _with_new_phrase(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    taxonomy = (config / "taxonomy.toml").read_text(encoding="utf-8")
    edited = taxonomy.replace('"illegal pesticides",', '"illegal pesticides", "glow-worm extracts",', 1)
    assert edited != taxonomy
    (config / "taxonomy.toml").write_text(edited, encoding="utf-8")
    return config


def _store_one(runtime: Runtime) -> None:
    release = Release(id="r1", source_id="test", publisher="europol", title=TITLE, text=TEXT,
                      published=utcnow(), content_hash=content_hash(TITLE, TEXT))
    runtime.ingestor.ingest(release, announce=False)


def test_a_taxonomy_change_tags_stored_releases_again_once(db_url: str, sources_file: Path, tmp_path: Path) -> None:
    before = _runtime(db_url, sources_file)
    assert before.ingestor.reclassify_if_changed() == 0  # an empty store only notes the classifier
    _store_one(before)
    before.store.subscriptions.add(Subscription(id=0, platform="console", channel="c", areas=["environmental-crime"]))
    assert before.ingestor.reclassify_if_changed() is None
    assert before.store.releases.get("r1").tags.area_ids() == []  # type: ignore[union-attr]
    before.close()

    after = _runtime(db_url, sources_file, _with_new_phrase(tmp_path))
    assert after.ingestor.reclassify_if_changed() == 1
    release = after.store.releases.get("r1")
    assert release is not None and release.tags.area_ids() == ["environmental-crime"]
    assert "environmental crime" in release.facts
    facet = SearchFilter(facets=[("area", "environmental-crime")])
    assert [r.id for r in after.store.releases.search(facet)] == ["r1"]
    assert after.store.outbox.due(utcnow(), 10) == []  # old news is not announced again
    assert after.ingestor.reclassify_if_changed() is None
    after.close()


def test_seeds_imported_into_a_new_store_are_not_tagged_again_at_start(db_url: str, sources_file: Path) -> None:
    runtime = _runtime(db_url, sources_file)
    assert runtime.seed()["new"] == 3
    assert runtime.ingestor.reclassify_if_changed() is None  # used to tag the three seeds a second time
    runtime.close()


def test_coop_reclassify_reports_what_it_did(db_url: str, sources_file: Path, tmp_path: Path) -> None:
    runtime = _runtime(db_url, sources_file)
    _store_one(runtime)
    runtime.close()
    env = {"COOP_DATABASE_URL": db_url, "COOP_SOURCES": str(sources_file),
           "COOP_CONFIG_DIR": str(_with_new_phrase(tmp_path))}
    result = run_coop("reclassify", env=env)
    assert result.returncode == 0 and result.stdout.strip() == "reclassified 1 releases"
    result = run_coop("search", "area:environmental-crime", env=env)
    assert TITLE in result.stdout


async def test_coop_run_tags_the_store_again_when_it_starts_after_a_change(
    db_url: str, sources_file: Path, tmp_path: Path
) -> None:
    before = _runtime(db_url, sources_file)
    before.ingestor.reclassify_if_changed()
    _store_one(before)
    before.close()
    after = _runtime(db_url, sources_file, _with_new_phrase(tmp_path))
    app = App(after)
    tasks = await app.start()
    await app.stop(tasks)
    release = after.store.releases.get("r1")
    assert release is not None and release.tags.area_ids() == ["environmental-crime"]
    after.close()
