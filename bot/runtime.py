"""Builds the long-lived pieces every entry point needs, from settings and config/, once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.classify import Classifier
from bot.config import Defaults, load_defaults, load_seed_rules, load_sources
from bot.ingest import Ingestor
from bot.models import Source
from bot.seeds import parse_seed
from bot.settings import PROJECT_ROOT, Settings
from bot.store import SaveOutcome, Store
from bot.taxonomy import Taxonomy, load_taxonomy

logger = logging.getLogger(__name__)
SEEDS_DIR = PROJECT_ROOT / "seeds"


@dataclass
class Runtime:
    settings: Settings
    defaults: Defaults
    taxonomy: Taxonomy
    classifier: Classifier
    store: Store
    ingestor: Ingestor
    sources: list[Source]

    @classmethod
    def build(cls, settings: Settings, with_sources: bool = True) -> Runtime:
        defaults = load_defaults(settings.config_dir)
        taxonomy = load_taxonomy(settings.config_dir)
        classifier = Classifier(taxonomy, defaults.classifier.to_config())
        store = Store.open(settings.database_url)
        sources = load_sources(settings.sources_path) if with_sources else []
        ingestor = Ingestor(store, classifier, defaults.delivery.digest_hour,
                            story_settings=defaults.stories.to_settings())
        return cls(settings, defaults, taxonomy, classifier, store, ingestor, sources)

    def seed(self, folder: Path = SEEDS_DIR) -> dict[str, int]:
        """Imports the seed releases without alerting anyone; running it twice changes nothing."""
        rules = load_seed_rules(self.settings.config_dir)
        self.ingestor.reclassify_if_changed()  # as `coop poll` does: one classifier tags the whole store
        counts = {outcome.value: 0 for outcome in SaveOutcome}
        for path in sorted(folder.glob("*.txt")):
            release = parse_seed(path.name, path.read_text(encoding="utf-8"), rules)
            result = self.ingestor.ingest(release, announce=False)
            counts[result.outcome.value] += 1
        return counts

    def close(self) -> None:
        self.store.close()
